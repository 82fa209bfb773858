"""The constraints against themselves, in impact: what each release a
change pins asks of the other pins.

For every release the proposed constraints pin and the base did not (a
bump, a new pin, a pin for another Python), its own metadata is read from
the package index (the index's ``.metadata`` file of a wheel, else the
sdist's ``PKG-INFO``, as generate reads them: nothing is installed or
built), and for each Python the constraints are made for
(:data:`~openstack_requirements.ops.data.PYTHONS`) each of its
``Requires-Dist`` that applies there is held against the proposed pin of
that package there: a pin it does not admit is a conflict
(``oslo.foo 2.0 requires netaddr>=2.0; pinned 1.0``), as is a
``Requires-Python`` that leaves a Python out, or a release the index does
not have. Only the changed releases are read: one page and one metadata
file each.

The reading goes through the resolvers' index reader
(:class:`~openstack_requirements.ops.constraints.metadata.index.Index`), its public
``files``, ``metadata`` and ``wheel_metadata`` only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from packaging.markers import InvalidMarker, Marker, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from openstack_requirements.errors import RequirementsError
from openstack_requirements.model import Line
from openstack_requirements.model.versions import marker_environment, parse_version
from openstack_requirements.ops import data
from openstack_requirements.ops.reports import usage

if TYPE_CHECKING:
    from openstack_requirements.ops.constraints.metadata.index import Index
    from openstack_requirements.ops.constraints.metadata.static import Metadata
    from openstack_requirements.ops.reports.impact_data import Snapshot

#: How many releases are read at once.
WORKERS = 8
#: Where a release's metadata was read from, when a wheel's own.
WHEEL_METADATA = "the wheel's METADATA"


@dataclasses.dataclass(frozen=True)
class Release:
    """A release the proposed constraints pin anew."""

    key: str
    #: As the constraints spell it.
    name: str
    version: str
    #: The Pythons it is pinned for.
    pythons: tuple[str, ...]
    #: Its line in the proposed constraints.
    line: int


@dataclasses.dataclass(frozen=True)
class Conflict:
    """What a release asks that the other pins (or Pythons) do not give."""

    release: Release
    #: ``netaddr>=2.0``, or ``Python >=3.12``.
    requirement: str
    #: The version pinned, ``''`` for Requires-Python or a missing release.
    pinned: str
    pythons: tuple[str, ...]
    #: A whole sentence instead, for a release the index lacks.
    why: str = ''

    @property
    def detail(self) -> str:
        release = self.release
        if self.why:
            text = f'{release.name} {release.version}: {self.why}'
        elif self.pinned:
            text = (
                f'{release.name} {release.version} requires '
                f'{self.requirement}; pinned {self.pinned}'
            )
        else:
            text = f'{release.name} {release.version} requires {self.requirement}'
        if self.pythons != data.PYTHONS:
            text += f' (Python {", ".join(self.pythons)})'
        return text


@dataclasses.dataclass
class Reading:
    """What reading the changed releases found."""

    conflicts: list[Conflict]
    #: How many releases were read.
    read: int
    #: ``'NAME VERSION: why'`` of each release that could not be.
    unread: list[str]


def _applies(marker: str, python: str) -> bool:
    if not marker:
        return True
    try:
        return Marker(marker).evaluate(marker_environment(python))
    except (InvalidMarker, UndefinedEnvironmentName):
        return False


def pinned(lines: Iterable[Line], python: str) -> list[str]:
    """The versions constraint ``lines`` pin for ``python``."""
    return usage.pinned_versions(
        line
        for line in lines
        if line.requirement is not None and _applies(line.requirement.marker_text, python)
    )


def changed_releases(
    base: Snapshot, proposed: Snapshot, keys: Iterable[str], pythons: Sequence[str] = data.PYTHONS
) -> list[Release]:
    """The releases of the packages ``keys`` that the proposed constraints
    pin for some Python and the base do not."""
    found: dict[tuple[str, str], Release] = {}
    for key in sorted(keys):
        old = base.upper.get(key, [])
        new = proposed.upper.get(key, [])
        for python in pythons:
            before = set(pinned(old, python))
            for version in pinned(new, python):
                if version in before:
                    continue
                line = next(x for x in new if version in usage.pinned_versions([x]))
                assert line.requirement is not None
                release = found.get((key, version))
                found[(key, version)] = Release(
                    key,
                    line.requirement.name or key,
                    version,
                    (*release.pythons, python) if release else (python,),
                    release.line if release else line.lineno,
                )
    return list(found.values())


def check(releases: Sequence[Release], proposed: Snapshot, index: Index) -> Reading:
    """Read each release from ``index`` and hold its requirements against
    the other pins of ``proposed``."""
    reading = Reading([], 0, [])
    if not releases:
        return reading
    with ThreadPoolExecutor(min(WORKERS, len(releases))) as pool:
        results = list(pool.map(lambda r: _read(index, r), releases))
    for release, (metadata, why) in zip(releases, results, strict=True):
        if metadata is None:
            if why.startswith('not on '):
                reading.conflicts.append(Conflict(release, '', '', release.pythons, why))
            else:
                reading.unread.append(f'{release.name} {release.version}: {why}')
            continue
        reading.read += 1
        reading.conflicts.extend(conflicts(release, metadata, proposed.upper))
    return reading


def _read(index: Index, release: Release) -> tuple[Metadata | None, str]:
    """The release's metadata, or why there is none: the index's metadata
    file of a wheel, else a wheel's own ``METADATA`` (its zip directory
    and that member, by range requests), else an sdist's ``PKG-INFO``."""
    want = parse_version(release.version)
    try:
        files = [
            f
            for f in index.files(release.name)
            if not f.yanked and parse_version(f.version) == want
        ]
        if not files:
            return None, f'not on {index.index_url or "the index"}'
        files.sort(key=lambda f: (not f.core_metadata, f.is_sdist, 'none-any' not in f.filename))
        if files[0].core_metadata:
            return index.metadata(files[0]), ''
        for file in files:
            if file.is_sdist:
                return index.metadata(file), ''
            metadata = index.wheel_metadata(file.url)
            if metadata is not None:
                return metadata, ''
        return None, 'no metadata in its wheels, and no sdist'
    except RequirementsError as err:
        return None, str(err)


def conflicts(
    release: Release, metadata: Metadata, upper: Mapping[str, list[Line]]
) -> list[Conflict]:
    """What ``metadata``'s requirements ask that the pins of ``upper`` (or
    the Pythons) do not give, on each Python ``release`` is pinned for."""
    found: dict[tuple[str, str], list[str]] = {}
    if metadata.requires_python:
        try:
            allowed = SpecifierSet(metadata.requires_python)
        except InvalidSpecifier:
            allowed = SpecifierSet()
        for python in release.pythons:
            if not allowed.contains(f'{python}.0', prereleases=True):
                found.setdefault((f'Python {allowed}', ''), []).append(python)
    for text in metadata.requires_dist:
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue
        key = canonicalize_name(requirement.name)
        if key == release.key:
            continue
        shown = requirement.name + str(requirement.specifier)
        for python in release.pythons:
            try:
                if requirement.marker and not requirement.marker.evaluate(
                    marker_environment(python)
                ):
                    continue
            except UndefinedEnvironmentName:
                continue
            for version in pinned(upper.get(key, []), python):
                if not requirement.specifier.contains(version, prereleases=True):
                    found.setdefault((shown, version), []).append(python)
    return [
        Conflict(release, requirement, version, tuple(pythons))
        for (requirement, version), pythons in found.items()
    ]
