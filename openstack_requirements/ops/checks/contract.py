"""The project contract: what the check-requirements job enforces on a
project that accepted the global requirements.

Every dependency source counts: requirement files, setup.cfg extras,
pyproject dependencies, optional dependencies and dependency groups.
Names are compared canonically, specifiers as version sets, markers
parsed. Denylisted packages are exempt from every rule but spelling.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from openstack_requirements.model import Kind, render_specifier
from openstack_requirements.ops.checks import specs
from openstack_requirements.ops.checks.base import PROJECT, WARNING, Check, Finding
from openstack_requirements.ops.checks.context import (
    Context,
    is_local,
    marker_text,
    python3_only,
)


class InGlobal(Check):
    name = 'in-global'
    description = 'every dependency is in the global list or the denylist'
    scope = PROJECT

    def check(self, context: Context) -> Iterable[Finding]:
        for source in context.sources():
            for line in context.governed(source):
                if (line.key not in context.global_by_key
                        and not context.broken(context.global_reqs, line.key or '')):
                    yield self.finding(
                        source.label, line.lineno, line.requirement.name,  # type: ignore[union-attr]
                        'not in the global requirements (nor in the denylist)')


class DataLines(Check):
    name = 'data-lines'
    description = ('the global and constraint lines of the project\'s '
                   'dependencies parse')
    scope = PROJECT

    def check(self, context: Context) -> Iterable[Finding]:
        seen: set[tuple[str, int]] = set()
        for source in context.sources():
            for line in context.governed(source):
                for data_file in (context.global_reqs, context.upper):
                    for err in context.broken(data_file, line.key or ''):
                        assert data_file is not None
                        if (data_file.label, err.line) in seen:
                            continue
                        seen.add((data_file.label, err.line))
                        yield self.finding(
                            data_file.label, err.line,
                            line.requirement.name,  # type: ignore[union-attr]
                            f'column {err.column}: {err.reason}: {err.source} '
                            f'(needed by {source.label}:{line.lineno})')


class DirectReference(Check):
    name = 'direct-reference'
    description = 'no URL or path requirements: every dependency comes from the index'
    scope = PROJECT

    def check(self, context: Context) -> Iterable[Finding]:
        for source in context.sources():
            for line in source.requirement_lines():
                req = line.requirement
                assert req is not None
                if req.url and not is_local(line):
                    yield self.finding(
                        source.label, line.lineno, req.name,
                        f'direct reference {req.url!r}: the contract needs '
                        'a named requirement from the package index')


class LowerBound(Check):
    name = 'lower-bound'
    description = 'every dependency line has a lower bound (>=, >, ~= or a pin)'
    scope = PROJECT

    def check(self, context: Context) -> Iterable[Finding]:
        for source in context.sources():
            for line in context.governed(source):
                req = line.requirement
                assert req is not None
                if not req.url and not specs.has_lower_bound(req.specifier):
                    yield self.finding(source.label, line.lineno, req.name,
                                       'no lower bound')


class Exclusions(Check):
    name = 'exclusions'
    description = ('exclusions and caps are a subset of the global entry\'s, '
                   'compared as version sets')
    scope = PROJECT

    def check(self, context: Context) -> Iterable[Finding]:
        for source in context.sources():
            for line in context.governed(source):
                req = line.requirement
                assert req is not None
                entry, agree = context.match_global(line)
                if entry is None or not agree or req.url:
                    continue  # reported by in-global, markers, direct-reference
                assert entry.requirement is not None
                extra = specs.uncovered(req.specifier, entry.requirement.specifier)
                if extra:
                    wanted = render_specifier(entry.requirement.specifier) or '(none)'
                    yield self.finding(
                        source.label, line.lineno, req.name,
                        'excludes versions the global list does not: '
                        f'{",".join(str(s) for s in extra)} '
                        f'(global: {wanted})')


class Markers(Check):
    name = 'markers'
    description = 'markers agree with a global entry (python_version and backports tolerated)'
    scope = PROJECT

    def check(self, context: Context) -> Iterable[Finding]:
        for source in context.sources():
            for line in context.governed(source):
                if line.key not in context.global_by_key:
                    continue
                _, agree = context.match_global(line)
                if not agree:
                    req = line.requirement
                    assert req is not None
                    remote = sorted({marker_text(e) or '(none)'
                                     for e in context.global_by_key[line.key or '']})
                    yield self.finding(
                        source.label, line.lineno, req.name,
                        f'markers {marker_text(line) or "(none)"!r} match no '
                        f'global entry (global: {", ".join(remote)})')


class LineCount(Check):
    name = 'line-count'
    description = 'per package and extra, as many lines as the global list has'
    scope = PROJECT

    def check(self, context: Context) -> Iterable[Finding]:
        for source in context.sources():
            groups: dict[tuple[str, str], list] = {}
            for line in context.governed(source):
                req = line.requirement
                assert req is not None and line.key is not None
                if line.key not in context.global_by_key:
                    continue
                for extra in req.extras or ('',):
                    groups.setdefault((line.key, extra), []).append(line)
            for (key, extra), lines in groups.items():
                entries = context.global_by_key[key or '']
                if len(lines) == len(entries):
                    continue
                # one unmarked line stands for marker variants that only
                # select Python 3 versions
                if (len(lines) == 1 and not marker_text(lines[0])
                        and all(python3_only(marker_text(e)) for e in entries)):
                    continue
                name = lines[0].requirement.name
                shown = f'{name}[{extra}]' if extra else name
                yield self.finding(
                    source.label, lines[0].lineno, name,
                    f'{shown}: {len(lines)} line(s), the global list has '
                    f'{len(entries)}')


class Duplicates(Check):
    name = 'duplicates'
    description = 'no package listed twice with the same markers in one source'
    scope = PROJECT

    def check(self, context: Context) -> Iterable[Finding]:
        for source in context.sources():
            seen: Counter[tuple[str, frozenset[str], str]] = Counter()
            for line in source.requirement_lines():
                req = line.requirement
                assert req is not None
                if line.key is None:
                    continue
                identity = (line.key, frozenset(req.extras), marker_text(line))
                seen[identity] += 1
                if seen[identity] == 2:
                    yield self.finding(source.label, line.lineno, req.name,
                                       'duplicate entry for this package')


class UpperConstraint(Check):
    name = 'upper-constraint'
    description = 'the upper-constraints version is admitted by the project\'s specifiers'
    scope = PROJECT

    def check(self, context: Context) -> Iterable[Finding]:
        if context.upper is None:
            return
        for source in context.sources():
            for line in context.governed(source):
                req = line.requirement
                assert req is not None
                if req.url or line.key not in context.global_by_key:
                    continue  # in-global or direct-reference reports it
                pins = context.upper_by_key.get(line.key or '')
                if not pins and context.broken(context.upper, line.key or ''):
                    continue  # data-lines reports it
                if not pins:
                    yield self.finding(source.label, line.lineno, req.name,
                                       'not in upper-constraints')
                    continue
                local = marker_text(line)
                for pin in pins:
                    assert pin.requirement is not None
                    remote = marker_text(pin)
                    if local and remote and local != remote:
                        continue  # a pin for other platforms or Pythons
                    for spec in pin.requirement.specifier:
                        if not req.specifier.contains(spec.version, prereleases=True):
                            yield self.finding(
                                source.label, line.lineno, req.name,
                                f'{render_specifier(req.specifier)} does not '
                                f'admit the upper constraint {spec.version}')


class Spelling(Check):
    name = 'spelling'
    description = 'names are spelt as in the global list (case, punctuation)'
    scope = PROJECT
    severity = WARNING

    def check(self, context: Context) -> Iterable[Finding]:
        for source in context.sources():
            for line in source.requirement_lines():
                req = line.requirement
                assert req is not None
                entries = context.global_by_key.get(line.key or '')
                if not entries or not req.name:
                    continue
                written = entries[0].requirement.name  # type: ignore[union-attr]
                if req.name != written:
                    yield self.finding(source.label, line.lineno, req.name,
                                       f'spelt {written!r} in the global list')


class PipOptions(Check):
    name = 'pip-options'
    description = ('pip option lines (-r, -c, index options) and local editables '
                   'are reported, not checked')
    scope = PROJECT
    severity = 'info'

    def check(self, context: Context) -> Iterable[Finding]:
        for source in context.sources():
            for line in source.lines:
                req = line.requirement
                if req is not None and is_local(line):
                    yield self.finding(source.label, line.lineno, req.name,
                                       f'local requirement {line.text.strip()} '
                                       'is not checked')
                if line.kind is Kind.OPTION and line.option is not None:
                    yield self.finding(
                        source.label, line.lineno, '',
                        f'pip option --{line.option.name}'
                        + (f' {line.option.value}' if line.option.value else '')
                        + ' is not checked')


class BuildBackend(Check):
    name = 'build-backend'
    description = 'on master/main, pyproject.toml declares its build backend'
    scope = PROJECT

    def check(self, context: Context) -> Iterable[Finding]:
        if context.project is None or context.branch not in ('master', 'main'):
            return
        path = context.project.root / 'pyproject.toml'
        if not path.is_file():
            yield self.finding('pyproject.toml', None, '',
                               f'no pyproject.toml (required on {context.branch})')
            return
        from openstack_requirements.ops.files import read_text
        try:
            document = _load_toml(read_text(path))
        except ValueError as err:  # both parsers' errors derive from it
            yield self.finding('pyproject.toml', None, '', f'invalid TOML: {err}')
            return
        system = document.get('build-system')
        if not isinstance(system, dict) or not system.get('build-backend'):
            yield self.finding('pyproject.toml', None, '',
                               'no [build-system] build-backend')
        elif not system.get('requires'):
            yield self.finding('pyproject.toml', None, '',
                               'no [build-system] requires')


def _load_toml(text: str) -> dict[str, Any]:
    """A TOML document as plain data (tomllib where there is one: fast)."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomlkit
        return tomlkit.parse(text).unwrap()
    return tomllib.loads(text)
