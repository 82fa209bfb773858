"""minimums: find, explain and fix minimums that cannot be installed."""

from __future__ import annotations

import argparse
from typing import Any

from openstack_requirements.cli import base


class Minimums(base.Lister):
    """Find the minimum versions of a project that cannot be installed.

    For each project and Python, each install set a user meets (the
    project's own requirements with the test requirements, the docs
    requirements, each extra, each dependency group, each file --include
    adds) is resolved preferring the lowest version each direct
    requirement allows (uv's lowest-direct), building nothing. A row per
    false minimum: the declared minimum, the lowest release that installs
    with the rest (searched over the index's releases) and what forces it;
    a minimum no release satisfies on a Python, and an install set that
    does not resolve at all, are rows of their own kind. Exits 1 when any
    is found. --fix raises each false minimum in place (see the user
    guide's "Minimums"); --diff prints that change instead of the rows and
    exits 0, --check writes nothing and exits 1 on any finding, as lint.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        base.add_projects(
            parser,
            trees='project tree to check',
            list_help='projects.txt: check every listed project found under --root',
        )
        base.add_include(parser)
        base.add_source(parser)
        base.add_pythons(parser, 'a Python to check for: X.Y, an interpreter name or path')
        base.add_index(parser)
        parser.add_argument(
            '--allow-build',
            action='store_true',
            help='let the resolver build an sdist whose dependencies cannot '
            'be read without building it (runs its build backend); '
            'without it nothing is built, as generate-constraints',
        )
        parser.add_argument(
            '--timeout',
            type=float,
            default=1800,
            metavar='SECONDS',
            help='give up after this long: the whole run (default: %(default)g)',
        )
        parser.add_argument(
            '--jobs',
            type=int,
            default=3,
            metavar='N',
            help='resolutions run at once (default: %(default)s)',
        )
        parser.add_argument(
            '--summary',
            action='store_true',
            help='list instead, per package, the highest true minimum over '
            'all the projects (what a distribution must at least ship)',
        )
        base.add_write_mode(
            parser,
            write=('--fix',),
            write_help='raise each false minimum in place to the highest of its '
            "lowest workable releases over the Pythons (never below the global list's "
            'minimum); the rest of each file is kept byte for byte',
        )
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple[str, ...], list[Any]]:
        from pathlib import Path

        from openstack_requirements.errors import FileError
        from openstack_requirements.ops.constraints import resolvers
        from openstack_requirements.ops.minimums import run as minimums
        from openstack_requirements.ops.project import read_project

        args = parsed_args
        if args.jobs < 1:
            raise FileError('--jobs must be at least 1')
        selection = base.selected_projects(args, args.source)
        for name in selection.missing:
            self.warn(f'{selection.projects_file}: {name}: not found under {selection.where}')
        projects = [(name, read_project(path, args.include)) for name, path in selection.found]
        options = resolvers.ResolverOptions(
            index_url=args.index_url,
            find_links=tuple(
                str(Path(p).absolute()) if '://' not in p else p for p in args.find_links
            ),
            no_index=args.no_index,
            reuse=not args.no_reuse,
            timeout=args.timeout,
            allow_build=args.allow_build,
        )
        progress = self.warn if self.verbose else None
        run = minimums.check_projects(
            projects, base.pythons(args), options, progress=progress, jobs=args.jobs
        )
        if self.verbose:
            self.warn(
                f'{run.resolutions} resolutions ({run.reused} reused) in {run.seconds:.1f} s'
            )
        # as lint: exit 1 on any finding, unless --diff alone shows the fix
        if run.found and (args.check or not args.diff):
            self.exit_code = 1
        if args.fix or args.diff or args.check:
            self._write(run, args)
        if run.found and args.diff and not args.check:
            self.warn(f'{len(run.rows())} findings (not shown with --diff)')
        if args.summary:
            return minimums.SUMMARY_COLUMNS, run.summary()
        return minimums.COLUMNS, run.rows()

    def _write(self, run: Any, args: argparse.Namespace) -> None:
        from openstack_requirements.ops.minimums import fix
        from openstack_requirements.ops.sync import load_global

        global_list = load_global(args.source)
        changeset, skipped = fix.fix(run.checked, global_list.lines)
        for line in skipped:
            self.warn(line)
        if args.diff or args.check:
            if args.diff:
                self.text = changeset.diff()
            if args.check and changeset.pending:
                self.exit_code = 1
            return
        for path in changeset.write():
            if self.verbose:
                self.warn(f'Wrote {path}')
