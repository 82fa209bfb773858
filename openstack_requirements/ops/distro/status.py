"""Each governed package beside what the releases package: the rows of
``openstack-requirements distro`` and the comparisons of the
``distro-minimum`` check.

A release's version is compared as a Python version (its upstream part,
:func:`~openstack_requirements.ops.distro.debian.python_version`) with
the global minimum (the strictest lower bound of the global lines whose
markers hold on a Linux system of that release) and with the constraint
(the pin whose markers hold there).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from packaging.markers import UndefinedComparison, UndefinedEnvironmentName
from packaging.specifiers import Specifier

from openstack_requirements.model import Line
from openstack_requirements.model.versions import lower_bound, parse_version
from openstack_requirements.ops.distro.debian import python_version
from openstack_requirements.ops.distro.releases import Distributions, Found, Release
from openstack_requirements.ops.reports.usage import pinned_versions

COLUMNS = (
    'Package',
    'Release',
    'Debian package',
    'Debian version',
    'Upstream',
    'Minimum',
    'Constraint',
    'Status',
)

BELOW = 'below minimum'
BEHIND = 'behind constraint'
AT = 'at constraint'
AHEAD = 'ahead of constraint'
PACKAGED = 'packaged'
MISSING = 'not packaged'
UNREADABLE = 'version unreadable'
#: No global line of the package holds there (``sys_platform == "win32"``).
NOT_APPLICABLE = 'not applicable'
STATUSES = (BELOW, BEHIND, AT, AHEAD, PACKAGED, MISSING, UNREADABLE, NOT_APPLICABLE)


@dataclasses.dataclass(frozen=True)
class Row:
    package: str
    release: str
    debian_package: str
    debian_version: str
    upstream: str
    minimum: str
    constraint: str
    status: str

    def cells(self) -> tuple[str, ...]:
        return dataclasses.astuple(self)


def applies(line: Line, environment: Mapping[str, str]) -> bool:
    """Whether ``line``'s markers hold in ``environment`` (a marker that
    cannot be evaluated there holds)."""
    req = line.requirement
    marker = req.marker if req is not None else None
    if marker is None:
        return True
    try:
        return marker.evaluate(dict(environment))
    except (UndefinedComparison, UndefinedEnvironmentName):
        return True


def minimum(lines: Iterable[Line]) -> Specifier | None:
    """The strictest lower bound of ``lines``."""
    bounds = [
        b
        for line in lines
        if line.requirement is not None
        and (b := lower_bound(line.requirement.specifier)) is not None
    ]
    return max(bounds, key=lambda b: (parse_version(b.version), b.operator == '>'), default=None)


def below(found: Found, bound: Specifier) -> bool:
    """Whether the version ``found`` is below ``bound`` (a version that
    does not read as a Python one is not)."""
    version = python_version(found.version)
    return version is not None and not bound.contains(version, prereleases=True)


def constraint(pins: Iterable[Line], environment: Mapping[str, str]) -> str:
    """The version pinned where ``environment`` holds (the first pin)."""
    versions = pinned_versions(p for p in pins if applies(p, environment))
    return versions[0] if versions else ''


def status(found: Found | None, bound: Specifier | None, pinned: str) -> str:
    if found is None:
        return MISSING
    version = python_version(found.version)
    if version is None:
        return UNREADABLE
    if bound is not None and not bound.contains(version, prereleases=True):
        return BELOW
    pin = parse_version(pinned) if pinned else None
    if pin is None:
        return PACKAGED
    if version < pin:
        return BEHIND
    return AT if version == pin else AHEAD


def rows(
    distributions: Distributions,
    global_lines: Mapping[str, list[Line]],
    upper: Mapping[str, list[Line]],
    keys: Sequence[str],
) -> list[Row]:
    """One row per package of ``keys`` and release."""
    found_rows = []
    for key in keys:
        lines = global_lines.get(key) or upper.get(key) or []
        name = next(
            (
                line.requirement.name
                for line in lines
                if line.requirement is not None and line.requirement.name
            ),
            key,
        )
        pins = upper.get(key, [])
        for release in distributions.releases:
            found_rows.append(_row(distributions, release, name, global_lines.get(key, []), pins))
    return found_rows


def _row(
    distributions: Distributions, release: Release, name: str, lines: list[Line], pins: list[Line]
) -> Row:
    env = release.environment
    applicable = [line for line in lines if applies(line, env)]
    pinned = constraint(pins, env)
    if lines and not applicable:
        return Row(name, release.name, '', '', '', '', pinned, NOT_APPLICABLE)
    bound = minimum(applicable)
    found = distributions.find(release, name)
    upstream = python_version(found.version) if found is not None else None
    return Row(
        name,
        release.name,
        found.package if found else '',
        found.version if found else '',
        str(upstream) if upstream is not None else '',
        str(bound) if bound is not None else '',
        pinned,
        status(found, bound, pinned),
    )


def summary(found_rows: Iterable[Row]) -> list[str]:
    """A line per release: how many packages it packages, and how."""
    by_release: dict[str, Counter[str]] = {}
    for row in found_rows:
        by_release.setdefault(row.release, Counter())[row.status] += 1
    lines = []
    for release, counts in by_release.items():
        total = sum(counts.values()) - counts[NOT_APPLICABLE]
        packaged = total - counts[MISSING]
        parts = [f'{packaged} of {total} packages packaged']
        parts.extend(
            f'{counts[s]} {s}' for s in (BELOW, BEHIND, AT, AHEAD, UNREADABLE) if counts[s]
        )
        lines.append(f'{release}: {", ".join(parts)}')
    return lines


# -- for the distro-minimum check ----------------------------------------------------


def behind_bound(
    distributions: Distributions, line: Line, bound: Specifier
) -> list[tuple[Release, Found]]:
    """The releases packaging ``line``'s package below ``bound``, where
    ``line``'s markers hold."""
    req = line.requirement
    assert req is not None and req.name
    below_bound = []
    for release in distributions.releases:
        if not applies(line, release.environment):
            continue
        found = distributions.find(release, req.name)
        if found is not None and below(found, bound):
            below_bound.append((release, found))
    return below_bound


def unpackaged(distributions: Distributions, line: Line) -> list[Release]:
    """The releases not packaging ``line``'s package, where its markers
    hold."""
    req = line.requirement
    assert req is not None and req.name
    return [
        release
        for release in distributions.releases
        if applies(line, release.environment) and distributions.find(release, req.name) is None
    ]


def describe(found: Sequence[tuple[Release, Found]]) -> str:
    """``trixie python3-oslo.config 1:9.7.1-3, bookworm ...``."""
    return ', '.join(f'{release.name} {item.package} {item.version}' for release, item in found)
