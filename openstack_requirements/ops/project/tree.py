"""Every place a project declares dependencies, read losslessly.

A project tree has dependency *files* (``requirements.txt``, ``setup.cfg``,
``pyproject.toml``...); each file holds one or more *sources* (a whole
requirements file; one extra of ``setup.cfg``; ``[project] dependencies``,
one optional-dependencies extra or one dependency group of
``pyproject.toml``). A source is a list of :class:`Line`; a writer builds
new line lists for some sources and asks the file to render itself with
them, which changes only those lines: formatting, comments and order of
everything else are kept.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from openstack_requirements.cache import Table
from openstack_requirements.errors import FileError, ParseError
from openstack_requirements.model import Kind, Line, parse_line, split_logical
from openstack_requirements.ops.files import inside, read_text, within

#: The requirement files the OpenStack gate governs (its check job reads
#: these and no others; the last six are legacy names it still reads).
GOVERNED = ('requirements.txt', 'test-requirements.txt',
            'doc/requirements.txt', 'tools/pip-requires',
            'tools/test-requires', 'requirements-py2.txt',
            'requirements-py3.txt', 'test-requirements-py2.txt',
            'test-requirements-py3.txt')
#: Requirement files found at the top of a project, by pattern (for the
#: safety checks of :func:`check_tree`; only :data:`GOVERNED` files and
#: those a project includes are read).
TOP_PATTERNS = ('*requirements*.txt', 'tools/pip-requires', 'tools/test-requires')
#: Directories whose requirement files are looked at by :func:`check_tree`.
SUBDIRS = ('doc', 'api-ref', 'releasenotes', 'tools', 'docs')
SETUP_CFG_SECTIONS = ('extras', 'options.extras_require')


@dataclasses.dataclass
class Source:
    """One list of requirements inside a dependency file."""

    #: Human label, also the ``File`` column of reports, e.g.
    #: ``requirements.txt``, ``setup.cfg [extras] test``,
    #: ``pyproject.toml [project.optional-dependencies] kafka``.
    label: str
    path: Path
    #: ``None`` for a whole requirements file; else the section
    #: (``extras``, ``project.dependencies``, ``dependency-groups``...).
    section: str | None
    #: The extra or dependency-group name, as written.
    group: str | None
    lines: list[Line]

    def requirement_lines(self) -> list[Line]:
        return [line for line in self.lines if line.kind is Kind.REQUIREMENT]


class DependencyFile:
    """A file of a project that declares dependencies."""

    #: The marker separator edited lines are written with.
    marker_sep = ';'
    #: The file's label (its path in the project), as read.
    label = ''

    def __init__(self, path: Path, text: str, sources: list[Source]) -> None:
        self.path = path
        self.text = text
        self.sources = sources

    def render(self, new: Mapping[str, list[Line]]) -> str:
        """The file's text with the sources named in ``new`` (by label)
        replaced by the given lines."""
        raise NotImplementedError

    @classmethod
    def from_text(cls, path: Path, text: str, label: str) -> DependencyFile:
        raise NotImplementedError

    @classmethod
    def read_back(cls, path: Path, text: str, label: str
                  ) -> dict[str, list[str]]:
        """The text of each line of each source of ``text``, read as
        :meth:`from_text` reads it (:class:`ParseError` if it does not
        read)."""
        return {s.label: [line.text for line in s.lines]
                for s in cls.from_text(path, text, label).sources}

    def render_checked(self, new: Mapping[str, list[Line]]) -> str:
        """:meth:`render`, read back before it is used: a text that does
        not read back to the lines meant is refused (nothing is written
        that the next run could not read)."""
        text = self.render(new)
        if text == self.text:
            return text
        label = self.label or (self.sources[0].label if self.sources
                               else self.path.name)
        try:
            got = type(self).read_back(self.path, text, label)
        except ParseError as err:
            raise FileError(f'{self.path}: the edited file would not read '
                            f'back (line {err.line}: {err.reason}); nothing '
                            'was written') from None
        wanted = {s.label: [line.text for line in new.get(s.label, s.lines)]
                  for s in self.sources}
        if got != wanted:
            where = next((k for k in wanted if wanted[k] != got.get(k)),
                         next(iter(got), ''))
            raise FileError(f'{self.path}: the edited file would not read '
                            f'back as meant ({where}); nothing was written')
        return text


# Projects share most of their lines (``pbr>=2.0.0 # Apache-2.0``): reading
# many trees, each distinct text is parsed once. Lines are immutable.
# Keyed by all a parse depends on: the text, pbr's form, and whether it is
# a file's first line (where a byte-order mark is skipped), so a line reads
# the same whatever was read before it.
_LINE_CACHE: Table[tuple[str, bool, bool], Line] = Table(200_000)


def _parse(text: str, *, path: str, lineno: int, newline: str,
           pbr: bool = False) -> Line:
    """:func:`parse_line`, remembering the lines of distinct texts."""
    key = (text, pbr, lineno == 1)
    line = _LINE_CACHE.get(key)
    if line is None:
        line = parse_line(text, path=path, lineno=lineno, newline=newline,
                          pbr=pbr)
        _LINE_CACHE.put(key, line)
        return line
    if line.lineno == lineno and line.newline == newline:
        return line
    # the fields given in order: dataclasses.replace costs more than the
    # parse it saves on a large run
    return Line(line.text, newline, lineno, line.kind, line.requirement,
                line.option, line.comment, line.options)


class RequirementsTxt(DependencyFile):
    @classmethod
    def read(cls, path: Path, label: str) -> RequirementsTxt:
        return cls.from_text(path, read_text(path), label)

    @classmethod
    def from_text(cls, path: Path, text: str, label: str) -> RequirementsTxt:
        lines = [_parse(body, path=str(path), lineno=lineno, newline=newline)
                 for lineno, body, newline in split_logical(text)]
        return cls(path, text, [Source(label, path, None, None, lines)])

    @classmethod
    def read_back(cls, path: Path, text: str, label: str
                  ) -> dict[str, list[str]]:
        # from_text's lines without building them anew: a text already
        # read (the unchanged lines, and lines shared across projects)
        # reads as it did; any other is parsed
        texts = []
        for lineno, body, newline in split_logical(text):
            if (body, False, lineno == 1) not in _LINE_CACHE:
                _parse(body, path=str(path), lineno=lineno, newline=newline)
            texts.append(body)
        return {label: texts}

    def render(self, new: Mapping[str, list[Line]]) -> str:
        source = self.sources[0]
        lines = new.get(source.label, source.lines)
        return ''.join(line.text + line.newline for line in lines)


_SECTION_RE = re.compile(r'^\[([^\]]+)\]\s*$')
_KEY_RE = re.compile(r'^([^\s=:#;][^=:]*?)\s*[=:][ \t]*')


class SetupCfg(DependencyFile):
    """``[extras]`` (pbr) and ``[options.extras_require]`` (setuptools).

    Each value line is one requirement in pbr's ``name:marker`` form (a
    ``;`` marker works too). The INI text is read by hand so that nothing
    but the edited value lines changes.
    """

    marker_sep = ':'

    def __init__(self, path: Path, text: str, sources: list[Source],
                 prefixes: dict[str, dict[int, str]],
                 spans: dict[str, tuple[int, int]]) -> None:
        super().__init__(path, text, sources)
        self._prefixes = prefixes
        self._spans = spans  # label -> (first, last+1) physical line index

    @classmethod
    def read(cls, path: Path, label: str) -> SetupCfg:
        return cls.from_text(path, read_text(path), label)

    @classmethod
    def from_text(cls, path: Path, text: str, label: str) -> SetupCfg:
        _check_ini(text, path)
        physical = _ini_lines(text)
        sources: list[Source] = []
        prefixes: dict[str, dict[int, str]] = {}
        spans: dict[str, tuple[int, int]] = {}
        section = None
        index = 0
        while index < len(physical):
            raw = physical[index].rstrip('\r\n')
            header = _SECTION_RE.match(raw)
            if header:
                section = header.group(1).strip()
                index += 1
                continue
            key = _KEY_RE.match(raw) if section in SETUP_CFG_SECTIONS else None
            if key is None or raw[:1].isspace():
                index += 1
                continue
            name = key.group(1).strip()
            source_label = f'{label} [{section}] {name}'
            first = index
            entries = [(index, key.group(0), raw[key.end():])]
            index += 1
            while index < len(physical):
                cont = physical[index].rstrip('\r\n')
                if cont.strip() and not cont[:1].isspace():
                    break
                indent = cont[:len(cont) - len(cont.lstrip())]
                entries.append((index, indent, cont[len(indent):]))
                index += 1
            # trailing blank lines belong to no value
            while len(entries) > 1 and not entries[-1][2].strip():
                entries.pop()
                index -= 1
            lines = []
            line_prefixes = {}
            for number, prefix, content in entries:
                if number == first and not content.strip():
                    continue
                newline = physical[number][len(physical[number].rstrip('\r\n')):]
                if content.lstrip().startswith(';'):  # an INI comment
                    line = Line(content, newline, number + 1, Kind.COMMENT,
                                comment=content.lstrip())
                else:
                    line = _parse(content, path=str(path), lineno=number + 1,
                                  newline=newline, pbr=True)
                lines.append(line)
                line_prefixes[number + 1] = prefix
            sources.append(Source(source_label, path, section, name, lines))
            prefixes[source_label] = line_prefixes
            spans[source_label] = (first, index)
        cfg = cls(path, text, sources, prefixes, spans)
        cfg.label = label
        return cfg

    def render(self, new: Mapping[str, list[Line]]) -> str:
        physical = _ini_lines(self.text)
        pieces: list[str] = []
        cursor = 0
        for source in self.sources:
            if source.label not in new:
                continue
            first, end = self._spans[source.label]
            pieces.extend(physical[cursor:first])
            prefixes = self._prefixes[source.label]
            key_line = physical[first]
            key_prefix = _KEY_RE.match(key_line.rstrip('\r\n'))
            assert key_prefix is not None
            indent = next((p for n, p in sorted(prefixes.items())
                           if n != first + 1), '  ')
            lines = new[source.label]
            value_on_key_line = (first + 1) in prefixes
            if not value_on_key_line:
                pieces.append(key_line)
            used: set[int] = set()
            for position, line in enumerate(lines):
                if position == 0 and value_on_key_line:
                    prefix = key_prefix.group(0)
                else:
                    prefix = prefixes.get(line.lineno, indent)
                    if line.lineno in used or line.lineno == first + 1:
                        prefix = indent
                used.add(line.lineno)
                newline = line.newline or '\n'
                pieces.append(prefix + line.text + newline)
            if value_on_key_line and not lines:
                pieces.append(key_prefix.group(0).rstrip() + '\n')
            cursor = end
        pieces.extend(physical[cursor:])
        rendered = ''.join(pieces)
        if cursor == len(physical) and not self.text.endswith('\n'):
            # the last value was edited: no final newline, as before
            rendered = rendered.removesuffix('\n').removesuffix('\r')
        return rendered


def _ini_lines(text: str) -> list[str]:
    """Physical lines as configparser splits them: on ``\\n`` alone (a
    form feed or vertical tab inside a value is part of the value)."""
    lines = text.split('\n')
    last = lines.pop()
    return [line + '\n' for line in lines] + ([last] if last else [])


def _check_ini(text: str, path: Path) -> None:
    """Raise :class:`ParseError` for a file pbr's INI reader refuses."""
    import configparser

    parser = configparser.RawConfigParser()  # strict, as pbr reads it
    lines = text.split('\n')
    try:
        parser.read_string(text, str(path))
    except configparser.DuplicateSectionError as err:
        raise ParseError(f'invalid INI: section [{err.section}] appears '
                         'twice', path=str(path), line=err.lineno or 1,
                         source=_source_line(lines, err.lineno)) from None
    except configparser.DuplicateOptionError as err:
        raise ParseError(f'invalid INI: key {err.option!r} appears twice in '
                         f'section [{err.section}] (keys are read '
                         'case-insensitively)', path=str(path),
                         line=err.lineno or 1,
                         source=_source_line(lines, err.lineno)) from None
    except configparser.MissingSectionHeaderError as err:
        raise ParseError('invalid INI: expected a [section] header first',
                         path=str(path), line=err.lineno,
                         source=err.line.rstrip('\r\n')) from None
    except configparser.ParsingError as err:
        lineno, line = err.errors[0]
        raise ParseError('invalid INI: expected "key = value" or '
                         '"[section]"', path=str(path), line=lineno,
                         source=_unrepr(line).rstrip('\r\n')) from None
    except configparser.Error as err:
        raise ParseError(f'invalid INI: {err.message}', path=str(path),
                         line=getattr(err, 'lineno', None) or 1) from None


def _source_line(lines: list[str], lineno: int | None) -> str:
    if lineno and 0 < lineno <= len(lines):
        return lines[lineno - 1].rstrip('\r')
    return ''


def _unrepr(text: object) -> str:
    import ast
    try:
        value = ast.literal_eval(str(text))
    except (ValueError, SyntaxError):
        return str(text)
    return value if isinstance(value, str) else str(text)


class PyprojectToml(DependencyFile):
    """``[project] dependencies``, ``[project.optional-dependencies]`` and
    ``[dependency-groups]`` (PEP 735), edited through tomlkit so that
    formatting and comments survive."""

    @classmethod
    def read(cls, path: Path, label: str) -> PyprojectToml:
        return cls.from_text(path, read_text(path), label)

    @classmethod
    def from_text(cls, path: Path, text: str, label: str) -> PyprojectToml:
        document = _load_toml(text, path)
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
                    line = _parse(str(item), path=str(path), lineno=lineno,
                                  newline='')
                except ParseError as err:
                    raise ParseError(err.reason, path=str(path), line=lineno,
                                     column=err.column, source=err.source) from None
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
        changed = {label: lines for label, lines in new.items()
                   if any(s.label == label for s in self.sources)}
        if not changed:
            return self.text
        in_place = self._render_in_place(changed)
        if in_place is not None:
            return in_place
        import tomlkit  # only for edits that cannot be made in place

        document = _parse_toml(self.text, self.path)
        arrays = {f'{self.path.name} ' + (f'[{s}] {g}' if g else f'[{s}]'): a
                  for s, g, a in _toml_arrays(document)}
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
                    at = positions[i1 + common - 1] + 1 if i1 + common > 0 else (
                        positions[0] if positions else 0)
                    for k, value in enumerate(wanted[j1 + common:j2]):
                        array.insert(at + k, _toml_string(value))
        return tomlkit.dumps(document)


    def _render_in_place(self, changed: Mapping[str, list[Line]]) -> str | None:
        """The text with edited strings replaced where they stand, when
        each edit replaces one string (no insertion or removal); checked
        by reading the result back. ``None`` when this does not apply."""
        import copy
        try:
            import tomllib
        except ImportError:  # Python 3.10
            return None
        if self._data is None:
            return None
        expected = copy.deepcopy(self._data)
        arrays = {f'{self.path.name} ' + (f'[{s}] {g}' if g else f'[{s}]'): a
                  for s, g, a in _toml_arrays(expected)}
        edits: list[tuple[int, int, str]] = []
        for label, lines in changed.items():
            spans = self._spans.get(label)
            array = arrays.get(label)
            if spans is None or array is None or len(spans) != len(lines):
                return None
            positions = [i for i, item in enumerate(array)
                         if isinstance(item, str)]
            for position, span, line in zip(positions, spans, lines,
                                            strict=True):
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
            text = text[:at] + replacement + text[at + length:]
        try:
            if tomllib.loads(text) != expected:
                return None
        except tomllib.TOMLDecodeError:
            return None
        return text


def _load_toml(text: str, path: Path) -> Any:
    """The document as plain data: read with the standard library's fast
    reader when there is one; tomlkit (which edits) reports errors."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        tomllib = None  # type: ignore[assignment]
    if tomllib is not None:
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            pass
    return _parse_toml(text, path)


def _parse_toml(text: str, path: Path) -> Any:
    import tomlkit
    from tomlkit.exceptions import ParseError as TomlError
    from tomlkit.exceptions import TOMLKitError

    try:
        return tomlkit.parse(text)
    except TomlError as err:
        raise ParseError(f'invalid TOML: {_toml_reason(err)}', path=str(path),
                         line=err.line, column=err.col + 1) from None
    except TOMLKitError as err:  # a key set twice...
        raise ParseError(f'invalid TOML: {err}', path=str(path),
                         line=_toml_error_line(text)) from None


def _toml_error_line(text: str) -> int:
    """Where the standard library's reader stops on ``text`` (1 when it
    does not, or is not there)."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        return 1
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        found = re.search(r'at line (\d+)', str(err))
        if found:
            return int(found.group(1))
    return 1


def _toml_reason(err: Exception) -> str:
    message = str(err).replace("Unexpected character: '\\x00'",
                               'unexpected end of file')
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
        raise ParseError(f'{key} must be {what}', path=str(path),
                         line=_key_line(text, key.rsplit('.', 1)[-1]))

    def strings(key: str, value: Any, tables: bool = False) -> None:
        if not isinstance(value, list):
            fail(key, 'an array of strings')
        for item in value:
            if isinstance(item, str):
                continue
            if tables and isinstance(item, dict) and set(item) == {
                    'include-group'}:
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


def _key_line(text: str, key: str) -> int:
    """The line where ``key`` is set or opens a table (1 if not found)."""
    pattern = re.compile(
        rf'^[ \t]*(?:\[[ \t]*)?(?:[\w.-]*\.)?["\']?{re.escape(key)}["\']?[ \t]*[=\]]',
        re.MULTILINE)
    found = pattern.search(text)
    return text.count('\n', 0, found.start()) + 1 if found else 1


def _check_pep508(line: Line, path: Path, lineno: int) -> None:
    """A pyproject.toml string is one PEP 508 requirement: no comment, no
    pip option, no editable (packaging rejects them)."""
    req = line.requirement
    if line.kind is Kind.REQUIREMENT and req is not None and not req.editable:
        if line.comment:
            raise ParseError('a comment is not allowed in a requirement '
                             'string', path=str(path), line=lineno,
                             column=line.text.find('#') + 1, source=line.text)
        return
    raise ParseError('not a PEP 508 requirement', path=str(path),
                     line=lineno, source=line.text)


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
    'project.optional-dependencies': (
        ('project', 'optional-dependencies'), None),
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
    quoted = r'\s*\.\s*'.join(rf'["\']?{re.escape(part)}["\']?'
                              for part in table)
    header = re.search(rf'^[ \t]*\[[ \t]*{quoted}[ \t]*\][ \t]*(?:#.*)?$',
                       text, re.MULTILINE)
    if header is None:
        return None
    end = re.compile(r'^[ \t]*\[', re.MULTILINE).search(text, header.end())
    stop = end.start() if end else len(text)
    assignment = re.compile(
        rf'^[ \t]*["\']?{re.escape(key)}["\']?[ \t]*[=.]', re.MULTILINE)
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


@dataclasses.dataclass
class Project:
    """A project tree and its dependency files."""

    root: Path
    files: list[DependencyFile]

    @property
    def sources(self) -> list[Source]:
        return [source for f in self.files for source in f.sources]


def requirement_paths(root: Path, include: Sequence[str] = ()) -> list[Path]:
    """The requirements files of a project: the governed ones, then those
    matching an ``include`` pattern (relative to ``root``)."""
    found = [root / name for name in GOVERNED]
    for pattern in include:
        found.extend(sorted(root.glob(check_pattern(pattern))))
    return [p for p in dict.fromkeys(found) if p.is_file()]


def check_pattern(pattern: str) -> str:
    """``pattern`` if it names files inside a project, else an error."""
    parts = Path(pattern).parts
    if not pattern or Path(pattern).is_absolute() or '..' in parts:
        raise FileError(f'include pattern {pattern!r}: not a path inside '
                        'the project')
    return pattern


#: The project's own setting: ``[tool.openstack-requirements] include``.
TOOL_TABLE = 'openstack-requirements'


def project_includes(root: Path) -> list[str]:
    """The patterns ``pyproject.toml`` asks to include
    (``[tool.openstack-requirements] include = [...]``)."""
    path = root / 'pyproject.toml'
    if not path.is_file():
        return []
    text = read_text(path)
    if TOOL_TABLE not in text:
        return []
    document = _load_toml(text, path)
    table = document.get('tool', {}).get(TOOL_TABLE, {})
    include = table.get('include', []) if isinstance(table, dict) else None
    if not isinstance(include, list) or not all(
            isinstance(item, str) for item in include):
        raise ParseError(f'tool.{TOOL_TABLE}.include must be an array of '
                         'strings', path=str(path),
                         line=_key_line(text, 'include'))
    return [str(item) for item in include]


def read_project(root: str | os.PathLike[str],
                 include: Sequence[str] = ()) -> Project:
    """Read every dependency file of the project at ``root``: the governed
    requirement files, setup.cfg extras and pyproject.toml dependencies,
    and the requirement files matching ``include`` or the project's own
    ``[tool.openstack-requirements] include`` patterns.

    Raises :class:`FileError` when ``root`` is not a directory or holds no
    dependency file, and :class:`ParseError` for a malformed one.
    """
    root = Path(root)
    if not root.exists():
        raise FileError(f'{root}: no such project directory')
    if not root.is_dir():
        raise FileError(f'{root}: not a directory')
    real_root = os.path.realpath(root)
    check_tree(root, real_root)
    patterns = [*include, *project_includes(root)]
    files: list[DependencyFile] = []
    for path in requirement_paths(root, patterns):
        if not within(os.path.realpath(path), real_root):
            raise FileError(f'{path}: a symlink to {os.path.realpath(path)}, '
                            f'outside the project {root}; refused')
        files.append(RequirementsTxt.read(path, path.relative_to(root).as_posix()))
    if (root / 'setup.cfg').is_file():
        cfg = SetupCfg.read(root / 'setup.cfg', 'setup.cfg')
        if cfg.sources:
            files.append(cfg)
    if (root / 'pyproject.toml').is_file():
        toml = PyprojectToml.read(root / 'pyproject.toml', 'pyproject.toml')
        if toml.sources:
            files.append(toml)
    if not files:
        raise FileError(f'{root}: no dependency files (requirements.txt, '
                        'test-requirements.txt, doc/requirements.txt, '
                        'setup.cfg extras, pyproject.toml dependencies)')
    return Project(root, files)


def check_tree(root: Path, real_root: str | None = None) -> None:
    """Refuse a project whose dependency files lead out of it, before any
    is read (a ``doc/`` or file symlinked elsewhere: its content is never
    read, nor written), or where a directory stands for a file
    (``real_root``: ``root`` resolved, if the caller has it)."""
    if real_root is None:
        real_root = os.path.realpath(root)

    def refuse(path: Path, what: str) -> None:
        raise FileError(f'{path}: {what}, outside the project {root}; '
                        'refused')

    candidates: list[Path] = []
    for sub in SUBDIRS:
        place = root / sub
        if place.exists() and not within(os.path.realpath(place), real_root):
            refuse(place, f'leads to {os.path.realpath(place)}')
    for pattern in TOP_PATTERNS:
        candidates.extend(root.glob(pattern))
    for sub in SUBDIRS:
        candidates.extend((root / sub).glob('*requirements*.txt'))
    candidates += [root / 'setup.cfg', root / 'pyproject.toml']
    for path in candidates:
        if not os.path.lexists(path):
            continue
        if not within(os.path.realpath(path), real_root):
            refuse(path, f'a symlink to {os.path.realpath(path)}')
        if path.is_dir():
            raise FileError(f'{path}: is a directory, not a file')


def read_projects_list(path: str | os.PathLike[str]) -> list[str]:
    """The ``org/name`` entries of a projects.txt, in order."""
    names = []
    for line in read_text(path).splitlines():
        entry = line.split('#', 1)[0].strip()
        if entry:
            names.append(entry)
    return names


def find_listed_projects(projects_file: str | os.PathLike[str],
                         root: str | os.PathLike[str]
                         ) -> tuple[list[tuple[str, Path]], list[str]]:
    """The projects listed in ``projects_file`` found under ``root``, by
    their ``org/name`` path or else their last path part; and the names of
    those not found."""
    base = Path(root)
    if not base.is_dir():
        raise FileError(f'{base}: no such directory')
    found: list[tuple[str, Path]] = []
    missing: list[str] = []
    for name in read_projects_list(projects_file):
        for candidate in (base / name, base / name.rsplit('/', 1)[-1]):
            if candidate.is_dir() and not inside(candidate, base):
                raise FileError(
                    f'{projects_file}: {name}: resolves to '
                    f'{os.path.realpath(candidate)}, outside {base}; refused')
            if candidate.is_dir():
                found.append((name, candidate))
                break
        else:
            missing.append(name)
    return found, missing
