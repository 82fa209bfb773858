"""``setup.cfg``: the extras of pbr and setuptools, one source each."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from openstack_requirements.errors import ParseError
from openstack_requirements.model import Kind, Line
from openstack_requirements.ops.files import read_text
from openstack_requirements.ops.project.sources import DependencyFile, Source, read_line

SETUP_CFG_SECTIONS = ('extras', 'options.extras_require')


_SECTION_RE = re.compile(r'^\[([^\]]+)\]\s*$')
_KEY_RE = re.compile(r'^([^\s=:#;][^=:]*?)\s*[=:][ \t]*')


class SetupCfg(DependencyFile):
    """``[extras]`` (pbr) and ``[options.extras_require]`` (setuptools).

    Each value line is one requirement in pbr's ``name:marker`` form (a
    ``;`` marker works too). The INI text is read by hand so that nothing
    but the edited value lines changes.
    """

    marker_sep = ':'

    def __init__(
        self,
        path: Path,
        text: str,
        sources: list[Source],
        prefixes: dict[str, dict[int, str]],
        spans: dict[str, tuple[int, int]],
    ) -> None:
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
            entries = [(index, key.group(0), raw[key.end() :])]
            index += 1
            while index < len(physical):
                cont = physical[index].rstrip('\r\n')
                if cont.strip() and not cont[:1].isspace():
                    break
                indent = cont[: len(cont) - len(cont.lstrip())]
                entries.append((index, indent, cont[len(indent) :]))
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
                newline = physical[number][len(physical[number].rstrip('\r\n')) :]
                if content.lstrip().startswith(';'):  # an INI comment
                    line = Line(
                        content, newline, number + 1, Kind.COMMENT, comment=content.lstrip()
                    )
                else:
                    line = read_line(
                        content, path=str(path), lineno=number + 1, newline=newline, pbr=True
                    )
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
            indent = next((p for n, p in sorted(prefixes.items()) if n != first + 1), '  ')
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
        raise ParseError(
            f'invalid INI: section [{err.section}] appears twice',
            path=str(path),
            line=err.lineno or 1,
            source=_source_line(lines, err.lineno),
        ) from None
    except configparser.DuplicateOptionError as err:
        raise ParseError(
            f'invalid INI: key {err.option!r} appears twice in '
            f'section [{err.section}] (keys are read '
            'case-insensitively)',
            path=str(path),
            line=err.lineno or 1,
            source=_source_line(lines, err.lineno),
        ) from None
    except configparser.MissingSectionHeaderError as err:
        raise ParseError(
            'invalid INI: expected a [section] header first',
            path=str(path),
            line=err.lineno,
            source=err.line.rstrip('\r\n'),
        ) from None
    except configparser.ParsingError as err:
        lineno, line = err.errors[0]
        raise ParseError(
            'invalid INI: expected "key = value" or "[section]"',
            path=str(path),
            line=lineno,
            source=_unrepr(line).rstrip('\r\n'),
        ) from None
    except configparser.Error as err:
        raise ParseError(
            f'invalid INI: {err.message}', path=str(path), line=getattr(err, 'lineno', None) or 1
        ) from None


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
