"""What checks look at: the governance data, and maybe a project tree.

Data files are read leniently: a line that does not parse is kept aside
as a :class:`~openstack_requirements.errors.ParseError` (the ``parse``
check reports it) instead of stopping every other check.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from openstack_requirements.errors import FileError, ParseError
from openstack_requirements.model import LazyRequirementsFile, Line
from openstack_requirements.model.versions import normal_marker
from openstack_requirements.ops import data
from openstack_requirements.ops.files import read_text

if TYPE_CHECKING:
    from openstack_requirements.ops.distro.releases import Distributions
    from openstack_requirements.ops.project import Project, Source


#: How messages name each data file of a :class:`Context`.
DATA_NAMES = {
    'global_reqs': data.GLOBAL,
    'upper': data.UPPER,
    'denylist': ' or '.join(data.DENYLIST_NAMES),
    'backports': data.BACKPORTS,
    'xfails': data.XFAILS,
}


class DataFile(LazyRequirementsFile):
    """A governance file: its lines, parsed when first needed, and the
    lines that did not parse; parse errors name the file by its name."""

    def __init__(self, path: Path, text: str) -> None:
        super().__init__(text, path.name)
        self.path = path

    @property
    def label(self) -> str:
        return self.path.name

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> DataFile:
        path = Path(path)
        return cls(path, read_text(path))

    def keys(self) -> set[str]:
        return set(self.by_key)


@dataclasses.dataclass
class Context:
    """The inputs of one run of checks."""

    global_reqs: DataFile | None = None
    upper: DataFile | None = None
    denylist: DataFile | None = None
    backports: DataFile | None = None
    xfails: DataFile | None = None
    project: Project | None = None
    branch: str = 'master'
    #: How package names must match the global list's (a rule of
    #: :mod:`~openstack_requirements.ops.checks.names`); ``None``: the
    #: rule the job applies on ``branch``.
    names: str | None = None
    #: How resolver checks resolve (a ``conflicts.ResolverSetup``).
    resolver_setup: object = None
    #: The directory the data files were looked for in.
    place: Path | None = None
    #: Debian package indexes (``distro-minimum``): an
    #: ``ops.distro.releases.Distributions``.
    distributions: Distributions | None = None
    #: The global list before the change under review, when known (checks
    #: of a change then judge only what it changes).
    base_global: DataFile | None = None

    def require(self, needs: Mapping[str, list[str]]) -> None:
        """Fail, naming the first missing file, when a data file the
        chosen checks need (file attribute -> check names) is missing: a
        check must never pass for want of its input."""
        for attribute, checks in needs.items():
            if getattr(self, attribute) is not None:
                continue
            if attribute == 'distributions':
                raise FileError(
                    f'no package index given (needed by '
                    f'{", ".join(sorted(checks))}): use --packages'
                )
            raise FileError(
                f'{self.missing(attribute)}: no such file (needed by {", ".join(sorted(checks))})'
            )

    def missing(self, attribute: str) -> str:
        """Where the data file ``attribute`` (``upper``...) was looked for."""
        where = f'{self.place}/' if self.place is not None else ''
        return f'{where}{DATA_NAMES[attribute]}'

    @classmethod
    def from_source(
        cls, source: str | os.PathLike[str] | None = None, **overrides: object
    ) -> Context:
        """The data files of a directory; a file given in ``overrides``
        (``global_reqs=PATH``...) replaces the directory's.

        The directory defaults to that of the given global list, else
        :func:`data.default_source`."""
        files = ('global_reqs', 'upper', 'denylist', 'backports', 'xfails')
        given = {k: v for k, v in overrides.items() if k in files and v is not None}
        rest = {k: v for k, v in overrides.items() if k not in files}
        beside = given.get('global_reqs')
        place = data.place(source, beside)  # type: ignore[arg-type]
        names: dict[str, str | tuple[str, ...]] = {
            'global_reqs': data.GLOBAL,
            'upper': data.UPPER,
            'denylist': tuple(data.DENYLIST_NAMES),
            'backports': data.BACKPORTS,
            'xfails': data.XFAILS,
        }
        found = {
            key: data.locate(
                name,
                given.get(key),  # type: ignore[arg-type]
                source=place,
                required=key == 'global_reqs',
            )
            for key, name in names.items()
        }
        loaded = {k: DataFile.read(v) if v is not None else None for k, v in found.items()}
        rest.setdefault('place', place)
        return cls(**loaded, **rest)  # type: ignore[arg-type]

    # -- indexes shared by the checks ----------------------------------------

    @functools.cached_property
    def global_by_key(self) -> Mapping[str, list[Line]]:
        return self.global_reqs.by_key if self.global_reqs else {}

    @functools.cached_property
    def upper_by_key(self) -> Mapping[str, list[Line]]:
        return self.upper.by_key if self.upper else {}

    def broken(self, data_file: DataFile | None, key: str) -> list[ParseError]:
        """Why lines of ``data_file`` for the name ``key`` do not parse
        (they are missing from its index)."""
        return data_file.by_key.errors(key) if data_file is not None else []

    @functools.cached_property
    def denied(self) -> set[str]:
        return self.denylist.keys() if self.denylist else set()

    @functools.cached_property
    def backported(self) -> set[str]:
        return self.backports.keys() if self.backports else set()

    @property
    def name_rule(self) -> str:
        from openstack_requirements.ops.checks import names

        return self.names or names.rule_for(self.branch)

    @property
    def strict(self) -> bool:
        """The gate's style rules apply: any branch but a stable one."""
        return not self.branch.startswith('stable/')

    def sources(self) -> list[Source]:
        return self.project.sources if self.project else []

    def lines(self, over: str) -> Iterator[tuple[str, Line]]:
        """``(file label, line)`` of every requirement line of ``over``:
        ``governed`` (a project's lines the contract governs),
        ``declared`` (all a project's requirement lines), ``global`` or
        ``upper`` (the data file's)."""
        if over in ('governed', 'declared'):
            for source in self.sources():
                lines = self.governed(source) if over == 'governed' else source.requirement_lines()
                for line in lines:
                    yield source.label, line
            return
        data_file = {'global': self.global_reqs, 'upper': self.upper}[over]
        if data_file is not None:
            for line in data_file.requirement_lines():
                yield data_file.label, line

    def governed(self, source: Source) -> list[Line]:
        """The requirement lines of ``source`` the contract governs: named,
        not denylisted, not a local editable or path."""
        return [
            line
            for line in source.requirement_lines()
            if line.key is not None and line.key not in self.denied and not is_local(line)
        ]

    def match_global(self, line: Line) -> tuple[Line | None, bool]:
        """The global entry ``line`` corresponds to, and whether its markers
        agree (exactly or within the tolerated differences).

        An exact marker match wins over a tolerated one; among several,
        the first in file order (deterministic)."""
        assert line.requirement is not None and line.key is not None
        entries = self.global_by_key.get(line.key, [])
        local = marker_text(line)
        tolerated = None
        for entry in entries:
            remote = marker_text(entry)
            if remote == local:
                return entry, True
            if tolerated is None and markers_tolerated(local, remote, line.key in self.backported):
                tolerated = entry
        if tolerated is not None:
            return tolerated, True
        return (entries[0] if entries else None), False


def is_local(line: Line) -> bool:
    """An editable or a local path (``-e .``, ``file:``): the project
    itself or a sibling checkout, not a dependency from elsewhere."""
    req = line.requirement
    return (
        req is not None
        and bool(req.url)
        and (req.editable or req.url.startswith(('.', '/', '~', 'file:')))
    )


# -- markers ------------------------------------------------------------------


def marker_text(line: Line) -> str:
    assert line.requirement is not None
    return normal_marker(line.requirement.marker_text)


_PY3_CLAUSE = (
    r'\(*\s*python_(?:full_)?version\s*(?:==|!=|>=|<=|>|<)\s*'
    r'"3(?:\.[0-9*]+)*"\s*\)*'
)
_PY3_ONLY_RE = re.compile(rf'^{_PY3_CLAUSE}(?:\s+(?:and|or)\s+{_PY3_CLAUSE})*$')


def python3_only(marker: str) -> bool:
    """A marker that only selects Python 3 versions (normal spelling)."""
    return bool(marker) and _PY3_ONLY_RE.match(marker) is not None


def markers_tolerated(local: str, remote: str, backport: bool) -> bool:
    """The differences the contract tolerates between a project's markers
    and the global entry's: a Python 3 version marker on one side only,
    and any Python 3 version marker on a backport package."""
    if not remote and python3_only(local):
        return True
    if not local and python3_only(remote):
        return True
    return backport and python3_only(local)
