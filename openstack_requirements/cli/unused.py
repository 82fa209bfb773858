"""unused: global requirements that no listed project declares."""

from __future__ import annotations

import argparse
from typing import Any

from openstack_requirements.cli import base


class Unused(base.Lister):
    """List the global requirements no listed project uses.

    Reads the local checkouts of the projects in projects.txt found under
    --root (as ORG/NAME or NAME), every dependency source of each, as
    update-requirements reads them, and lists the packages of the global
    requirements that none of them declares ("unused package"), then the
    listed projects without a checkout ("missing project") and the
    checkouts that could not be read ("unreadable project"): while any
    project is missing, a package may only look unused. Exits 1 when
    there is any row.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        base.add_projects(
            parser,
            trees=None,
            root_required=True,
            list_help='the list of projects (default: projects.txt of --source)',
        )
        parser.add_argument(
            '--global-requirements',
            metavar='FILE',
            help='global requirements file (default: global-requirements.txt of --source)',
        )
        base.add_source(parser)
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        from openstack_requirements.ops import data
        from openstack_requirements.ops.files import read_requirements
        from openstack_requirements.ops.reports import unused

        global_path = data.locate(
            data.GLOBAL, parsed_args.global_requirements, source=parsed_args.source, required=True
        )
        assert global_path is not None
        selection = base.selected_projects(
            parsed_args, parsed_args.source, beside=global_path, always_list=True
        )
        report = unused.find_unused(read_requirements(global_path), selection)
        rows: list[tuple[str, str, str]] = []
        for package in report.unused:
            rows.append(
                (
                    'unused package',
                    package.name,
                    f'{global_path.name}:{package.line} section {package.section}'.rstrip(),
                )
            )
        for name in report.missing:
            rows.append(('missing project', name, f'no checkout under {selection.where}'))
        for name, reason in report.unreadable:
            rows.append(('unreadable project', name, reason))
        self.warn(
            f'{report.read} projects read, {len(report.missing)} '
            f'missing, {len(report.unused)} unused packages'
        )
        if rows:
            self.exit_code = 1
        return ('Kind', 'Name', 'Detail'), rows
