"""check-conflicts: the pinned set is co-installable, for each Python."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from openstack_requirements.cli import base
from openstack_requirements.cli.checks import CheckCommand
from openstack_requirements.errors import RequirementsError

if TYPE_CHECKING:
    from openstack_requirements.ops.checks.context import Context


class CheckConflicts(CheckCommand):
    """Check that the upper constraints resolve together, per Python.

    A resolver driver (uv by default, or pip) resolves the pins for each
    -p Python (by default the Pythons the shipped constraints are made
    for), installing nothing. Conflicts listed in the xfails file are
    reported as known failures, not as errors.
    """

    scopes = ('resolver',)

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:

        parser = super().get_parser(prog_name)
        parser.add_argument(
            'upper',
            metavar='UPPER',
            nargs='?',
            help='upper-constraints.txt (default: shipped data)',
        )
        parser.add_argument(
            'xfails_file',
            metavar='XFAILS',
            nargs='?',
            help='known conflicts, as --xfails (the 2023 form: check-conflicts UPPER XFAILS)',
        )
        parser.add_argument(
            '--xfails',
            metavar='FILE',
            help='known conflicts (default: upper-constraints-xfails.txt beside UPPER)',
        )
        base.add_pythons(parser, 'a Python to resolve for: X.Y, an interpreter name or path')
        parser.add_argument(
            '--resolver', default='uv', metavar='NAME', help='resolver driver (default: uv)'
        )
        base.add_index(parser)
        parser.add_argument(
            '--timeout', type=float, default=900, help='seconds per resolution (default: 900)'
        )
        return parser

    def build_context(self, parsed_args: argparse.Namespace) -> Context:

        from openstack_requirements.ops import data
        from openstack_requirements.ops.checks.context import Context, DataFile
        from openstack_requirements.ops.checks.resolver import ResolverSetup
        from openstack_requirements.ops.constraints import resolvers

        upper = data.locate(data.UPPER, parsed_args.upper, required=True)
        assert upper is not None
        given = {f for f in (parsed_args.xfails_file, parsed_args.xfails) if f}
        if len(given) > 1:
            raise RequirementsError('two xfails files given (XFAILS and --xfails)')
        xfails = data.locate(data.XFAILS, given.pop() if given else None, beside=upper)
        pythons = base.pythons(parsed_args)
        setup = ResolverSetup(
            parsed_args.resolver,
            tuple(resolvers.target_for(p) for p in pythons),
            resolvers.ResolverOptions(
                index_url=parsed_args.index_url,
                find_links=tuple(parsed_args.find_links),
                no_index=parsed_args.no_index,
                reuse=not parsed_args.no_reuse,
                timeout=parsed_args.timeout,
            ),
        )
        return Context(
            upper=DataFile.read(upper),
            xfails=DataFile.read(xfails) if xfails else None,
            resolver_setup=setup,
        )
