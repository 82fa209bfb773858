"""update-requirements: sync projects with the global requirements."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from openstack_requirements.cli import base


class UpdateRequirements(base.Lister):
    """Sync projects' declared dependencies with global-requirements.txt.

    Edits only the requirement lines of packages in the global list, in
    the files the gate governs (requirements.txt, test-requirements.txt,
    doc/requirements.txt, setup.cfg extras, pyproject.toml dependencies;
    others with --include); comments, order, options and formatting are
    kept. By default a changed line follows the merge policy (the user
    guide's "The merge policy": a project keeps a higher minimum it
    chose, and its Python version marker where the global line has none);
    --exact takes the global specifiers as they are. A package neither in
    the global list nor in the excluded list is an error (nothing is
    written) unless --soft-update. hacking is synced only with -H.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        base.add_projects(
            parser,
            trees='project tree to sync',
            list_help='projects.txt: sync every listed project found under '
            '--root (default with --root: projects.txt of --source)',
        )
        base.add_include(parser)
        base.add_source(parser)
        parser.add_argument(
            '-s',
            '--soft-update',
            action='store_true',
            help='pass packages not in the global list through untouched instead of failing',
        )
        parser.add_argument(
            '-H',
            '--hacking',
            action='store_true',
            help='sync hacking too (without it, hacking lines are left as '
            'they are: projects pin their own linter)',
        )
        parser.add_argument(
            '--exact',
            action='store_true',
            help='take the global specifiers as they are, lower bounds '
            'included (default: keep a higher project minimum)',
        )
        parser.add_argument(
            '-o',
            '--output-suffix',
            metavar='SUFFIX',
            default='',
            help='write FILE.SUFFIX beside each changed file and leave the file itself alone',
        )
        base.add_write_mode(
            parser,
            write=('--commit',),
            write_help='in each project that changes (a git work tree), '
            'commit exactly the synced files as "Updated from '
            'global requirements", listing every change; a '
            'project with uncommitted changes in a governed file '
            'is refused, the others go on; nothing is pushed',
        )
        parser.add_argument(
            '--branch',
            metavar='NAME',
            help='with --commit: commit on branch NAME (created from the '
            'current one when missing; the project is left on it)',
        )
        parser.add_argument(
            '--change-id',
            action='store_true',
            help='with --commit: add a Gerrit Change-Id trailer (added '
            'anyway when the repository has a .gitreview)',
        )
        return parser

    def take_action(
        self, parsed_args: argparse.Namespace
    ) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
        from openstack_requirements.errors import FileError
        from openstack_requirements.ops import sync

        args = parsed_args
        selection = base.selected_projects(args, args.source)
        roots = [str(path) for _, path in selection.found]
        rows: list[tuple[str, ...]] = []
        for name in selection.missing:
            self.warn(f'{selection.projects_file}: {name}: not found under {selection.where}')
            rows.append((name, '', '', '', 'project not found'))

        global_list = sync.load_global(args.source)
        if not args.hacking:
            global_list = dataclasses.replace(
                global_list, excluded=global_list.excluded | {'hacking'}
            )
        policy = sync.Policy.EXACT if args.exact else sync.Policy.MERGE
        progress = (lambda path: self.warn(f'Syncing {path}')) if self.verbose else None
        if (args.branch or args.change_id) and not args.commit:
            raise FileError('--branch and --change-id go with --commit')
        if args.commit and args.output_suffix:
            raise FileError(
                '--commit writes the files themselves: it cannot be used with --output-suffix'
            )
        if args.commit:
            return sync.COLUMNS, rows + self._commit(roots, global_list, policy, args, progress)
        run = sync.plan(roots, global_list, policy, args.soft_update, progress, args.include)
        rows.extend(row.as_tuple() for row in run.rows)
        changeset = run.changeset
        if run.failed:
            for err in run.errors:
                self.warn(err.render())
            for problem in run.problems:
                self.warn(str(problem))
            self.warn('nothing was written')
            self.exit_code = 1
            if args.diff:
                # a refused sync makes no change: no diff, the refusal on
                # stderr and exit 1, as without --diff and with --check
                self.text = ''
        elif args.diff or args.check:
            if args.diff:
                self.text = changeset.diff()
            if args.check and changeset.pending:
                self.exit_code = 1
        else:
            for path in sync.write(changeset, args.output_suffix):
                if self.verbose:
                    self.warn(f'Wrote {path}')
        return sync.COLUMNS, rows

    def _commit(
        self,
        roots: list[str],
        global_list: Any,
        policy: Any,
        args: argparse.Namespace,
        progress: Any,
    ) -> list[tuple[str, ...]]:
        from openstack_requirements.ops.sync import commit

        outcomes = commit.commit_projects(
            roots,
            global_list,
            policy,
            args.soft_update,
            branch=args.branch,
            change_id=args.change_id,
            include=args.include,
            progress=progress,
        )
        rows: list[tuple[str, ...]] = []
        for outcome in outcomes:
            rows.extend(row.as_tuple() for row in outcome.rows)
            rows.append((str(outcome.root), '', '', '', outcome.reason))
            if outcome.status in (commit.REFUSED, commit.FAILED):
                self.warn(f'{outcome.root}: {outcome.reason}')
                self.exit_code = 1
        return rows
