"""check-constraints: the classic command, a selection of the project
checks (in the global list, in upper-constraints, admits its pin)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from openstack_requirements.cli import base
from openstack_requirements.cli.checks import CheckCommand
from openstack_requirements.errors import RequirementsError

if TYPE_CHECKING:
    from openstack_requirements.ops.checks.context import Context


class CheckConstraints(CheckCommand):
    """Check that a project's dependencies admit their upper constraints.

    Runs the in-global, upper-constraint and data-lines checks of
    check-requirements (with -G, the global-specifiers check too) over every
    dependency source.
    """

    scopes = ('project',)
    default_selection = ('in-global', 'upper-constraint', 'data-lines')

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'project',
            metavar='PROJECT_DIR',
            nargs='?',
            help='root of the project tree to check (required unless --list-checks)',
        )
        base.add_include(parser)
        parser.add_argument(
            '-u', '--upper-constraints', dest='upper', metavar='FILE', help='upper-constraints.txt'
        )
        parser.add_argument(
            '-g',
            '--global-requirements',
            dest='global_reqs',
            metavar='FILE',
            help='global-requirements.txt',
        )
        base.add_denylist(parser)
        parser.add_argument(
            '-G',
            '--gr-check',
            action='store_true',
            help='also check that every version a project '
            'specifier admits by name (>=, <=, ==, ~=) '
            'is admitted by the global specifiers',
        )
        parser.add_argument(
            '--source',
            metavar='DIR',
            default=None,
            help='directory holding the data files not given '
            '(default: the working directory, else the '
            'shipped data)',
        )
        return parser

    def chosen(self, parsed_args: argparse.Namespace):  # type: ignore[no-untyped-def]
        if parsed_args.gr_check and not parsed_args.select:
            parsed_args.select = [*self.default_selection, 'global-specifiers']
        return super().chosen(parsed_args)

    def build_context(self, parsed_args: argparse.Namespace) -> Context:
        from openstack_requirements.ops.checks.context import Context
        from openstack_requirements.ops.project import read_project

        if parsed_args.project is None:
            raise RequirementsError(f'{self.cmd_name}: PROJECT_DIR is required')
        project = read_project(parsed_args.project, parsed_args.include)
        return Context.from_source(
            parsed_args.source,
            global_reqs=parsed_args.global_reqs,
            upper=parsed_args.upper,
            denylist=parsed_args.denylist,
            project=project,
        )
