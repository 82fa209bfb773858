"""normalize-requirements: render a requirements file in canonical form."""

from __future__ import annotations

import argparse

from openstack_requirements.cli import base


class NormalizeRequirements(base.Command):
    """Render a requirements file in canonical form.

    Requirement lines become ``Name[extra]specifiers;markers  # comment``
    (lower bounds, then exclusions, then caps); comments, blank lines and
    pip options are kept as they are. Prints the result, or rewrites the
    file with --save.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('path', metavar='FILE', help='requirements file to normalize')
        base.add_write_mode(
            parser, write=('--save',), write_help='rewrite FILE in place (atomically)'
        )
        # The reference's short form of --save, kept for its callers but not
        # shown: -s is --soft-update in update-requirements.
        parser.add_argument(
            '-s',
            dest='save',
            action=base.Flag,
            refuses={'diff': '--diff', 'check': '--check'},
            help=argparse.SUPPRESS,
        )
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        from openstack_requirements.ops.sync import normalize

        change = normalize.normalize_file(parsed_args.path)
        if parsed_args.diff:
            self.app.stdout.write(change.diff())
        if parsed_args.check and change.changed:
            self.warn(f'{change.path}: not in canonical form')
            return 1
        if parsed_args.diff or parsed_args.check:
            return 0
        if parsed_args.save:
            normalize.save(change)
        else:
            self.app.stdout.write(change.new)
        return 0
