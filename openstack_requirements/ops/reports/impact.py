"""What a change to the governance data does to every project.

Two versions of the data are compared: the *base* (a directory, or a git
revision of the requirements checkout read with ``git show``) and the
*proposed* one (a directory). For every package the change touches (added
to or removed from the global list, its specifiers or markers changed,
its upper constraint changed, newly denylisted or no longer, a backport or
no longer), each project line declaring it is reported once, with its
fate:

* ``break``: the line's specifiers exclude the proposed upper constraint
  while they admitted the base one (its jobs would fail to install), or
  would once synced;
* ``sync``: update-requirements would rewrite the line because of this
  change: the sync is planned against the base and against the proposed
  data, and only what differs is reported (a change pending before it is
  not);
* ``uses``: the line declares the package and nothing happens to it.

Beside them, the gate (:mod:`~openstack_requirements.ops.reports.impact_gate`):
each check of the requirements-check job a project newly fails is a
``break`` row (a package removed from the global list fails
``in-global``, an exclusion the global list dropped ``exclusions``...),
each it newly passes a ``fix``, whatever a sync would do later. And
each release a constraint change pins anew, read from the package index,
is held against the other pins
(:mod:`~openstack_requirements.ops.reports.impact_metadata`): a pin it excludes is
a ``break`` row of the constraint.

Nothing is written.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name

from openstack_requirements.errors import ParseError
from openstack_requirements.model import (
    Line,
    parse_line,
    render_specifier,
)
from openstack_requirements.ops import data, sync
from openstack_requirements.ops.project import Project
from openstack_requirements.ops.reports import impact_gate, impact_metadata, usage
from openstack_requirements.ops.reports.impact_changes import (
    PackageChange as PackageChange,
)
from openstack_requirements.ops.reports.impact_changes import compare as compare
from openstack_requirements.ops.reports.impact_changes import lines_of
from openstack_requirements.ops.reports.impact_data import Snapshot as Snapshot
from openstack_requirements.ops.reports.impact_rows import Kind, Report, Row

if TYPE_CHECKING:
    from openstack_requirements.ops.constraints.metadata.index import Index

# -- what it does to the projects -----------------------------------------------


def impact(
    base: Snapshot,
    proposed: Snapshot,
    found: Iterable[tuple[str, Path]],
    missing: Iterable[str] = (),
    include: Sequence[str] = (),
    unsynced: frozenset[str] = frozenset({'hacking'}),
    policy: sync.Policy = sync.Policy.MERGE,
    branch: str = 'master',
    package_index: Callable[[], Index] | None = None,
) -> Report:
    """The report of what changing ``base`` into ``proposed`` does to the
    projects ``found`` (``(name, directory)`` pairs): their governed files
    and those matching ``include``. As update-requirements by default,
    the packages ``unsynced`` are not synced; the sync follows
    ``policy``; the job's checks follow the rules of ``branch``. With a
    ``package_index`` (made when first needed), the releases the change
    pins are read from it and held against the other pins
    (:mod:`.impact_metadata`)."""
    changes = compare(base, proposed)
    reading = impact_metadata.Reading([], 0, [])
    if package_index is not None:
        releases = impact_metadata.changed_releases(
            base, proposed, {c.key for c in changes if c.file == data.UPPER}
        )
        if releases:
            reading = impact_metadata.check(releases, proposed, package_index())
    conflicts: dict[str, list[impact_metadata.Conflict]] = {}
    for conflict in reading.conflicts:
        conflicts.setdefault(conflict.release.key, []).append(conflict)
    index = usage.declarations(found, include)
    by_key: dict[str, list[PackageChange]] = {}
    for change in changes:
        by_key.setdefault(change.key, []).append(change)

    governed = {c.key for c in changes if c.governs} - unsynced
    base_sync = _restricted(base.global_list, governed)
    new_sync = _restricted(proposed.global_list, governed)
    base_upper, new_upper = base.upper, proposed.upper
    new_excluded = new_sync.excluded

    # syncs: planned against both versions, for the projects concerned
    synced: dict[tuple[str, str, int], sync.Row] = {}
    base_synced: dict[tuple[str, str, int], str] = {}
    added: dict[tuple[str, str, int], list[sync.Row]] = {}
    touched = {use.project for key in governed for use in index.of(key)}
    for name, project in index.projects.items():
        if name not in touched:
            continue
        before = _plan(project, base_sync, policy)
        for row in before:
            if row.old:
                base_synced[(name, row.file, row.line)] = row.new
        for row in _plan(project, new_sync, policy):
            if row in before:
                continue  # pending before the change
            where = (name, row.file, row.line)
            if row.old:  # a line rewritten or removed
                synced[where] = row
            else:  # a marker variant added
                added.setdefault(where, []).append(row)

    # the gate: the job's checks, before and after
    verdicts = judge(base, proposed, index, set(by_key), branch)

    rows: list[Row] = []
    for key, kinds in by_key.items():
        for change in kinds:
            rows.append(
                Row(
                    Kind.CHANGE,
                    change.name,
                    '',
                    change.file,
                    change.line,
                    change.old,
                    change.new,
                    change.what,
                )
            )
        rows.extend(
            Row(
                Kind.BREAK,
                c.release.name,
                '',
                data.UPPER,
                c.release.line,
                '',
                c.release.version,
                c.detail,
            )
            for c in conflicts.get(key, ())
        )
        base_pins = lines_of(base_upper, key)
        new_pins = lines_of(new_upper, key)
        for use in index.of(key):
            line = use.line
            where = (use.project, use.source, line.lineno)
            planned = synced.get(where)
            new = planned.new if planned else ''
            kind, detail = (Kind.SYNC, planned.reason) if planned else (Kind.USES, '')
            why = _break(
                use, new, base_synced.get(where), base_pins, new_pins, key in new_excluded
            )
            if why:
                kind, detail = Kind.BREAK, why
            judged = verdicts.pop(where, [])
            if kind is not Kind.USES or not judged:  # else the verdicts say it
                rows.append(
                    Row(
                        kind,
                        line.requirement.name or key,  # type: ignore[union-attr]
                        use.project,
                        use.source,
                        line.lineno,
                        line.text,
                        new,
                        detail,
                    )
                )
            # a marker variant the sync adds, after the line it comes from
            rows.extend(
                Row(
                    Kind.SYNC,
                    extra.package,
                    use.project,
                    use.source,
                    line.lineno,
                    '',
                    extra.new,
                    extra.reason,
                )
                for extra in added.get(where, ())
                if canonicalize_name(extra.package) == key
            )
            rows.extend(_verdict_row(v) for v in judged)
        # the findings of the key that are not on a line of the project
        rows.extend(_verdict_row(v) for v in verdicts.pop(key, ()))
    rows.extend(_verdict_row(v) for rest in verdicts.values() for v in rest)
    return Report(
        len(by_key),
        rows,
        len(index.projects),
        list(missing),
        [(n, str(e)) for n, e in index.unreadable],
        reading.read,
        reading.unread,
    )


def judge(
    base: Snapshot, proposed: Snapshot, index: usage.Declarations, keys: set[str], branch: str
) -> dict[object, list[impact_gate.Verdict]]:
    """The gate's verdicts on the projects declaring a package of ``keys``,
    by where they go: ``(project, file, line)`` for a finding on a
    declaring line, else its package's key, else ``None``."""
    found: dict[object, list[impact_gate.Verdict]] = {}
    lines: dict[str, list[Line]] = {}
    for key in keys:
        for use in index.of(key):
            lines.setdefault(use.project, []).append(use.line)
    if not lines:
        return found
    gate = impact_gate.Gate(base, proposed, branch)
    for name, project in index.projects.items():
        if name not in lines:
            continue
        for verdict in gate.judge(name, project, lines[name]):
            finding = verdict.finding
            place: object = None
            if verdict.line is not None:
                place = (name, finding.file, finding.line)
            elif finding.package and canonicalize_name(finding.package) in keys:
                place = canonicalize_name(finding.package)
            found.setdefault(place, []).append(verdict)
    return found


def _verdict_row(verdict: impact_gate.Verdict) -> Row:
    finding = verdict.finding
    return Row(
        verdict.kind,
        finding.package,
        verdict.project,
        finding.file,
        finding.line or 0,
        verdict.line.text if verdict.line is not None else '',
        '',
        verdict.detail,
    )


def _restricted(global_list: sync.GlobalList, keys: set[str]) -> sync.GlobalList:
    """The global list with only the ``keys`` entries: syncing against it
    leaves every other line alone (with a soft update)."""
    lines = {}
    for key in keys:
        found = lines_of(global_list.lines, key)
        if found:
            lines[key] = found
    return sync.GlobalList(lines, global_list.excluded, global_list.described)


def _plan(project: Project, global_list: sync.GlobalList, policy: sync.Policy) -> list[sync.Row]:
    """The sync rows of ``project``, each ``file`` its source's label."""
    # only the files declaring a package of the change can change
    wanted = set(global_list.lines) | global_list.excluded
    files = [
        f
        for f in project.files
        if any(line.key in wanted for source in f.sources for line in source.requirement_lines())
    ]
    result = sync.sync_project(Project(project.root, files), global_list, policy, soft=True)
    prefix = str(project.root) + os.sep
    return [dataclasses.replace(row, file=row.file.removeprefix(prefix)) for row in result.rows]


def _break(
    use: usage.Use,
    synced: str,
    base_synced: str | None,
    base_pins: list[Line],
    new_pins: list[Line],
    excluded: bool,
) -> str:
    """Why the change breaks the project's jobs at this line ('' when it
    does not): the proposed upper constraint, which its specifiers admitted,
    is excluded by them, or would be once synced."""
    line = use.line
    req = line.requirement
    assert req is not None
    if excluded or req.url:
        return ''
    old_versions = usage.pinned_versions(usage.applicable_pins(line, base_pins))
    new_versions = usage.pinned_versions(usage.applicable_pins(line, new_pins))
    if not new_versions:
        return ''
    excluded_now = [v for v in new_versions if not usage.admits(line, [v])]
    if excluded_now and usage.admits(line, old_versions):
        return (
            f'{render_specifier(req.specifier) or "(any)"} excludes '
            f'the proposed upper constraint {excluded_now[0]}'
        )
    if synced:
        after = _parse(synced, use.source)
        if after is None:
            return ''
        excluded_after = [v for v in new_versions if not usage.admits(after, [v])]
        before = _parse(base_synced, use.source) if base_synced else line
        if excluded_after and (before is None or usage.admits(before, old_versions)):
            spec = render_specifier(after.requirement.specifier)  # type: ignore[union-attr]
            return f'once synced, {spec} excludes the upper constraint {excluded_after[0]}'
    return ''


def _parse(text: str, source: str) -> Line | None:
    try:
        return parse_line(text, pbr=source.startswith('setup.cfg'))
    except ParseError:
        return None
