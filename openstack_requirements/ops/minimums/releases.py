"""A package's releases on the index, as one Python sees them, and the
metadata of one release.

Read through the resolver session's :class:`Index`: each page once a run,
whatever asks for it (the resolutions or these searches).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from openstack_requirements.cache import bounded
from openstack_requirements.ops.constraints.metadata import static
from openstack_requirements.ops.constraints.metadata.bounds import MetadataError
from openstack_requirements.ops.constraints.metadata.index import Index
from openstack_requirements.ops.constraints.metadata.pages import DistFile


@dataclasses.dataclass(frozen=True)
class Release:
    """One version of a package and its files."""

    version: Version
    files: tuple[DistFile, ...]

    @property
    def yanked(self) -> bool:
        return all(f.yanked for f in self.files)

    def usable(self, python: str, yanked: bool = False) -> tuple[DistFile, ...]:
        """Its files an installer takes on CPython ``python`` on Linux:
        not yanked (``yanked``: yanked too, as an installer takes them for
        an exact pin, PEP 592), ``Requires-Python`` admitting it, a wheel
        for it or an sdist."""
        tags = static.target_tags(python)
        return tuple(
            f
            for f in self.files
            if (yanked or not f.yanked)
            and _admits(f.requires_python, python)
            and (f.is_sdist or not f.wheel_tags or bool(f.wheel_tags & tags))
        )

    def refusal(self, python: str) -> str:
        """Why no file of it installs on ``python`` ('' when one does)."""
        if self.usable(python):
            return ''
        if self.yanked:
            return 'is yanked'
        alive = [f for f in self.files if not f.yanked]
        wanted = sorted({f.requires_python for f in alive if f.requires_python})
        if wanted and not any(_admits(f.requires_python, python) for f in alive):
            return f'requires Python {" or ".join(wanted)}'
        return f'has no file for Python {python}'


@bounded(4096)
def _admits(requires_python: str | None, python: str) -> bool:
    if not requires_python:
        return True
    try:
        return SpecifierSet(requires_python).contains(f'{python}.0', prereleases=True)
    except InvalidSpecifier:
        return True  # as installers do: an unreadable one is ignored


def releases(index: Index, name: str) -> list[Release]:
    """The releases of ``name`` on the index, oldest first."""
    by_version: dict[Version, list[DistFile]] = {}
    for file in index.files(name):
        try:
            version = Version(file.version)
        except InvalidVersion:
            continue
        by_version.setdefault(version, []).append(file)
    return [Release(v, tuple(by_version[v])) for v in sorted(by_version)]


def allowed(found: Sequence[Release], specifier: SpecifierSet) -> list[Release]:
    """The releases ``specifier`` allows (pre-releases only if it names
    one, as installers read it)."""
    return [r for r in found if specifier.contains(r.version)]


def metadata(
    index: Index,
    name: str,
    version: str,
    python: str,
    read: Callable[[DistFile], static.Metadata | None],
) -> static.Metadata | None:
    """The metadata of ``name==version`` (None: not read): a wheel's own
    for ``python``, else its sdist's, through ``read`` (the resolver
    session's, which reads as generate reads and keeps what it read)."""
    try:
        wanted = Version(version)
    except InvalidVersion:
        return None
    files = [
        f for r in releases(index, name) if r.version == wanted for f in r.usable(python, True)
    ]
    files.sort(key=lambda f: (f.is_sdist, not f.core_metadata))
    for file in files:
        try:
            found = read(file)
        except MetadataError:
            continue
        if found is not None:
            return found
    return None
