"""What every check command shares: selection options, the findings
table, the one-line summary and the exit status."""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from openstack_requirements.cli import base

if TYPE_CHECKING:
    from openstack_requirements.ops.checks.base import Check
    from openstack_requirements.ops.checks.context import Context
    from openstack_requirements.ops.findings import Severity


class CheckCommand(base.Lister):
    """A command that runs check plugins of some scopes."""

    #: The scopes of the checks this command runs.
    scopes: tuple[str, ...] = ()
    #: When set, the checks run by default (instead of every default one).
    default_selection: tuple[str, ...] = ()
    #: Data files (``upper``...) whose absence skips the checks reading
    #: them, unless chosen by name; any other missing file is an error.
    optional_data: tuple[str, ...] = ()

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        group = parser.add_argument_group('check selection')
        group.add_argument(
            '--select',
            metavar='NAME',
            action='append',
            default=[],
            help='run only these checks (repeat or separate with commas); '
            'also runs checks that are off by default',
        )
        group.add_argument(
            '--ignore',
            metavar='NAME',
            action='append',
            default=[],
            help='do not run these checks (repeat or separate with commas)',
        )
        group.add_argument(
            '--list-checks',
            action='store_true',
            help='list the checks (name, scope, severity, default, description) and run nothing',
        )
        return parser

    def build_context(self, parsed_args: argparse.Namespace) -> Context:
        raise NotImplementedError

    def chosen(self, parsed_args: argparse.Namespace) -> list[Check]:
        from openstack_requirements.ops.checks import base as checks

        available = checks.available(self.scopes)
        selected = checks.split_names(parsed_args.select)
        if not selected and self.default_selection:
            selected = list(self.default_selection)
        given = {dest for dest, value in vars(parsed_args).items() if value}
        return checks.select(available, selected, checks.split_names(parsed_args.ignore), given)

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        from openstack_requirements.ops.checks import base as checks

        if parsed_args.list_checks:
            every = checks.available(self.scopes)
            run = {c.name for c in self.chosen(parsed_args)}
            return (
                ('Check', 'Scope', 'Severity', 'Enabled', 'Description'),
                [
                    (
                        c.name,
                        ', '.join((c.scope, *c.also)),
                        c.severity,
                        c.name in run,
                        c.description,
                    )
                    for c in every
                ],
            )
        chosen = self.chosen(parsed_args)
        context = self.build_context(parsed_args)
        chosen, skipped = checks.runnable(
            chosen,
            context,
            optional=self.optional_data,
            named=checks.split_names(parsed_args.select),
        )
        for skip in skipped:
            self.warn(f'{self.cmd_name}: {skip}')
        findings = checks.run(chosen, context)
        counts = Counter(f.severity for f in findings)
        self.warn(summary(self.cmd_name, counts, len(chosen), [s.check for s in skipped]))
        if counts[checks.ERROR]:
            self.exit_code = 1
        return checks.COLUMNS, [f.row() for f in findings]


def summary(
    command: str | None, counts: Counter[Severity], ran: int, skipped: Sequence[str] = ()
) -> str:
    def plural(n: int, word: str) -> str:
        return f'{n} {word}{"" if n == 1 else "s"}'

    parts = [plural(counts['error'], 'error'), plural(counts['warning'], 'warning')]
    if counts['info']:
        parts.append(f'{counts["info"]} info')
    checks = f'{plural(ran, "check")} run'
    if skipped:
        checks += f', {len(skipped)} skipped: {", ".join(skipped)}'
    return f'{command or "checks"}: {", ".join(parts)} ({checks})'
