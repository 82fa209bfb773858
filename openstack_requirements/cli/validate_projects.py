"""validate-projects: every listed project runs the requirements check."""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

from openstack_requirements.cli import base


class ValidateProjects(base.Lister):
    """Check that every project of projects.txt runs the requirements check.

    A project passes when its Zuul project stanza uses the
    check-requirements template or runs the requirements-check job in its
    check pipeline, in its own repository's Zuul configuration (the
    checkout under --root) or in project-config's projects.yaml. hacking,
    pbr and requirements are exempt. Lists the projects that fail (all of
    them with --all); exits 1 when any fails or is not found.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        base.add_projects(
            parser,
            trees=None,
            list_positional=True,
            list_help='projects.txt (default: the shipped one)',
        )
        parser.add_argument(
            '--project-config',
            metavar='DIR',
            help='a project-config checkout (its zuul.d/projects.yaml is read), or that file',
        )
        parser.add_argument(
            '--all', action='store_true', help='list every project, passing and exempt ones too'
        )
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        from openstack_requirements.ops.reports import zuul

        # only the checkouts' Zuul files are read: a symlinked one is followed
        selection = base.selected_projects(parsed_args, always_list=True, confined=False)
        results = zuul.validate(selection, project_config=parsed_args.project_config)
        counts = Counter(r.status for r in results)
        failed = sum(counts[s] for s in zuul.PROBLEMS)
        self.warn(
            f'{self.cmd_name}: {len(results)} projects, {counts[zuul.OK]} '
            f'run the check, {counts[zuul.EXEMPTED]} exempt, '
            f'{counts[zuul.MISSING]} without it, {counts[zuul.NOT_FOUND]} '
            f'not found, {counts[zuul.UNREADABLE]} unreadable'
        )
        if failed:
            self.exit_code = 1
        shown = results if parsed_args.all else [r for r in results if r.status in zuul.PROBLEMS]
        return zuul.COLUMNS, [r.row() for r in shown]
