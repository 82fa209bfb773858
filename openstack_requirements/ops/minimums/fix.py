"""``--fix``: raise each false minimum in place.

A false minimum becomes the highest of its lowest workable releases over
the Pythons (one line for all), never below the global list's minimum for
the package. Only the ``>=`` item of the line changes: its name, extras,
markers, comment, spacing, and every other line stay byte for byte. The
new texts go to the one writer (:class:`~openstack_requirements.ops.files.Changeset`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence

from packaging.specifiers import Specifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from openstack_requirements.model import Line
from openstack_requirements.model.versions import lower_bound
from openstack_requirements.ops.files import Change, Changeset
from openstack_requirements.ops.minimums.run import Checked
from openstack_requirements.ops.minimums.sets import Entry
from openstack_requirements.ops.sync.line import with_specifier
from openstack_requirements.ops.sync.run import file_style


def global_minimum(lines: Sequence[Line]) -> Version | None:
    """The highest minimum the global list's lines for a package state."""
    found = None
    for line in lines:
        requirement = line.requirement
        if requirement is None:
            continue
        bound = lower_bound(requirement.specifier)
        if bound is None:
            continue
        try:
            version = Version(bound.version)
        except InvalidVersion:
            continue
        if found is None or version > found:
            found = version
    return found


def raised_specifier(entry: Entry, version: Version) -> SpecifierSet | None:
    """``entry``'s specifier with its ``>=``/``>`` items replaced by
    ``>=version`` (None: its minimum is implied, by ``==`` or ``~=``,
    and is not raised)."""
    items = list(entry.specifier)
    if not any(s.operator in ('>=', '>') for s in items):
        return None
    if any(s.operator in ('==', '===', '~=') for s in items):
        return None
    kept = [s for s in items if s.operator not in ('>=', '>')]
    return SpecifierSet(','.join(str(s) for s in [Specifier(f'>={version}'), *kept]))


def _in_place(entry: Entry, version: Version) -> Line | None:
    """``entry``'s line with the version of its one ``>=`` item replaced
    in its text, every other byte kept (None: not so simple)."""
    bounds = [s for s in entry.specifier if s.operator in ('>=', '>')]
    line = entry.line
    requirement = line.requirement
    if len(bounds) != 1 or bounds[0].operator != '>=' or requirement is None:
        return None
    body = line.text[: len(line.text) - len(line.comment)] if line.comment else line.text
    pattern = re.compile(r'(>=\s*)' + re.escape(bounds[0].version) + r'(?![\w.*+!-])')
    found = list(pattern.finditer(body))
    if len(found) != 1:
        return None
    start, end = found[0].span()
    text = body[:start] + found[0].group(1) + str(version) + body[end:] + line.text[len(body) :]
    kept = [s for s in entry.specifier if s.operator not in ('>=', '>')]
    target = requirement.replace(
        specifier=SpecifierSet(','.join(str(s) for s in [Specifier(f'>={version}'), *kept]))
    )
    return dataclasses.replace(line, text=text, requirement=target)


def fix(
    checked: Sequence[Checked], global_lines: Mapping[str, list[Line]] | None = None
) -> tuple[Changeset, list[str]]:
    """The changes that raise every false minimum, and a line for each
    one that could not be raised."""
    changeset = Changeset()
    skipped: list[str] = []
    for project in checked:
        new: dict[int, dict[str, list[Line]]] = {}
        files = {id(f): f for f in project.project.files}
        for entry, lowest in project.raised().values():
            target = lowest
            floor = global_minimum((global_lines or {}).get(entry.key, []))
            if floor is not None and floor > target:
                target = floor
            specifier = raised_specifier(entry, target)
            where = f'{entry.file.path}:{entry.line.lineno}'
            if specifier is None:
                skipped.append(
                    f'{where}: {entry.name}: its minimum is implied by '
                    f'{entry.specifier}; not raised (raise it to {target} by hand)'
                )
                continue
            line = _in_place(entry, target) or with_specifier(
                entry.line, specifier, file_style(entry.file, entry.source)
            )
            sources = new.setdefault(id(entry.file), {})
            lines = sources.setdefault(entry.source.label, list(entry.source.lines))
            lines[next(i for i, old in enumerate(lines) if old is entry.line)] = line
        for key, sources in new.items():
            dependency_file = files[key]
            text = dependency_file.render_checked(sources)
            changeset.changes.append(
                Change(
                    str(dependency_file.path),
                    dependency_file.text,
                    text,
                    str(project.project.root),
                )
            )
    return changeset, skipped
