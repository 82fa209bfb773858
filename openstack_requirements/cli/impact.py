"""impact: what a change to the governance data does to every project."""

from __future__ import annotations

import argparse
from typing import Any

from openstack_requirements.cli import base


class Impact(base.Lister):
    """Report what a change to the governance data does to every project.

    Compares the base data (--base: a directory, or a git revision of the
    checkout holding --source, by default HEAD) with the proposed data
    (--source, by default the working tree) over the project checkouts
    (PROJECT_DIRs, and those of --projects found under --root). One list,
    its Kind column saying what each row is: a "change" row for each
    package the change touches (added, removed, specifier or markers
    changed, constraint bumped, newly denylisted...), then each project
    line declaring that package, once, as a "break" (its specifiers
    exclude the proposed upper constraint, or would once synced; or the
    change removes the package from the global list), a "sync" (New is
    what update-requirements would write there because of this change;
    syncs already pending before it are left out) or "uses" (nothing
    happens to it). With --packages, a "distro" row for each new
    requirement or raised minimum above what those Debian releases
    package (the distro-minimum check; a warning). A summary line goes to
    stderr. Exits 1 when any project breaks.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--base', metavar='DIR|REV', default='HEAD',
            help='the data before the change: a directory, or a git '
                 'revision of the checkout holding --source (default: '
                 'HEAD)')
        parser.add_argument(
            '--source', metavar='DIR', default=None,
            help='the proposed data: the directory holding '
                 'global-requirements.txt, upper-constraints.txt and the '
                 'denylist (default: the working directory, else the '
                 'shipped data)')
        parser.add_argument(
            '--kind', action='append', default=[],
            choices=('change', 'break', 'sync', 'uses', 'distro'),
            help='list only the rows of this kind (repeat for more; the '
                 'summary and the exit status still count every row)')
        parser.add_argument(
            '--exact', action='store_true',
            help='plan the syncs as update-requirements --exact does')
        parser.add_argument(
            '--hacking', action='store_true',
            help='sync hacking too, as update-requirements -H does')
        base.add_projects(parser)
        base.add_include(parser)
        base.add_packages(parser)
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        from openstack_requirements.ops import data, sync
        from openstack_requirements.ops.reports import impact

        args = parsed_args
        source = str(data.place(args.source))
        proposed = impact.Snapshot.from_directory(source)
        before = impact.Snapshot.base(args.base, source)
        selection = base.selected_projects(args, source)
        report = impact.impact(
            before, proposed, selection.found, selection.missing,
            args.include, frozenset() if args.hacking else frozenset({'hacking'}),
            sync.Policy.EXACT if args.exact else sync.Policy.MERGE)
        for _name, reason in report.unreadable:
            self.warn(reason)
        self.warn(f'{before.label} -> {proposed.label}: {report.summary()}')
        if report.broken:
            self.exit_code = 1
        rows = [*report.rows, *self.distro_rows(args, before, proposed)]
        rows = [row for row in rows if not args.kind or row[0] in args.kind]
        return impact.COLUMNS, rows

    def distro_rows(self, args: argparse.Namespace, before: Any,
                    proposed: Any) -> list[tuple[Any, ...]]:
        """With --packages, a "distro" row for each warning of the
        distro-minimum check on the change."""
        distributions = base.distributions(args)
        if distributions is None:
            return []
        from openstack_requirements.ops.checks import distro

        findings = list(distro.on_change(before.global_text, proposed.global_text,
                                         distributions))
        self.warn(f'{distro.NAME}: {len(findings)} '
                  f'warning{"" if len(findings) == 1 else "s"}')
        return [('distro', f.package, '', f.file, f.line or 0, '', '', f.message)
                for f in findings]
