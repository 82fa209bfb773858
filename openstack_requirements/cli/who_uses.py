"""who-uses: every project line that declares a package."""

from __future__ import annotations

import argparse
from typing import Any

from openstack_requirements.cli import base


class WhoUses(base.Lister):
    """List every project line that declares a package.

    Reads every dependency source of each project (every requirements
    file, governed by the sync or not, as upstream's grep-all does;
    setup.cfg extras; pyproject.toml dependencies, optional dependencies
    and dependency groups) and matches
    names canonically (oslo.config, oslo_config and Oslo-Config are one
    package). Each line comes with its specifier, markers and the upper
    constraint of --source that applies to it. Projects are the
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
        from openstack_requirements.ops import usage

        args = parsed_args
        found = base.selected_projects(self, args, args.source).found
        upper = base.upper_constraints(args.source)
        rows, index = usage.who_uses(args.name, found, upper)
        for _name, err in index.unreadable:
            self.warn(err.render())
        if index.unreadable:
            self.exit_code = 1
        projects = len({row[0] for row in rows})
        self.warn(f'{len(rows)} lines in {projects} projects declare '
                  f'{args.name} ({len(index.projects)} projects read'
                  + (f', {len(index.unreadable)} unreadable'
                     if index.unreadable else '') + ')')
        return usage.WHO_USES_COLUMNS, rows

