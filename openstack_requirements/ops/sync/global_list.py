"""The global list a sync reads: the global requirements by name, and the
packages excluded from the sync (the denylist)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from openstack_requirements.errors import FileError, ParseError
from openstack_requirements.model import LazyRequirementsFile, Line
from openstack_requirements.model.versions import normal_marker
from openstack_requirements.ops import data
from openstack_requirements.ops.files import read_text


@dataclasses.dataclass(frozen=True)
class GlobalList:
    """The global requirements, by canonical name, and the excluded names."""

    lines: Mapping[str, list[Line]]
    excluded: frozenset[str]
    #: For messages: ``global-requirements.txt or denylist.txt``.
    described: str = 'global-requirements.txt'
    #: Where the global list was read, for its errors.
    path: str | None = None
    #: :meth:`errors` of each key asked for: the list does not change.
    _errors: dict[str, list[ParseError]] = dataclasses.field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def errors(self, key: str) -> list[ParseError]:
        """The global lines for ``key`` that do not parse (the global list
        is parsed a name at a time, when a project asks for it), and a
        package listed twice with the same markers; found once a key."""
        found = self._errors.get(key)
        if found is None:
            errors = getattr(self.lines, 'errors', None)
            found = errors(key) if errors is not None else []
            found = self._errors[key] = found + _duplicates(
                self.lines.get(key, []), self.path or self.described
            )
        return list(found)

    @classmethod
    def from_texts(
        cls,
        global_text: str,
        excluded_text: str = '',
        *,
        global_path: str = data.GLOBAL,
        excluded_path: str | None = None,
    ) -> GlobalList:
        lines = LazyRequirementsFile(global_text, global_path).by_key
        excluded = frozenset(LazyRequirementsFile(excluded_text).by_key)
        described = Path(global_path).name
        if excluded_path:
            described += ' or ' + Path(excluded_path).name
        return cls(lines, excluded, described, global_path)


def load_global(source: str | os.PathLike[str] | None = None) -> GlobalList:
    """The global list and excluded packages found in ``source`` (default:
    the shipped data)."""
    directory = data.place(source)
    if not directory.is_dir():
        raise FileError(f'{directory}: no such source directory')
    global_path = data.locate(data.GLOBAL, source=directory, required=True)
    assert global_path is not None
    excluded = data.locate(data.DENYLIST_NAMES, source=directory)
    return GlobalList.from_texts(
        read_text(global_path),
        read_text(excluded) if excluded else '',
        global_path=str(global_path),
        excluded_path=str(excluded) if excluded else None,
    )


def _duplicates(lines: Sequence[Line], path: str) -> list[ParseError]:
    """A package listed twice with the same markers (``oslo.config`` and
    ``oslo_config`` are one package): an error of the global list."""
    found = []
    seen: dict[str, Line] = {}
    for line in lines:
        req = line.requirement
        if req is None:
            continue
        marker = normal_marker(req.marker_text)
        first = seen.setdefault(marker, line)
        if first is not line:
            found.append(
                ParseError(
                    f"'{req.name}' is listed twice (line {first.lineno}: "
                    f"'{first.text}'), with the same markers",
                    path=path,
                    line=line.lineno,
                )
            )
    return found
