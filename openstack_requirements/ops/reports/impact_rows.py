"""The rows of an impact report, and its summary.

One list for the whole report: each row says, in its :class:`Kind`, what
it is (a change to the data, or what that change does to one project
line, or to the constraints); :data:`COLUMNS` are its public column names.
"""

from __future__ import annotations

import dataclasses
import enum


class Kind(enum.StrEnum):
    """What a row reports."""

    #: A package the change touches, in one data file.
    CHANGE = 'change'
    #: A project's jobs, or its requirements-check job, would fail; or a
    #: proposed release needs more than another pin allows.
    BREAK = 'break'
    #: A check of the requirements-check job a project fails today passes.
    FIX = 'fix'
    #: update-requirements would rewrite the line because of the change.
    SYNC = 'sync'
    #: The line declares a package the change touches; nothing happens.
    USES = 'uses'
    #: A requirement above what a Debian release packages (a warning).
    DISTRO = 'distro'

    def __str__(self) -> str:
        return self.value


COLUMNS = ('Kind', 'Package', 'Project', 'File', 'Line', 'Old', 'New', 'Detail')


@dataclasses.dataclass(frozen=True)
class Row:
    """One row of the report."""

    kind: Kind
    #: As the line (or the data, on a change row) spells it.
    package: str
    #: ``org/name`` or the directory given; ``''`` on a row about the data.
    project: str = ''
    #: A source's label (``setup.cfg [extras] test``) or a data file.
    file: str = ''
    line: int = 0
    old: str = ''
    new: str = ''
    detail: str = ''

    def cells(self) -> tuple[str, str, str, str, int, str, str, str]:
        """The row as :data:`COLUMNS` name its cells."""
        return (
            self.kind.value,
            self.package,
            self.project,
            self.file,
            self.line,
            self.old,
            self.new,
            self.detail,
        )


@dataclasses.dataclass
class Report:
    """What a change does: its change rows, then each package's project
    rows, then the rows about the constraints' own dependencies."""

    #: How many packages the change touches.
    packages: int
    rows: list[Row]
    #: How many projects were read.
    read: int
    missing: list[str]
    unreadable: list[tuple[str, str]]
    #: How many changed releases' dependencies were read from the index.
    releases: int = 0
    #: ``'NAME VERSION: why'`` of each changed release not read.
    unread: list[str] = dataclasses.field(default_factory=list)

    def projects(self, kind: Kind | None = None) -> set[str]:
        return {
            r.project
            for r in self.rows
            if r.kind is not Kind.CHANGE and r.project and (kind is None or r.kind is kind)
        }

    @property
    def synced(self) -> set[str]:
        return {r.project for r in self.rows if r.kind is not Kind.CHANGE and r.project and r.new}

    @property
    def broken(self) -> bool:
        return any(r.kind is Kind.BREAK for r in self.rows)

    def summary(self) -> str:
        lines = sum(1 for r in self.rows if r.kind is not Kind.CHANGE and r.project and r.new)
        text = (
            f'{self.packages} packages changed; {len(self.projects())} '
            f'projects touched, {len(self.projects(Kind.BREAK))} broken, '
        )
        fixed = self.projects(Kind.FIX)
        if fixed:
            text += f'{len(fixed)} fixed, '
        text += f'{len(self.synced)} to sync ({lines} lines); {self.read} projects read'
        if self.missing:
            text += f', {len(self.missing)} listed without a checkout'
        if self.unreadable:
            text += f', {len(self.unreadable)} unreadable'
        conflicts = {
            (r.package, r.new) for r in self.rows if r.kind is Kind.BREAK and not r.project
        }
        if self.releases or self.unread or conflicts:
            text += (
                f'; {self.releases} release'
                f'{"" if self.releases == 1 else "s"} pinned anew read '
                f'from the index, {len(conflicts)} in conflict'
            )
            if self.unread:
                text += f', {len(self.unread)} not read'
        return text
