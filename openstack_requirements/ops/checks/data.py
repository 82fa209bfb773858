"""The governance data kept coherent: global list, upper constraints and
denylist (what ``validate-constraints`` runs)."""

from __future__ import annotations

from collections.abc import Iterable

from openstack_requirements.model import Kind, Line, Requirement, canonical, render_specifier
from openstack_requirements.model.versions import STATED_LOWER
from openstack_requirements.ops.checks.base import DATA, Check, Finding, LineCheck, repeated
from openstack_requirements.ops.checks.context import Context, DataFile, marker_text
from openstack_requirements.ops.constraints import INSTALLERS

#: Packages the global list may hold without a constraint: installers and
#: Windows-only modules.
UNPINNED = INSTALLERS | {'argparse', 'wmi', 'pywin32', 'pymi'}


def _files(context: Context) -> list[DataFile]:
    return [
        f
        for f in (context.global_reqs, context.upper, context.denylist, context.backports)
        if f is not None
    ]


class Parse(Check):
    name = 'parse'
    description = 'every line of the data parses (names, specifiers, markers)'
    scope = DATA

    def check(self, context: Context) -> Iterable[Finding]:
        for data_file in _files(context):
            for err in data_file.errors:
                yield self.finding(
                    data_file.label,
                    err.line,
                    '',
                    f'column {err.column}: {err.reason}: {err.source}',
                )


class ConstraintFormat(Check):
    name = 'constraint-format'
    description = 'every constraint is one exact === pin'
    scope = DATA
    needs = ('upper',)

    def check(self, context: Context) -> Iterable[Finding]:
        if context.upper is None:
            return
        for line in context.upper.lines:
            if line.kind is Kind.OPTION:
                yield self.finding(
                    context.upper.label, line.lineno, '', f'not a constraint: {line.text.strip()}'
                )
            req = line.requirement
            if req is None:
                continue
            items = list(req.specifier)
            if req.url or len(items) != 1 or items[0].operator != '===':
                yield self.finding(
                    context.upper.label,
                    line.lineno,
                    req.name,
                    f'not an exact === pin: {line.text.strip()}',
                )


class ConstraintMatchesGlobal(LineCheck):
    name = 'constraint-matches-global'
    description = 'every pin satisfies the global specifiers for its markers'
    scope = DATA
    over = 'upper'
    needs = ('upper', 'global_reqs')

    def problems(self, context: Context, line: Line, req: Requirement) -> Iterable[str]:
        entries = context.global_by_key.get(line.key or '')
        if not entries or req.url:
            return
        same = [e for e in entries if marker_text(e) == marker_text(line)]
        candidates = same or entries
        for spec in req.specifier:
            if not any(
                e.requirement.specifier.contains(  # type: ignore[union-attr]
                    spec.version, prereleases=True
                )
                for e in candidates
            ):
                wanted = ' or '.join(
                    render_specifier(e.requirement.specifier) or '(any)'  # type: ignore[union-attr]
                    for e in candidates
                )
                yield f'{spec.version} does not satisfy the global list: {wanted}'


class GlobalNamed(Check):
    name = 'global-named'
    description = 'the global list holds named requirements only: no URL, -e or pip option lines'
    scope = DATA
    needs = ('global_reqs',)

    def check(self, context: Context) -> Iterable[Finding]:
        if context.global_reqs is None:
            return
        for line in context.global_reqs.lines:
            req = line.requirement
            if line.kind is Kind.OPTION:
                what = 'a pip option line'
            elif req is not None and req.editable:
                what = 'an editable (-e) line'
            elif req is not None and req.url:
                what = 'a URL line'
            else:
                continue
            yield self.finding(
                context.global_reqs.label,
                line.lineno,
                req.name if req is not None else '',
                f'{what}, not a named requirement: {line.text.strip()}',
            )


class NoGlobalLowerBounds(LineCheck):
    name = 'no-global-lower-bounds'
    description = 'no >= lower bounds in the global list (policy since 2018)'
    scope = DATA
    over = 'global'
    needs = ('global_reqs',)

    def problems(self, context: Context, line: Line, req: Requirement) -> Iterable[str]:
        bounds = [str(s) for s in req.specifier if s.operator in STATED_LOWER]
        if bounds:
            yield f'lower bound {",".join(bounds)} in the global list'


class GlobalCanonical(LineCheck):
    name = 'global-canonical'
    description = 'the global list is in canonical form (the diff is shown)'
    scope = DATA
    over = 'global'
    needs = ('global_reqs',)

    def check_line(self, context: Context, label: str, line: Line) -> Iterable[Finding]:
        wanted = canonical(line).text
        if line.text != wanted:
            yield self.finding(label, line.lineno, line.key, f'-{line.text}\n+{wanted}')


class Coverage(Check):
    name = 'coverage'
    description = 'every global package is pinned or denylisted, and none is both'
    scope = DATA
    needs = ('global_reqs', 'upper', 'denylist')

    def check(self, context: Context) -> Iterable[Finding]:
        if context.global_reqs is None or context.upper is None:
            return
        pinned = set(context.upper_by_key)
        denied = context.denied
        deny_label = context.denylist.label if context.denylist else 'denylist'
        for key, lines in sorted(context.global_by_key.items()):
            if not lines or key in UNPINNED or key in denied or key in pinned:
                continue  # (a line that does not parse: the parse check)
            yield self.finding(
                context.global_reqs.label,
                lines[0].lineno,
                key,
                f'in the global list but neither in {context.upper.label} nor in {deny_label}',
            )
        for key in sorted(pinned & denied):
            yield self.finding(
                context.upper.label,
                context.upper_by_key[key][0].lineno,
                key,
                f'both pinned and in {deny_label}',
            )


class DuplicateLines(Check):
    name = 'duplicate-lines'
    description = 'no package twice with the same markers in one data file'
    scope = DATA

    def check(self, context: Context) -> Iterable[Finding]:
        for data_file in _files(context):
            for line in repeated(data_file.requirement_lines(), _identity):
                yield self.finding(
                    data_file.label,
                    line.lineno,
                    line.key,
                    'listed more than once with the same markers',
                )


def _identity(line: Line) -> tuple[str, str] | None:
    return None if line.key is None else (line.key, marker_text(line))
