"""who-uses: every project line that declares a package."""

from __future__ import annotations

import argparse
from typing import Any

from openstack_requirements.cli import base


class WhoUses(base.Lister):
    """List every project line that declares a package.

    Reads every dependency file of each project tree, governed by the
    sync or not, as upstream's grep-all looks: each *requirements*.txt,
    setup.cfg (extras) and pyproject.toml (dependencies, optional
    dependencies, dependency groups) at any depth, leaving out .git, .tox,
    virtualenvs and node_modules. Names match canonically (oslo.config,
    oslo_config and Oslo-Config are one package). Each line comes with its
    specifier, markers and the upper constraint of --source that applies
    to it. A file that does not read is named on stderr and the exit
    status is 1; the other files are still listed. Projects are the
    PROJECT_DIRs given and the checkouts under --root of the projects
    listed in --projects (default: projects.txt of --source).
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='NAME', help='the package')
        base.add_projects(parser)
        base.add_source(parser)
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        from openstack_requirements.ops.reports import usage

        args = parsed_args
        selection = base.selected_projects(args, args.source)
        if selection.missing:
            self.warn(
                f'{len(selection.missing)} projects of '
                f'{selection.projects_file} have no checkout under '
                f'{selection.where}'
            )
        found = selection.found
        upper = base.upper_constraints(args.source)
        rows, index = usage.who_uses(args.name, found, upper)
        for _name, err in index.unreadable:
            self.warn(err.render())
        if index.unreadable:
            self.exit_code = 1
        projects = len({row[0] for row in rows})
        self.warn(
            f'{len(rows)} lines in {projects} projects declare '
            f'{args.name} ({len(index.projects)} projects read'
            + (f', {len(index.unreadable)} unreadable' if index.unreadable else '')
            + ')'
        )
        return usage.WHO_USES_COLUMNS, rows
