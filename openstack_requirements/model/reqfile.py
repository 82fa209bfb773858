"""A whole requirements file as a sequence of :class:`Line` objects.

``RequirementsFile.parse(text).render() == text`` for any text that
parses: unedited lines are written back byte for byte.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterator, Mapping

from packaging.utils import canonicalize_name

from openstack_requirements.errors import ParseError
from openstack_requirements.model.lines import split_logical
from openstack_requirements.model.parsing import parse_line
from openstack_requirements.model.requirement import (
    Kind,
    Line,
    Requirement,
    canonical,
)

__all__ = ['LazyRequirementsFile', 'RequirementsFile', 'split_logical']


@dataclasses.dataclass
class RequirementsFile:
    """The lines of one requirements file, in order."""

    lines: list[Line]
    path: str | None = None

    @classmethod
    def parse(cls, text: str, path: str | None = None, *, pbr: bool = False) -> RequirementsFile:
        lines = [
            parse_line(body, path=path, lineno=lineno, newline=newline, pbr=pbr)
            for lineno, body, newline in split_logical(text)
        ]
        return cls(lines, path)

    def render(self) -> str:
        return ''.join(line.text + line.newline for line in self.lines)

    def requirement_lines(self) -> list[Line]:
        return [line for line in self.lines if line.kind is Kind.REQUIREMENT]

    def requirements(self) -> list[Requirement]:
        return [line.requirement for line in self.lines if line.requirement is not None]

    def by_key(self) -> dict[str, list[Line]]:
        """Requirement lines grouped by canonical name, in file order."""
        groups: dict[str, list[Line]] = {}
        for line in self.lines:
            key = line.key
            if key is not None:
                groups.setdefault(key, []).append(line)
        return groups

    def canonical(self, marker_sep: str = ';') -> RequirementsFile:
        """Every requirement line rendered in canonical form."""
        return RequirementsFile([canonical(line, marker_sep) for line in self.lines], self.path)


_NAME_AT_START = re.compile(r'\s*([A-Za-z0-9][A-Za-z0-9._-]*)')


class LazyRequirementsFile:
    """A requirements file whose lines are parsed when first needed.

    For the governance data: a run about one project looks up a hundred
    of the thousand lines of the global list and the constraints. A line
    that does not parse is kept as its :class:`ParseError` (see
    :attr:`errors`) instead of failing the whole file.
    """

    def __init__(self, text: str, name: str | None = None) -> None:
        self.text = text
        #: The name parse errors are reported under.
        self.name = name
        self._raw = list(split_logical(text))
        self._cache: dict[int, Line | ParseError] = {}

    def parse_at(self, index: int) -> Line | ParseError:
        """The logical line at ``index``, or why it does not parse."""
        found = self._cache.get(index)
        if found is None:
            lineno, body, newline = self._raw[index]
            try:
                found = parse_line(body, path=self.name, lineno=lineno, newline=newline)
            except ParseError as err:
                found = err
            self._cache[index] = found
        return found

    @functools.cached_property
    def _parsed(self) -> tuple[list[Line], list[ParseError]]:
        lines: list[Line] = []
        errors: list[ParseError] = []
        for index in range(len(self._raw)):
            found = self.parse_at(index)
            (errors if isinstance(found, ParseError) else lines).append(found)  # type: ignore[arg-type]
        return lines, errors

    @property
    def lines(self) -> list[Line]:
        """Every line that parses, in order."""
        return self._parsed[0]

    @property
    def errors(self) -> list[ParseError]:
        return self._parsed[1]

    def requirement_lines(self) -> list[Line]:
        return [line for line in self.lines if line.kind is Kind.REQUIREMENT]

    @functools.cached_property
    def by_key(self) -> _LazyIndex:
        """Requirement lines by canonical name; a line is parsed when its
        name is first looked up (a line not starting with its name, such
        as an option or URL line, is parsed now to learn it)."""
        raw: dict[str, list[int]] = {}
        for index, (_, body, _) in enumerate(self._raw):
            match = _NAME_AT_START.match(body)
            if match is not None and not body.startswith(':', match.end()):
                key: str | None = canonicalize_name(match.group(1))
            else:
                stripped = body.strip()
                if not stripped or stripped.startswith('#'):
                    continue
                found = self.parse_at(index)
                key = found.key if isinstance(found, Line) else None
            if key is not None:
                raw.setdefault(key, []).append(index)
        return _LazyIndex(self, raw)


class _LazyIndex(Mapping[str, list[Line]]):
    """Names to the lines that parse and declare them, parsed on demand."""

    def __init__(self, source: LazyRequirementsFile, raw: dict[str, list[int]]) -> None:
        self._source = source
        self._raw = raw
        self._parsed: dict[str, list[Line]] = {}

    def __getitem__(self, key: str) -> list[Line]:
        lines = self._parsed.get(key)
        if lines is None:
            lines = []
            for index in self._raw.get(key, ()):
                found = self._source.parse_at(index)
                if isinstance(found, Line) and found.key == key:
                    lines.append(found)
            self._parsed[key] = lines
        if not lines:
            raise KeyError(key)
        return lines

    def errors(self, key: str) -> list[ParseError]:
        """Why lines that start with the name ``key`` do not parse: such a
        line is left out of the index, and a caller that looks the name
        up must not take the other lines as the whole story."""
        found = (self._source.parse_at(index) for index in self._raw.get(key, ()))
        return [err for err in found if isinstance(err, ParseError)]

    def __iter__(self) -> Iterator[str]:
        return (key for key in self._raw if key in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)
