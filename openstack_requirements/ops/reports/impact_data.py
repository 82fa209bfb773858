"""The two versions of the governance data impact compares, as texts: a
directory's, or a git revision's of the requirements checkout."""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Mapping
from pathlib import Path

from openstack_requirements.errors import FileError
from openstack_requirements.model import LazyRequirementsFile, Line
from openstack_requirements.ops import data, git, sync
from openstack_requirements.ops.files import read_text


@dataclasses.dataclass
class Snapshot:
    """One version of the governance data, as texts (``None``: no such
    file)."""

    #: Where it was read: a directory, or ``REV`` of a directory.
    label: str
    global_text: str
    upper_text: str | None = None
    excluded_text: str | None = None
    excluded_name: str = data.DENYLIST_NAMES[0]
    backports_text: str | None = None
    #: The directory read, for a snapshot of a directory.
    place: Path | None = None

    @classmethod
    def from_directory(cls, directory: str | os.PathLike[str]) -> Snapshot:
        place = Path(directory)
        if not place.is_dir():
            raise FileError(f'{place}: no such directory')
        global_path = data.locate(data.GLOBAL, source=place, required=True)
        assert global_path is not None
        upper = data.locate(data.UPPER, source=place)
        excluded = data.locate(data.DENYLIST_NAMES, source=place)
        backports = data.locate(data.BACKPORTS, source=place)
        return cls(
            str(place),
            read_text(global_path),
            read_text(upper) if upper else None,
            read_text(excluded) if excluded else None,
            excluded.name if excluded else data.DENYLIST_NAMES[0],
            read_text(backports) if backports else None,
            place,
        )

    @classmethod
    def from_revision(
        cls, directory: str | os.PathLike[str], rev: str, label: str | None = None
    ) -> Snapshot:
        """The data files of ``directory`` as committed at ``rev`` (named
        ``label``, by default ``rev``)."""
        commit = git.resolve(directory, rev)
        global_text = git.show(directory, commit, data.GLOBAL)
        if global_text is None:
            raise FileError(f'{directory}: no {data.GLOBAL} at {rev}')
        upper = git.show(directory, commit, data.UPPER)
        backports = git.show(directory, commit, data.BACKPORTS)
        for name in data.DENYLIST_NAMES:
            excluded = git.show(directory, commit, name)
            if excluded is not None:
                return cls(label or rev, global_text, upper, excluded, name, backports)
        return cls(label or rev, global_text, upper, backports_text=backports)

    @classmethod
    def base(cls, spec: str, source: str | os.PathLike[str]) -> Snapshot:
        """``spec`` as a directory when there is one by that name, else
        as a git revision of ``source``'s repository."""
        if Path(spec).is_dir():
            return cls.from_directory(spec)
        return cls.from_revision(source, spec)

    @functools.cached_property
    def global_list(self) -> sync.GlobalList:
        return sync.GlobalList.from_texts(
            self.global_text,
            self.excluded_text or '',
            global_path=data.GLOBAL,
            excluded_path=self.excluded_name,
        )

    @functools.cached_property
    def upper(self) -> Mapping[str, list[Line]]:
        return LazyRequirementsFile(self.upper_text or '', data.UPPER).by_key

    @functools.cached_property
    def excluded(self) -> frozenset[str]:
        return frozenset(LazyRequirementsFile(self.excluded_text or '').by_key)

    @functools.cached_property
    def backported(self) -> frozenset[str]:
        return frozenset(LazyRequirementsFile(self.backports_text or '').by_key)
