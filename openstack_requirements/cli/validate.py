"""validate-constraints: the global list, constraints and denylist agree."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from openstack_requirements.cli import base
from openstack_requirements.cli.checks import CheckCommand

if TYPE_CHECKING:
    from openstack_requirements.ops.checks.context import Context


class ValidateConstraints(CheckCommand):
    """Check the governance data: global list, constraints and denylist.

    Every constraint is an exact pin that satisfies the global list; every
    global package is pinned or denylisted; the global list is canonical
    and follows the review guidelines. Files default to the shipped data.
    """

    scopes = ('data',)

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'global_reqs',
            metavar='GLOBAL',
            nargs='?',
            help='global-requirements.txt (default: shipped data)',
        )
        parser.add_argument(
            'upper',
            metavar='UPPER',
            nargs='?',
            help='upper-constraints.txt (default: beside GLOBAL)',
        )
        parser.add_argument(
            'denylist',
            metavar='DENYLIST',
            nargs='?',
            help='denylist.txt or blacklist.txt (default: beside GLOBAL)',
        )
        parser.add_argument(
            '--source',
            metavar='DIR',
            default=None,
            help='directory holding the data files (default: the directory '
            'of GLOBAL, else the working directory, else the shipped data)',
        )
        base.add_packages(parser)
        return parser

    def build_context(self, parsed_args: argparse.Namespace) -> Context:
        from openstack_requirements.ops.checks.context import Context

        return Context.from_source(
            parsed_args.source,
            global_reqs=parsed_args.global_reqs,
            upper=parsed_args.upper,
            denylist=parsed_args.denylist,
            distributions=base.distributions(parsed_args),
        )
