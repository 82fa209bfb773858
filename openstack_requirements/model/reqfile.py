"""A whole requirements file as a sequence of :class:`Line` objects.

``RequirementsFile.parse(text).render() == text`` for any text that
parses: unedited lines are written back byte for byte.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from openstack_requirements.model.requirement import (
    Kind,
    Line,
    Requirement,
    canonical,
    parse_line,
)

_PHYSICAL_RE = re.compile(r'[^\n]*\n|[^\n]+$')
_WHOLE_COMMENT_RE = re.compile(r'\s*#')


def split_logical(text: str) -> Iterator[tuple[int, str, str]]:
    """``(first line number, text, terminator)`` for each logical line.

    As pip reads files, a line ending in ``\\`` continues on the next
    one, unless it is a whole-line comment.
    """
    lineno = 0
    pending: list[str] = []
    start = 1
    for match in _PHYSICAL_RE.finditer(text):
        lineno += 1
        chunk = match.group()
        if chunk.endswith('\r\n'):
            content, newline = chunk[:-2], '\r\n'
        elif chunk.endswith('\n'):
            content, newline = chunk[:-1], '\n'
        else:
            content, newline = chunk, ''
        if not pending:
            start = lineno
        if (content.endswith('\\') and newline
                and not _WHOLE_COMMENT_RE.match(content)):
            pending.append(content + newline)
            continue
        pending.append(content)
        yield start, ''.join(pending), newline
        pending = []
    if pending:  # a continuation on the very last line
        last = pending[-1]
        newline = '\r\n' if last.endswith('\r\n') else '\n'
        pending[-1] = last[:-len(newline)]
        yield start, ''.join(pending), newline


@dataclasses.dataclass
class RequirementsFile:
    """The lines of one requirements file, in order."""

    lines: list[Line]
    path: str | None = None

    @classmethod
    def parse(cls, text: str, path: str | None = None, *,
              pbr: bool = False) -> RequirementsFile:
        lines = [parse_line(body, path=path, lineno=lineno, newline=newline,
                            pbr=pbr)
                 for lineno, body, newline in split_logical(text)]
        return cls(lines, path)

    def render(self) -> str:
        return ''.join(line.text + line.newline for line in self.lines)

    def requirement_lines(self) -> list[Line]:
        return [line for line in self.lines if line.kind is Kind.REQUIREMENT]

    def requirements(self) -> list[Requirement]:
        return [line.requirement for line in self.lines
                if line.requirement is not None]

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
        return RequirementsFile(
            [canonical(line, marker_sep) for line in self.lines], self.path)
