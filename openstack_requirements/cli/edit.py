"""edit-constraints: replace, add or remove one package in a constraints file."""

from __future__ import annotations

import argparse

from openstack_requirements.cli import base

_TRAILING = {'--diff': 'diff', '--dry-run': 'diff', '--check': 'check'}


class EditConstraints(base.Command):
    """Replace, add or remove one package in a constraints file.

    Every line of NAME (compared canonically, all marker variants) is
    replaced by REPLACEMENT at the place of the first; REPLACEMENT is
    appended when NAME is absent; NAME is removed when REPLACEMENT is empty
    or missing. Every other line stays byte for byte; the file is replaced
    atomically. REPLACEMENT may start with -e without a '--' before it.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        base.add_write_mode(parser)
        parser.add_argument(
            'constraints', metavar='CONSTRAINTS', help='constraints file to edit in place'
        )
        parser.add_argument('name', metavar='NAME', help='package whose lines are replaced')
        replacement = parser.add_argument(
            'replacement',
            metavar='REPLACEMENT',
            nargs=argparse.REMAINDER,
            default=[],
            help="the new line, e.g. 'oslo.db===17.1.0' or "
            '-e file:///opt/stack/oslo.db#egg=oslo.db; empty or '
            'missing removes NAME',
        )
        # optional: argparse makes every REMAINDER positional required, and
        # would name it when NAME is what is missing
        replacement.required = False
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        from openstack_requirements.ops import constraints, files

        words = list(parsed_args.replacement)
        if words and words[0] == '--':
            words = words[1:]
        else:  # options written after an unquoted -e REPLACEMENT
            for flag, dest in _TRAILING.items():
                if flag in words:
                    words.remove(flag)
                    setattr(parsed_args, dest, True)
        replacement = ' '.join(words).strip() or None
        path = parsed_args.constraints
        old = files.read_text(path)
        current = files.RequirementsFile.parse(old, path)
        edited = constraints.edit(current, parsed_args.name, replacement)
        if replacement is None and not constraints.contains(current, parsed_args.name):
            self.warn(f'{path}: no {parsed_args.name}; nothing to remove')
        changes = files.Changeset()
        changes.add(path, old, edited.render())
        if parsed_args.diff:
            self.app.stdout.write(changes.diff())
        if parsed_args.check:
            return 1 if changes.pending else 0
        if not parsed_args.diff:
            changes.write()
        return 0
