"""``pyproject.toml``: ``[project]`` dependencies, optional dependencies
and dependency groups, one source each."""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from openstack_requirements.errors import ParseError
from openstack_requirements.model import Kind, Line
from openstack_requirements.ops.files import read_text
from openstack_requirements.ops.project.sources import DependencyFile, Source, read_line


class PyprojectToml(DependencyFile):
    """``[project] dependencies``, ``[project.optional-dependencies]`` and
    ``[dependency-groups]`` (PEP 735), edited through tomlkit so that
    formatting and comments survive."""

    @classmethod
    def read(cls, path: Path, label: str) -> PyprojectToml:
        return cls.from_text(path, read_text(path), label)

    @classmethod
    def from_text(cls, path: Path, text: str, label: str) -> PyprojectToml:
        document = load_toml(text, path)
        _check_shape(document, text, path)
        sources = []
        spans: dict[str, list[tuple[int, str] | None]] = {}
        finder = _LineFinder(text)
        for section, group, array in _toml_arrays(document):
            where = f'[{section}] {group}' if group else f'[{section}]'
            source_label = f'{label} {where}'
            lines = []
            spans[source_label] = []
            finder.offset = _array_start(text, section, group)
            for item in array:
                if not isinstance(item, str):
                    continue  # {include-group = "..."}
                lineno = finder.find(str(item))
                spans[source_label].append(finder.last)
                try:
                    line = read_line(str(item), path=str(path), lineno=lineno, newline='')
                except ParseError as err:
                    raise ParseError(
                        err.reason,
                        path=str(path),
                        line=lineno,
                        column=err.column,
                        source=err.source,
                    ) from None
                _check_pep508(line, path, lineno)
                lines.append(line)
            sources.append(Source(source_label, path, section, group, lines))
        toml = cls(path, text, sources)
        toml.label = label
        if type(document) is dict:  # read by tomllib
            toml._data, toml._spans = document, spans
        return toml

    #: The document as plain data (read by tomllib), and where each string
    #: of each source was found in the text: for edits in place.
    _data: dict[str, Any] | None = None
    _spans: dict[str, list[tuple[int, str] | None]]

    def render(self, new: Mapping[str, list[Line]]) -> str:
        changed = {
            label: lines
            for label, lines in new.items()
            if any(s.label == label for s in self.sources)
        }
        if not changed:
            return self.text
        in_place = self._render_in_place(changed)
        if in_place is not None:
            return in_place
        import tomlkit  # only for edits that cannot be made in place

        document = _parse_toml(self.text, self.path)
        arrays = {
            f'{self.path.name} ' + (f'[{s}] {g}' if g else f'[{s}]'): a
            for s, g, a in _toml_arrays(document)
        }
        for source in self.sources:
            if source.label not in changed:
                continue
            array = arrays[source.label]
            old = [str(item) for item in array if isinstance(item, str)]
            positions = [i for i, item in enumerate(array) if isinstance(item, str)]
            wanted = [line.text for line in changed[source.label]]
            matcher = difflib.SequenceMatcher(a=old, b=wanted, autojunk=False)
            for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
                if tag == 'equal':
                    continue
                common = min(i2 - i1, j2 - j1)
                for k in range(common):
                    array[positions[i1 + k]] = _toml_string(wanted[j1 + k])
                if i2 - i1 > common:
                    for k in reversed(range(i1 + common, i2)):
                        del array[positions[k]]
                else:
                    at = (
                        positions[i1 + common - 1] + 1
                        if i1 + common > 0
                        else (positions[0] if positions else 0)
                    )
                    for k, value in enumerate(wanted[j1 + common : j2]):
                        array.insert(at + k, _toml_string(value))
        return tomlkit.dumps(document)

    def _render_in_place(self, changed: Mapping[str, list[Line]]) -> str | None:
        """The text with edited strings replaced where they stand, when
        each edit replaces one string (no insertion or removal); checked
        by reading the result back. ``None`` when this does not apply."""
        import copy

        if self._data is None:
            return None
        expected = copy.deepcopy(self._data)
        arrays = {
            f'{self.path.name} ' + (f'[{s}] {g}' if g else f'[{s}]'): a
            for s, g, a in _toml_arrays(expected)
        }
        edits: list[tuple[int, int, str]] = []
        for label, lines in changed.items():
            spans = self._spans.get(label)
            array = arrays.get(label)
            if spans is None or array is None or len(spans) != len(lines):
                return None
            positions = [i for i, item in enumerate(array) if isinstance(item, str)]
            for position, span, line in zip(positions, spans, lines, strict=True):
                if array[position] == line.text:
                    continue
                if span is None:
                    return None
                at, quoted = span
                quote = quoted[0]
                if quote in line.text or '\\' in line.text or '\n' in line.text:
                    return None
                edits.append((at, len(quoted), quote + line.text + quote))
                array[position] = line.text
        text = self.text
        for at, length, replacement in sorted(edits, reverse=True):
            text = text[:at] + replacement + text[at + length :]
        try:
            if tomllib.loads(text) != expected:
                return None
        except tomllib.TOMLDecodeError:
            return None
        return text


def load_toml(text: str, path: Path) -> Any:
    """The document as plain data: read with the standard library's fast
    reader; tomlkit (which edits) reports errors."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return _parse_toml(text, path)


def _parse_toml(text: str, path: Path) -> Any:
    import tomlkit
    from tomlkit.exceptions import ParseError as TomlError
    from tomlkit.exceptions import TOMLKitError

    try:
        return tomlkit.parse(text)
    except TomlError as err:
        raise ParseError(
            f'invalid TOML: {_toml_reason(err)}', path=str(path), line=err.line, column=err.col + 1
        ) from None
    except TOMLKitError as err:  # a key set twice...
        raise ParseError(
            f'invalid TOML: {err}', path=str(path), line=_toml_error_line(text)
        ) from None


def _toml_error_line(text: str) -> int:
    """Where the standard library's reader stops on ``text`` (1 when it
    does not)."""
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        found = re.search(r'at line (\d+)', str(err))
        if found:
            return int(found.group(1))
    return 1


def _toml_reason(err: Exception) -> str:
    message = str(err).replace("Unexpected character: '\\x00'", 'unexpected end of file')
    return re.sub(r' at line \d+ col \d+$', '', message)


def _toml_string(value: str) -> Any:
    import tomlkit

    # a literal string cannot hold a control character: escape those
    literal = "'" not in value and '"' in value and value.isprintable()
    return tomlkit.string(value, literal=literal)


def _check_shape(document: Any, text: str, path: Path) -> None:
    """Refuse a dependency source of the wrong shape (``dependencies =
    "pbr"``, ``project = "x"``...): one line naming the key."""

    def fail(key: str, what: str) -> None:
        raise ParseError(
            f'{key} must be {what}', path=str(path), line=key_line(text, key.rsplit('.', 1)[-1])
        )

    def strings(key: str, value: Any, tables: bool = False) -> None:
        if not isinstance(value, list):
            fail(key, 'an array of strings')
        for item in value:
            if isinstance(item, str):
                continue
            if tables and isinstance(item, dict) and set(item) == {'include-group'}:
                continue
            fail(key, 'an array of strings')

    project = document.get('project')
    if project is not None:
        if not isinstance(project, dict):
            fail('project', 'a table')
        if 'dependencies' in project:
            strings('project.dependencies', project['dependencies'])
        optional = project.get('optional-dependencies')
        if optional is not None:
            if not isinstance(optional, dict):
                fail('project.optional-dependencies', 'a table of arrays')
            for name, array in optional.items():
                strings(f'project.optional-dependencies.{name}', array)
    groups = document.get('dependency-groups')
    if groups is not None:
        if not isinstance(groups, dict):
            fail('dependency-groups', 'a table of arrays')
        for name, array in groups.items():
            strings(f'dependency-groups.{name}', array, tables=True)


def key_line(text: str, key: str) -> int:
    """The line where ``key`` is set or opens a table (1 if not found)."""
    pattern = re.compile(
        rf'^[ \t]*(?:\[[ \t]*)?(?:[\w.-]*\.)?["\']?{re.escape(key)}["\']?[ \t]*[=\]]', re.MULTILINE
    )
    found = pattern.search(text)
    return text.count('\n', 0, found.start()) + 1 if found else 1


def _check_pep508(line: Line, path: Path, lineno: int) -> None:
    """A pyproject.toml string is one PEP 508 requirement: no comment, no
    pip option, no editable (packaging rejects them)."""
    req = line.requirement
    if line.kind is Kind.REQUIREMENT and req is not None and not req.editable:
        if line.comment:
            raise ParseError(
                'a comment is not allowed in a requirement string',
                path=str(path),
                line=lineno,
                column=line.text.find('#') + 1,
                source=line.text,
            )
        return
    raise ParseError('not a PEP 508 requirement', path=str(path), line=lineno, source=line.text)


def _toml_arrays(document: Any) -> Iterator[tuple[str, str | None, Any]]:
    project = document.get('project', {})
    if isinstance(project.get('dependencies'), list):
        yield 'project.dependencies', None, project['dependencies']
    for name, array in project.get('optional-dependencies', {}).items():
        if isinstance(array, list):
            yield 'project.optional-dependencies', name, array
    for name, array in document.get('dependency-groups', {}).items():
        if isinstance(array, list):
            yield 'dependency-groups', name, array


#: Where each source's array is set: its table, and its key there (the
#: extra or group name when ``None``); for optional dependencies, the key
#: of the ``[project]`` table they may be set under instead.
_ARRAY_PLACES = {
    'project.dependencies': (('project',), 'dependencies'),
    'project.optional-dependencies': (('project', 'optional-dependencies'), None),
    'dependency-groups': (('dependency-groups',), None),
}


def _array_start(text: str, section: str, group: str | None) -> int:
    """The offset in ``text`` where the array of ``section`` (and
    ``group``) is set, so that its strings are found in their own table
    and not where the same text stands earlier (in ``[build-system]``, or
    in another table first in the file). 0 when it is not found."""
    table, key = _ARRAY_PLACES[section]
    key = key if key is not None else group or ''
    found = _key_in_table(text, table, key)
    if found is None and section == 'project.optional-dependencies':
        # [project] optional-dependencies = {...} or optional-dependencies.x
        found = _key_in_table(text, ('project',), 'optional-dependencies')
    return found if found is not None else 0


def _key_in_table(text: str, table: tuple[str, ...], key: str) -> int | None:
    quoted = r'\s*\.\s*'.join(rf'["\']?{re.escape(part)}["\']?' for part in table)
    header = re.search(rf'^[ \t]*\[[ \t]*{quoted}[ \t]*\][ \t]*(?:#.*)?$', text, re.MULTILINE)
    if header is None:
        return None
    end = re.compile(r'^[ \t]*\[', re.MULTILINE).search(text, header.end())
    stop = end.start() if end else len(text)
    assignment = re.compile(rf'^[ \t]*["\']?{re.escape(key)}["\']?[ \t]*[=.]', re.MULTILINE)
    found = assignment.search(text, header.end(), stop)
    return found.start() if found else header.end()


class _LineFinder:
    """Line numbers of string values, found in order in the raw text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        #: Where the last value found stands, quotes included (``None``
        #: when it was not found quoted).
        self.last: tuple[int, str] | None = None

    def find(self, value: str) -> int:
        self.last = None
        for quoted in (f'"{value}"', f"'{value}'", value):
            at = self.text.find(quoted, self.offset)
            if at >= 0:
                self.offset = at + len(quoted)
                if quoted is not value:
                    self.last = (at, quoted)
                return self.text.count('\n', 0, at) + 1
        return 1
