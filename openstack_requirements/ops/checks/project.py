"""The project contract: what the check-requirements job enforces on a
project that accepted the global requirements.

Every dependency source counts: requirement files, setup.cfg extras,
pyproject dependencies, optional dependencies and dependency groups.
Names are compared canonically (the spelling check asks, as the job
does, for the global list's spelling too), specifiers as version sets,
markers parsed. Denylisted packages are exempt from every rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openstack_requirements.model import Kind, Line, Requirement, render_specifier
from openstack_requirements.model.versions import has_lower_bound
from openstack_requirements.ops.checks import names, specs
from openstack_requirements.ops.checks.base import (
    PROJECT,
    WARNING,
    Check,
    Finding,
    LineCheck,
    repeated,
)
from openstack_requirements.ops.checks.context import (
    Context,
    is_local,
    marker_text,
    python3_only,
)
from openstack_requirements.ops.checks.data import UNPINNED


class InGlobal(LineCheck):
    name = 'in-global'
    description = 'every dependency is in the global list or the denylist'
    scope = PROJECT
    needs = ('global_reqs', 'denylist')

    def problems(self, context: Context, line: Line, req: Requirement) -> Iterable[str]:
        if line.key not in context.global_by_key and not context.broken(
            context.global_reqs, line.key or ''
        ):
            yield 'not in the global requirements (nor in the denylist)'


class DataLines(Check):
    name = 'data-lines'
    description = "the global and constraint lines of the project's dependencies parse"
    scope = PROJECT
    needs = ('global_reqs',)

    def check(self, context: Context) -> Iterable[Finding]:
        seen: set[tuple[str, int]] = set()
        for label, line in context.lines('governed'):
            for data_file in (context.global_reqs, context.upper):
                for err in context.broken(data_file, line.key or ''):
                    assert data_file is not None
                    if (data_file.label, err.line) in seen:
                        continue
                    seen.add((data_file.label, err.line))
                    yield self.finding(
                        data_file.label,
                        err.line,
                        line.requirement.name,  # type: ignore[union-attr]
                        f'column {err.column}: {err.reason}: {err.source} '
                        f'(needed by {label}:{line.lineno})',
                    )


class DirectReference(LineCheck):
    name = 'direct-reference'
    description = 'no URL or path requirements: every dependency comes from the index'
    scope = PROJECT
    over = 'declared'

    def problems(self, context: Context, line: Line, req: Requirement) -> Iterable[str]:
        if req.url and not is_local(line):
            yield (
                f'direct reference {req.url!r}: the contract needs '
                'a named requirement from the package index'
            )


class LowerBound(LineCheck):
    name = 'lower-bound'
    description = 'every dependency line has a lower bound (>=, >, ~= or a pin)'
    scope = PROJECT
    needs = ('denylist',)

    def problems(self, context: Context, line: Line, req: Requirement) -> Iterable[str]:
        if not req.url and not has_lower_bound(req.specifier):
            yield 'no lower bound'


class Exclusions(LineCheck):
    name = 'exclusions'
    description = (
        "exclusions and caps are a subset of the global entry's, compared as version sets"
    )
    scope = PROJECT
    needs = ('global_reqs', 'denylist')

    def problems(self, context: Context, line: Line, req: Requirement) -> Iterable[str]:
        entry, agree = context.match_global(line)
        if entry is None or not agree or req.url:
            return  # reported by in-global, markers, direct-reference
        assert entry.requirement is not None
        extra = specs.uncovered(req.specifier, entry.requirement.specifier)
        if extra:
            wanted = render_specifier(entry.requirement.specifier) or '(none)'
            yield (
                'excludes versions the global list does not: '
                f'{",".join(str(s) for s in extra)} (global: {wanted})'
            )


class GlobalSpecifiers(LineCheck):
    name = 'global-specifiers'
    description = (
        'every version a specifier admits by name (>=, <=, ==, '
        '~=) is admitted by the global entry (check-constraints -G)'
    )
    scope = PROJECT
    needs = ('global_reqs', 'denylist')
    default = False

    def problems(self, context: Context, line: Line, req: Requirement) -> Iterable[str]:
        entry, _ = context.match_global(line)
        if entry is None or req.url:
            return  # reported by in-global, direct-reference
        assert entry.requirement is not None
        wanted = entry.requirement.specifier
        for spec in req.specifier:
            # != excludes its version; > and < do not admit theirs either;
            # nor does a line that excludes the version itself (the
            # reference checks them too: '>1.4.0' and '>=1.4.0,!=1.4.0'
            # against '!=1.4.0', what update-requirements writes, pass here
            # on purpose)
            if (
                spec.operator in ('!=', '>', '<')
                or spec.version.endswith('.*')
                or not req.specifier.contains(spec.version, prereleases=True)
            ):
                continue
            if not wanted.contains(spec.version, prereleases=True):
                yield (
                    f'{spec} names {spec.version}, which the global list '
                    f'excludes ({render_specifier(wanted) or "(none)"})'
                )


class Markers(LineCheck):
    name = 'markers'
    description = 'markers agree with a global entry (python_version and backports tolerated)'
    scope = PROJECT
    needs = ('global_reqs', 'denylist')

    def problems(self, context: Context, line: Line, req: Requirement) -> Iterable[str]:
        if line.key not in context.global_by_key:
            return
        _, agree = context.match_global(line)
        if not agree:
            remote = sorted(
                {marker_text(e) or '(none)' for e in context.global_by_key[line.key or '']}
            )
            yield (
                f'markers {marker_text(line) or "(none)"!r} match no '
                f'global entry (global: {", ".join(remote)})'
            )


class LineCount(Check):
    name = 'line-count'
    description = 'per package and extra, as many lines as the global list has'
    scope = PROJECT
    needs = ('global_reqs', 'denylist')

    def check(self, context: Context) -> Iterable[Finding]:
        for source in context.sources():
            groups: dict[tuple[str, str], list[Any]] = {}
            seen: set[tuple[object, ...]] = set()
            for line in context.governed(source):
                req = line.requirement
                assert req is not None and line.key is not None
                if line.key not in context.global_by_key:
                    continue
                # the job counts records as a set: a line repeated exactly
                # counts once (duplicates reports it, on master)
                record = (
                    line.key,
                    frozenset(req.extras),
                    str(sorted(str(s) for s in req.specifier)),
                    marker_text(line),
                    line.comment.strip(),
                )
                if record in seen:
                    continue
                seen.add(record)
                for extra in req.extras or ('',):
                    groups.setdefault((line.key, extra), []).append(line)
            for (key, extra), lines in groups.items():
                entries = context.global_by_key[key or '']
                if len(lines) == len(entries):
                    continue
                # one unmarked line stands for marker variants that only
                # select Python 3 versions
                if (
                    len(lines) == 1
                    and not marker_text(lines[0])
                    and all(python3_only(marker_text(e)) for e in entries)
                ):
                    continue
                name = lines[0].requirement.name
                shown = f'{name}[{extra}]' if extra else name
                yield self.finding(
                    source.label,
                    lines[0].lineno,
                    name,
                    f'{shown}: {len(lines)} line(s), the global list has {len(entries)}',
                )


class Duplicates(Check):
    name = 'duplicates'
    description = (
        'no package listed twice with the same markers in one '
        'source (not on stable/ branches, as the gate)'
    )
    scope = PROJECT

    def check(self, context: Context) -> Iterable[Finding]:
        if not context.strict:
            return
        for source in context.sources():
            for line in repeated(source.requirement_lines(), _identity):
                yield self.finding(
                    source.label,
                    line.lineno,
                    line.requirement.name,  # type: ignore[union-attr]
                    'duplicate entry for this package',
                )


def _identity(line: Line) -> tuple[str, frozenset[str], str] | None:
    assert line.requirement is not None
    if line.key is None:
        return None
    return (line.key, frozenset(line.requirement.extras), marker_text(line))


class UpperConstraint(LineCheck):
    """A project line without a pin passes for what the constraints leave
    out and the global list may hold unpinned: the installers (pip,
    setuptools, wheel: ``pip freeze`` leaves them out) and the
    Windows-only modules (the constraints are made on Linux). Denylisted
    packages are not governed at all."""

    name = 'upper-constraint'
    description = "the upper-constraints version is admitted by the project's specifiers"
    scope = PROJECT
    needs = ('global_reqs', 'upper', 'denylist')

    def problems(self, context: Context, line: Line, req: Requirement) -> Iterable[str]:
        if context.upper is None or req.url or line.key not in context.global_by_key:
            return  # in-global or direct-reference reports it
        pins = context.upper_by_key.get(line.key or '')
        if not pins and context.broken(context.upper, line.key or ''):
            return  # data-lines reports it
        if not pins:
            if line.key not in UNPINNED:
                yield 'not in upper-constraints'
            return
        local = marker_text(line)
        for pin in pins:
            assert pin.requirement is not None
            remote = marker_text(pin)
            if local and remote and local != remote:
                continue  # a pin for other platforms or Pythons
            for spec in pin.requirement.specifier:
                if not req.specifier.contains(spec.version, prereleases=True):
                    yield (
                        f'{render_specifier(req.specifier)} does not '
                        f'admit the upper constraint {spec.version}'
                    )


class Spelling(LineCheck):
    """The job finds a project line's global entry by the name as both
    spell it, under the rule of the branch (:mod:`.names`): a name pip
    takes for the same package but spelt otherwise fails the job."""

    name = 'spelling'
    description = (
        'names are spelt as in the global list (as the job compares '
        'them on the branch: as written, or as pkg_resources did)'
    )
    scope = PROJECT
    needs = ('global_reqs', 'denylist')

    def problems(self, context: Context, line: Line, req: Requirement) -> Iterable[str]:
        entries = context.global_by_key.get(line.key or '')
        if not entries or not req.name:
            return
        spellings = [
            e.requirement.name for e in entries if e.requirement is not None and e.requirement.name
        ]
        rule = context.name_rule
        if spellings and not any(names.same(req.name, written, rule) for written in spellings):
            yield (
                f'could not find a global requirements entry to match '
                f'package {req.name}: the global list spells it '
                f'{spellings[0]!r}'
            )


class PipOptions(Check):
    name = 'pip-options'
    description = (
        'pip option lines (-r, -c, index options) and local editables are reported, not checked'
    )
    scope = PROJECT
    severity = 'info'

    def check(self, context: Context) -> Iterable[Finding]:
        for source in context.sources():
            for line in source.lines:
                req = line.requirement
                if req is not None and is_local(line):
                    yield self.finding(
                        source.label,
                        line.lineno,
                        req.name,
                        f'local requirement {line.text.strip()} is not checked',
                    )
                if line.kind is not Kind.OPTION:
                    continue
                for option in line.options:  # pip reads several on a line
                    yield self.finding(
                        source.label,
                        line.lineno,
                        '',
                        f'pip option --{option.name}'
                        + (f' {option.value}' if option.value else '')
                        + ' is not checked',
                    )


#: The build backend the gate requires on master.
PBR_BACKEND = 'pbr.build'


class BuildBackend(Check):
    name = 'build-backend'
    description = (
        'on master/main, pyproject.toml builds with pbr.build '
        '(and has a [project] table: a warning)'
    )
    scope = PROJECT

    def check(self, context: Context) -> Iterable[Finding]:
        if context.project is None or context.branch not in ('master', 'main'):
            return
        path = context.project.root / 'pyproject.toml'
        if not path.is_file():
            yield self.finding(
                'pyproject.toml', None, '', f'no pyproject.toml (required on {context.branch})'
            )
            return
        from openstack_requirements.ops.files import read_text

        try:
            document = _load_toml(read_text(path))
        except ValueError as err:  # both parsers' errors derive from it
            yield self.finding('pyproject.toml', None, '', f'invalid TOML: {err}')
            return
        system = document.get('build-system')
        if not isinstance(system, dict) or not system.get('build-backend'):
            yield self.finding('pyproject.toml', None, '', 'no [build-system] build-backend')
        elif system.get('build-backend') != PBR_BACKEND:
            yield self.finding(
                'pyproject.toml',
                None,
                '',
                f'[build-system] build-backend is '
                f'{system.get("build-backend")!r}, not '
                f'{PBR_BACKEND!r} (required on '
                f'{context.branch})',
            )
        else:
            if not system.get('requires'):
                yield self.finding('pyproject.toml', None, '', 'no [build-system] requires')
            if not isinstance(document.get('project'), dict):
                # the reference warns of it (a future error) once the
                # build system is right
                yield self.finding(
                    'pyproject.toml',
                    None,
                    '',
                    'no [project] table: not an error yet, it may become one',
                    WARNING,
                )


def _load_toml(text: str) -> dict[str, Any]:
    """A TOML document as plain data."""
    import tomllib

    return tomllib.loads(text)
