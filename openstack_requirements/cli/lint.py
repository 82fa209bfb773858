"""lint: the global requirements list sorted, canonical, unambiguous."""

from __future__ import annotations

import argparse
from typing import Any

from openstack_requirements.cli import base


class Lint(base.Lister):
    """Check that the global requirements list is tidy.

    Within each "## section:NAME" block the entries are sorted
    (case-insensitively, a "#" comment line moving with the requirement
    below it), every requirement is in canonical form, no package is on
    two lines unless markers tell the lines apart, and blank lines part
    the sections and follow each section's "##" lines, nowhere else.
    Lists each problem and exits 1 if there is any (--check says so
    explicitly). --fix rewrites the file (atomically) and lists what it
    cannot fix (duplicates); the header above the first section is kept
    as it is. --diff prints what --fix would change instead of the list.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'path',
            metavar='FILE',
            nargs='?',
            help='the list to check (default: global-requirements.txt of --source)',
        )
        base.add_source(parser)
        base.add_write_mode(
            parser, write=('--fix',), write_help='rewrite FILE in place, atomically'
        )
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        from openstack_requirements.model import RequirementsFile
        from openstack_requirements.ops import data
        from openstack_requirements.ops.checks import lint
        from openstack_requirements.ops.files import Change, Changeset, read_text

        path = data.locate(data.GLOBAL, parsed_args.path, source=parsed_args.source, required=True)
        assert path is not None
        text = read_text(path)
        parsed = RequirementsFile.parse(text, str(path))
        columns = ('File', 'Line', 'Package', 'Problem', 'Message')
        change = Change(str(path), text, lint.fix(parsed))
        if parsed_args.diff:
            self.text = change.diff()
        if parsed_args.fix and change.changed:
            Changeset([change]).write()
            before = len(lint.lint(parsed))
            parsed = RequirementsFile.parse(change.new, str(path))
            problems = lint.lint(parsed)
            self.warn(f'{path}: rewritten, {before - len(problems)} problems fixed')
        else:
            problems = lint.lint(parsed)
        if problems and (parsed_args.check or not parsed_args.diff):
            self.exit_code = 1
            if parsed_args.diff:  # the list is not shown: say why
                self.warn(f'{path}: {len(problems)} problems')
        return columns, [(str(path), p.line, p.package, p.check, p.message) for p in problems]
