"""Two constraints files compared: what each pins for each Python, and
the packages whose pin changed (generate-constraints --baseline)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from packaging.markers import Marker

from openstack_requirements.model import RequirementsFile
from openstack_requirements.model.versions import version_key
from openstack_requirements.ops.constraints.pins import Pin, Resolution, python_key


def per_python(constraints: RequirementsFile, pythons: Sequence[str]) -> dict[str, dict[str, Pin]]:
    """What a merged constraints file pins for each of ``pythons``:
    ``{python: {key: Pin}}``, markers evaluated for that Python."""
    result: dict[str, dict[str, Pin]] = {p: {} for p in pythons}
    for line in constraints.lines:
        requirement = line.requirement
        if requirement is None or requirement.name is None:
            continue
        pins = [s for s in requirement.specifier if s.operator in ('==', '===')]
        if len(pins) != 1:
            continue
        pin = Pin(requirement.name, pins[0].version)
        for python in pythons:
            if requirement.marker_text and not _applies(requirement.marker_text, python):
                continue
            result[python][pin.key] = pin
    return result


def _applies(marker_text: str, python: str) -> bool:
    return Marker(marker_text).evaluate(
        {'python_version': python, 'python_full_version': python + '.0'}
    )


@dataclasses.dataclass(frozen=True)
class Difference:
    """How one package changed for some Pythons."""

    package: str
    pythons: tuple[str, ...]
    change: str  # added, removed, upgraded, downgraded, changed
    old: str
    new: str

    def row(self) -> tuple[str, str, str, str, str]:
        return (self.package, ' '.join(self.pythons), self.change, self.old, self.new)


def compare(old: Mapping[str, Resolution], new: Mapping[str, Resolution]) -> list[Difference]:
    """Per package, per Python, what changed from ``old`` to ``new``;
    Pythons with the same change share one :class:`Difference`."""
    pythons = sorted(set(old) | set(new), key=python_key)
    keys = sorted({k for r in (*old.values(), *new.values()) for k in r})
    differences = []
    for key in keys:
        groups: dict[tuple[str, str], list[str]] = {}
        name = key
        for python in pythons:
            before = old.get(python, {}).get(key)
            after = new.get(python, {}).get(key)
            if before is not None:
                name = before.name
            if after is not None and after.exact_name:
                name = after.name
            if before is None and after is None:
                continue
            b = before.version if before else ''
            a = after.version if after else ''
            if b != a:
                groups.setdefault((b, a), []).append(python)
        for (b, a), group in groups.items():
            differences.append(Difference(name, tuple(group), _change(b, a), b, a))
    return differences


def _change(old: str, new: str) -> str:
    if not old:
        return 'added'
    if not new:
        return 'removed'
    before, after = version_key(old), version_key(new)
    if before[0] or after[0]:
        return 'changed'
    return 'upgraded' if after > before else 'downgraded'
