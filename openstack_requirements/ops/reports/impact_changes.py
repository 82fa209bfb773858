"""What a change to the governance data changes: the packages whose global
line, constraint or denylist entry differ between two snapshots."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from packaging.markers import InvalidMarker
from packaging.utils import canonicalize_name

from openstack_requirements.errors import ParseError
from openstack_requirements.model import (
    LazyRequirementsFile,
    Line,
    parse_line,
    render_specifier,
    split_logical,
)
from openstack_requirements.model.versions import normal_marker
from openstack_requirements.ops import data
from openstack_requirements.ops.reports import usage
from openstack_requirements.ops.reports.impact_data import Snapshot as Snapshot

if TYPE_CHECKING:
    pass


@dataclasses.dataclass(frozen=True)
class PackageChange:
    key: str
    #: As the proposed data spells it (the base's when removed).
    name: str
    #: ``added``, ``removed``, ``specifier changed``, ``constraint
    #: bumped``, ``newly denylisted``... (the Detail of the change row).
    what: str
    file: str
    line: int
    old: str
    new: str
    #: Whether it changes what update-requirements writes.
    governs: bool


_NAME_RE = re.compile(r'\s*([A-Za-z0-9][A-Za-z0-9._-]*)')


def _changed_keys(old: str, new: str) -> set[str]:
    """The names on the logical lines present in one text and not the
    other (cheap: the rest of the file is not parsed)."""
    before = {body for _, body, _ in split_logical(old)}
    after = {body for _, body, _ in split_logical(new)}
    keys = set()
    for body in before.symmetric_difference(after):
        stripped = body.strip()
        if not stripped or stripped.startswith('#'):
            continue
        try:
            key = parse_line(body).key
        except ParseError:
            match = _NAME_RE.match(body)
            key = canonicalize_name(match.group(1)) if match else None
        if key:
            keys.add(key)
    return keys


def _normal(marker: str) -> str:
    try:
        return normal_marker(marker)
    except InvalidMarker:  # a broken marker compares as written
        return marker


def _meaning(line: Line) -> tuple[str, str, frozenset[str], str]:
    req = line.requirement
    assert req is not None
    return (
        render_specifier(req.specifier),
        _normal(req.marker_text),
        frozenset(req.extras),
        req.url,
    )


def _spellings(lines: list[Line]) -> list[str]:
    return [line.requirement.name or '' for line in lines if line.requirement is not None]


def _text(lines: list[Line]) -> str:
    return ' / '.join(line.requirement.render() for line in lines if line.requirement is not None)


def lines_of(index: Mapping[str, list[Line]], key: str) -> list[Line]:
    try:
        return index[key]
    except KeyError:
        return []


def _name(*groups: list[Line]) -> str | None:
    for group in groups:
        for line in group:
            if line.requirement and line.requirement.name:
                return line.requirement.name
    return None


def compare(base: Snapshot, proposed: Snapshot) -> list[PackageChange]:
    """Every package the change touches, by name, then kind."""
    changes: list[PackageChange] = []
    base_global = base.global_list
    new_global = proposed.global_list
    for key in sorted(_changed_keys(base.global_text, proposed.global_text)):
        old = lines_of(base_global.lines, key)
        new = lines_of(new_global.lines, key)
        broken = new_global.errors(key)
        name = _name(new, old) or key
        if broken:
            err = broken[0]
            changes.append(
                PackageChange(
                    key,
                    name,
                    f'does not parse: {err.reason}',
                    data.GLOBAL,
                    err.line,
                    _text(old),
                    err.source.strip() or '',
                    True,
                )
            )
            continue
        if not old and not new:
            continue
        if not old:
            what, line = 'added', new[0].lineno
        elif not new:
            what, line = 'removed', old[0].lineno
        else:
            before = [_meaning(x) for x in old]
            after = [_meaning(x) for x in new]
            # the job compares names as written: a respelling is a change
            spelt = set(_spellings(old)) != set(_spellings(new))
            if sorted(before, key=str) == sorted(after, key=str) and not spelt:
                continue  # a comment changed
            parts = []
            if sorted(b[0] for b in before) != sorted(a[0] for a in after):
                parts.append('specifier')
            if sorted(b[1] for b in before) != sorted(a[1] for a in after):
                parts.append('markers')
            if spelt:
                parts.append('spelling')
            if len(before) != len(after) or not parts:
                parts = parts or ['requirement']
            what = ' and '.join(parts) + ' changed'
            line = new[0].lineno
        changes.append(
            PackageChange(key, name, what, data.GLOBAL, line, _text(old), _text(new), True)
        )

    base_upper, new_upper = base.upper, proposed.upper
    for key in sorted(_changed_keys(base.upper_text or '', proposed.upper_text or '')):
        old, new = lines_of(base_upper, key), lines_of(new_upper, key)
        if sorted(_pins(old)) == sorted(_pins(new)):
            continue
        name = _name(new, old) or key
        if not old:
            what = 'constraint added'
        elif not new:
            what = 'constraint removed'
        else:
            what = 'constraint ' + _direction(old, new)
        changes.append(
            PackageChange(
                key,
                name,
                what,
                data.UPPER,
                (new or old)[0].lineno,
                _versions(old),
                _versions(new),
                False,
            )
        )

    base_excluded, new_excluded = base.excluded, proposed.excluded
    for key in sorted(base_excluded ^ new_excluded):
        newly = key in new_excluded
        where = LazyRequirementsFile(
            (proposed.excluded_text if newly else base.excluded_text) or ''
        )
        lines = lines_of(where.by_key, key)
        name = _name(lines) or key
        changes.append(
            PackageChange(
                key,
                name,
                'newly denylisted' if newly else 'no longer denylisted',
                proposed.excluded_name if newly else base.excluded_name,
                lines[0].lineno if lines else 0,
                '' if newly else name,
                name if newly else '',
                True,
            )
        )
    for key in sorted(base.backported ^ proposed.backported):
        newly = key in proposed.backported
        lines = lines_of(
            LazyRequirementsFile(
                (proposed.backports_text if newly else base.backports_text) or ''
            ).by_key,
            key,
        )
        name = _name(lines) or key
        changes.append(
            PackageChange(
                key,
                name,
                'backport added' if newly else 'backport removed',
                data.BACKPORTS,
                lines[0].lineno if lines else 0,
                '' if newly else name,
                name if newly else '',
                False,
            )
        )
    changes.sort(key=lambda c: (c.key, c.file))
    return changes


def _pins(lines: list[Line]) -> list[tuple[str, str]]:
    return [
        (version, _normal(line.requirement.marker_text))  # type: ignore[union-attr]
        for line in lines
        for version in usage.pinned_versions([line])
    ]


def _versions(lines: list[Line]) -> str:
    return usage.describe_pins(lines)


def _direction(old: list[Line], new: list[Line]) -> str:
    from packaging.version import InvalidVersion, Version

    try:
        before = max(Version(v) for v, _ in _pins(old))
        after = max(Version(v) for v, _ in _pins(new))
    except (InvalidVersion, ValueError):
        return 'changed'
    if after > before:
        return 'bumped'
    if after < before:
        return 'lowered'
    return 'changed'
