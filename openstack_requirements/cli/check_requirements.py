"""check-requirements: a project against the requirements contract."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from openstack_requirements.cli import base
from openstack_requirements.cli.checks import CheckCommand
from openstack_requirements.errors import RequirementsError

if TYPE_CHECKING:
    from openstack_requirements.ops.checks.context import Context


class CheckRequirements(CheckCommand):
    """Check a project's dependencies against the global requirements.

    Every dependency source counts: requirement files, setup.cfg extras,
    pyproject.toml dependencies, optional dependencies and dependency
    groups. Lists one finding a row; exits 1 when any is an error.
    """

    scopes = ('project',)
    #: The requirements-check job reads only the global list and the
    #: denylist: without upper-constraints.txt, upper-constraint is skipped.
    optional_data = ('upper',)

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'project',
            metavar='PROJECT_DIR',
            nargs='?',
            help='root of the project tree to check (required unless --list-checks)',
        )
        base.add_include(parser)
        base.add_source(parser)
        base.add_packages(parser)
        parser.add_argument(
            '--branch',
            metavar='BRANCH',
            default='master',
            help='target branch of the change (default: master); some '
            'rules apply only on master/main',
        )
        from openstack_requirements.ops.checks import names

        parser.add_argument(
            '--names',
            choices=names.RULES,
            default=None,
            help="how a package name must match the global list's: "
            '"written", exactly (the job since 2025-10-27, on master and '
            'stable/2025.1 on); "pkg_resources", alike once each run of '
            'characters but letters, digits and "." is one "-" (the job '
            'before, and on older series); default: as the job on '
            '--branch',
        )
        return parser

    def build_context(self, parsed_args: argparse.Namespace) -> Context:
        from openstack_requirements.ops.checks.context import Context
        from openstack_requirements.ops.project import read_project

        if parsed_args.project is None:
            raise RequirementsError(f'{self.cmd_name}: PROJECT_DIR is required')
        project = read_project(parsed_args.project, parsed_args.include)
        return Context.from_source(
            parsed_args.source,
            project=project,
            branch=parsed_args.branch,
            distributions=base.distributions(parsed_args),
            names=parsed_args.names,
        )
