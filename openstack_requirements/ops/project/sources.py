"""A dependency file and its sources: what every file format shares.

A project tree has dependency *files* (``requirements.txt``, ``setup.cfg``,
``pyproject.toml``...); each file holds one or more *sources* (a whole
requirements file; one extra of ``setup.cfg``; ``[project] dependencies``,
one optional-dependencies extra or one dependency group of
``pyproject.toml``). A source is a list of :class:`Line`; a writer builds
new line lists for some sources and asks the file to render itself with
them, which changes only those lines: formatting, comments and order of
everything else are kept. Each format is a module of its own
(:mod:`.requirements_txt`, :mod:`.setup_cfg`, :mod:`.pyproject`); all read
their lines through :func:`read_line`, which reads each distinct text once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

from openstack_requirements.cache import Table
from openstack_requirements.errors import FileError, ParseError
from openstack_requirements.model import Kind, Line, parse_line


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
    def read_back(cls, path: Path, text: str, label: str) -> dict[str, list[str]]:
        """The text of each line of each source of ``text``, read as
        :meth:`from_text` reads it (:class:`ParseError` if it does not
        read)."""
        return {
            s.label: [line.text for line in s.lines]
            for s in cls.from_text(path, text, label).sources
        }

    def render_checked(self, new: Mapping[str, list[Line]]) -> str:
        """:meth:`render`, read back before it is used: a text that does
        not read back to the lines meant is refused (nothing is written
        that the next run could not read)."""
        text = self.render(new)
        if text == self.text:
            return text
        label = self.label or (self.sources[0].label if self.sources else self.path.name)
        try:
            got = type(self).read_back(self.path, text, label)
        except ParseError as err:
            raise FileError(
                f'{self.path}: the edited file would not read '
                f'back (line {err.line}: {err.reason}); nothing '
                'was written'
            ) from None
        wanted = {s.label: [line.text for line in new.get(s.label, s.lines)] for s in self.sources}
        if got != wanted:
            where = next((k for k in wanted if wanted[k] != got.get(k)), next(iter(got), ''))
            raise FileError(
                f'{self.path}: the edited file would not read '
                f'back as meant ({where}); nothing was written'
            )
        return text


# Projects share most of their lines (``pbr>=2.0.0 # Apache-2.0``): reading
# many trees, each distinct text is parsed once. Lines are immutable.
# Keyed by all a parse depends on: the text, pbr's form, and whether it is
# a file's first line (where a byte-order mark is skipped), so a line reads
# the same whatever was read before it.
LINES: Table[tuple[str, bool, bool], Line] = Table(200_000)


def read_line(text: str, *, path: str, lineno: int, newline: str, pbr: bool = False) -> Line:
    """:func:`parse_line`, remembering the lines of distinct texts."""
    key = (text, pbr, lineno == 1)
    line = LINES.get(key)
    if line is None:
        line = parse_line(text, path=path, lineno=lineno, newline=newline, pbr=pbr)
        LINES.put(key, line)
        return line
    if line.lineno == lineno and line.newline == newline:
        return line
    # the fields given in order: dataclasses.replace costs more than the
    # parse it saves on a large run
    return Line(
        line.text,
        newline,
        lineno,
        line.kind,
        line.requirement,
        line.option,
        line.comment,
        line.options,
    )
