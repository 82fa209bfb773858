"""impact: what a change to the governance data does to every project."""

from __future__ import annotations

import argparse
from typing import Any

from openstack_requirements.cli import base

#: Seconds the releases a constraint change pins may take to be read.
TIMEOUT = 60


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
    exclude the proposed upper constraint, or would once synced), a
    "sync" (New is what update-requirements would write there because of
    this change; syncs already pending before it are left out) or "uses"
    (nothing happens to it). Each release a constraint change pins is read
    from the package index (its metadata only) and its requirements held
    against the other pins, for each Python the constraints are made for:
    a pin one excludes is a "break" row of the constraint ("oslo.foo 2.0
    requires netaddr>=2.0; pinned 1.0"). Each project declaring a package of the
    change goes through the requirements-check job's checks (those of
    check-requirements, with the rules of --branch) with the base and the
    proposed data: a check it newly fails is a "break" row (Detail: the
    check and its message), one it newly passes a "fix". With --packages,
    a "distro" row for each new requirement or raised minimum above what
    those Debian releases package (the distro-minimum check; a warning).
    A summary line goes to stderr. Exits 1 when anything breaks.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--base',
            metavar='DIR|REV',
            default=None,
            help='the data before the change: a directory, or a git '
            'revision of the checkout holding --source (default: '
            'HEAD; with --branch, where HEAD left that branch, '
            "origin's if the checkout has it)",
        )
        parser.add_argument(
            '--branch',
            metavar='BRANCH',
            default=None,
            help='the branch of the requirements and projects the change is '
            "for: the checks follow the job's rules there (stable/ "
            'branches: no duplicates rule, no pyproject.toml rule, '
            "names compared as the series' job compares them); "
            'default: master',
        )
        parser.add_argument(
            '--source',
            metavar='DIR',
            default=None,
            help='the proposed data: the directory holding '
            'global-requirements.txt, upper-constraints.txt and the '
            'denylist (default: the working directory, else the '
            'shipped data)',
        )
        parser.add_argument(
            '--kind',
            action='append',
            default=[],
            choices=('change', 'break', 'fix', 'sync', 'uses', 'distro'),
            help='list only the rows of this kind (repeat for more; the '
            'summary and the exit status still count every row)',
        )
        parser.add_argument(
            '--index-url',
            metavar='URL',
            help='package index to read the releases a constraint change '
            'pins from, instead of PyPI (their metadata only: nothing '
            'is installed or built)',
        )
        parser.add_argument(
            '--no-index',
            action='store_true',
            help='read no index: the dependencies of the releases a '
            'constraint change pins are not checked',
        )
        parser.add_argument(
            '--exact',
            action='store_true',
            help='plan the syncs as update-requirements --exact does',
        )
        parser.add_argument(
            '--hacking',
            action='store_true',
            help='sync hacking too, as update-requirements -H does',
        )
        base.add_projects(parser)
        base.add_include(parser)
        base.add_packages(parser)
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        from openstack_requirements.ops import data, git, sync
        from openstack_requirements.ops.reports import impact, impact_rows

        args = parsed_args
        source = str(data.place(args.source))
        proposed = impact.Snapshot.from_directory(source)
        if args.base is None and args.branch is not None:
            commit, ref = git.fork_point(source, args.branch)
            before = impact.Snapshot.from_revision(
                source,
                commit,
                ref
                if git.resolve(source, ref) == commit
                else f'{commit[:12]} (where HEAD left {ref})',
            )
        else:
            before = impact.Snapshot.base(args.base or 'HEAD', source)
        selection = base.selected_projects(args, source)
        report = impact.impact(
            before,
            proposed,
            selection.found,
            selection.missing,
            args.include,
            frozenset() if args.hacking else frozenset({'hacking'}),
            sync.Policy.EXACT if args.exact else sync.Policy.MERGE,
            args.branch or 'master',
            self.package_index(args),
        )
        for _name, reason in report.unreadable:
            self.warn(reason)
        for reason in report.unread:
            self.warn(f'not read from the index: {reason}')
        self.warn(f'{before.label} -> {proposed.label}: {report.summary()}')
        if report.broken:
            self.exit_code = 1
        rows = [*report.rows, *self.distro_rows(args, before, proposed)]
        return impact_rows.COLUMNS, [
            row.cells() for row in rows if not args.kind or row.kind.value in args.kind
        ]

    def package_index(self, args: argparse.Namespace) -> Any:
        """What makes the index the releases a constraint change pins are
        read from (``None`` with --no-index)."""
        if args.no_index:
            return None

        def make() -> Any:
            import time

            from openstack_requirements.ops.constraints.metadata import bounds, index
            from openstack_requirements.ops.constraints.resolvers.uv_env import PYPI

            deadline = bounds.Deadline(time.monotonic() + TIMEOUT, seconds=TIMEOUT)
            return index.Index(args.index_url or PYPI, deadline=deadline)

        return make

    def distro_rows(self, args: argparse.Namespace, before: Any, proposed: Any) -> list[Any]:
        """With --packages, a "distro" row for each warning of the
        distro-minimum check on the change."""
        distributions = base.distributions(args)
        if distributions is None:
            return []
        from openstack_requirements.ops.checks import distro
        from openstack_requirements.ops.reports.impact_rows import Kind, Row

        findings = list(distro.on_change(before.global_text, proposed.global_text, distributions))
        self.warn(f'{distro.NAME}: {len(findings)} warning{"" if len(findings) == 1 else "s"}')
        return [
            Row(Kind.DISTRO, f.package, '', f.file, f.line or 0, '', '', f.message)
            for f in findings
        ]
