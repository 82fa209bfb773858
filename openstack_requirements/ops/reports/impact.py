"""What a change to the governance data does to every project.

Two versions of the data are compared: the *base* (a directory, or a git
revision of the requirements checkout read with ``git show``) and the
*proposed* one (a directory). For every package the change touches (added
to or removed from the global list, its specifiers or markers changed,
its upper constraint changed, newly denylisted or no longer), each project
line declaring it is reported once, with its fate:

* ``break``: the line's specifiers exclude the proposed upper constraint
  while they admitted the base one (its jobs would fail to install), or
  would once synced; or the change removes the package from the global
  list (not to the denylist); or the proposed global line does not parse;
* ``sync``: update-requirements would rewrite the line because of this
  change: the sync is planned against the base and against the proposed
  data, and only what differs is reported (a change pending before it is
  not);
* ``uses``: the line declares the package and nothing happens to it.

Nothing is written.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from packaging.markers import InvalidMarker
from packaging.utils import canonicalize_name

from openstack_requirements.errors import FileError, ParseError
from openstack_requirements.model import (
    LazyRequirementsFile,
    Line,
    parse_line,
    render_specifier,
    split_logical,
)
from openstack_requirements.model.versions import normal_marker
from openstack_requirements.ops import data, git, sync
from openstack_requirements.ops.files import read_text
from openstack_requirements.ops.project import Project
from openstack_requirements.ops.reports import usage

COLUMNS = ('Kind', 'Package', 'Project', 'File', 'Line', 'Old', 'New',
           'Detail')

CHANGE, BREAK, SYNC, USES = 'change', 'break', 'sync', 'uses'


# -- the two versions of the data ------------------------------------------------

@dataclasses.dataclass
class Snapshot:
    """One version of the governance data, as texts."""

    #: Where it was read: a directory, or ``REV`` of a directory.
    label: str
    global_text: str
    upper_text: str = ''
    excluded_text: str = ''
    excluded_name: str = data.DENYLIST_NAMES[0]

    @classmethod
    def from_directory(cls, directory: str | os.PathLike[str]) -> Snapshot:
        place = Path(directory)
        if not place.is_dir():
            raise FileError(f'{place}: no such directory')
        global_path = data.locate(data.GLOBAL, source=place, required=True)
        assert global_path is not None
        upper = data.locate(data.UPPER, source=place)
        excluded = data.locate(data.DENYLIST_NAMES, source=place)
        return cls(str(place), read_text(global_path),
                   read_text(upper) if upper else '',
                   read_text(excluded) if excluded else '',
                   excluded.name if excluded else data.DENYLIST_NAMES[0])

    @classmethod
    def from_revision(cls, directory: str | os.PathLike[str],
                      rev: str) -> Snapshot:
        """The data files of ``directory`` as committed at ``rev``."""
        commit = git.resolve(directory, rev)
        global_text = git.show(directory, commit, data.GLOBAL)
        if global_text is None:
            raise FileError(f'{directory}: no {data.GLOBAL} at {rev}')
        upper = git.show(directory, commit, data.UPPER) or ''
        for name in data.DENYLIST_NAMES:
            excluded = git.show(directory, commit, name)
            if excluded is not None:
                return cls(f'{rev}', global_text, upper, excluded, name)
        return cls(f'{rev}', global_text, upper)

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
            self.global_text, self.excluded_text, global_path=data.GLOBAL,
            excluded_path=self.excluded_name)

    @functools.cached_property
    def upper(self) -> Mapping[str, list[Line]]:
        return LazyRequirementsFile(self.upper_text, data.UPPER).by_key

    @functools.cached_property
    def excluded(self) -> frozenset[str]:
        return frozenset(LazyRequirementsFile(self.excluded_text).by_key)


# -- what changed ---------------------------------------------------------------

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
    return (render_specifier(req.specifier), _normal(req.marker_text),
            frozenset(req.extras), req.url)


def _text(lines: list[Line]) -> str:
    return ' / '.join(line.requirement.render() for line in lines  # type: ignore[union-attr]
                      if line.requirement is not None)


def _lines(index: Mapping[str, list[Line]], key: str) -> list[Line]:
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
        old = _lines(base_global.lines, key)
        new = _lines(new_global.lines, key)
        broken = new_global.errors(key)
        name = _name(new, old) or key
        if broken:
            err = broken[0]
            changes.append(PackageChange(
                key, name, f'does not parse: {err.reason}', data.GLOBAL,
                err.line, _text(old), err.source.strip() or '', True))
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
            if sorted(before, key=str) == sorted(after, key=str):
                continue  # a comment or spelling changed
            parts = []
            if sorted(b[0] for b in before) != sorted(a[0] for a in after):
                parts.append('specifier')
            if sorted(b[1] for b in before) != sorted(a[1] for a in after):
                parts.append('markers')
            if len(before) != len(after) or not parts:
                parts = parts or ['requirement']
            what = ' and '.join(parts) + ' changed'
            line = new[0].lineno
        changes.append(PackageChange(key, name, what, data.GLOBAL, line,
                                     _text(old), _text(new), True))

    base_upper, new_upper = base.upper, proposed.upper
    for key in sorted(_changed_keys(base.upper_text, proposed.upper_text)):
        old, new = _lines(base_upper, key), _lines(new_upper, key)
        if sorted(_pins(old)) == sorted(_pins(new)):
            continue
        name = _name(new, old) or key
        if not old:
            what = 'constraint added'
        elif not new:
            what = 'constraint removed'
        else:
            what = 'constraint ' + _direction(old, new)
        changes.append(PackageChange(
            key, name, what, data.UPPER, (new or old)[0].lineno,
            _versions(old), _versions(new), False))

    base_excluded, new_excluded = base.excluded, proposed.excluded
    for key in sorted(base_excluded ^ new_excluded):
        newly = key in new_excluded
        where = LazyRequirementsFile(
            proposed.excluded_text if newly else base.excluded_text)
        lines = _lines(where.by_key, key)
        name = _name(lines) or key
        changes.append(PackageChange(
            key, name, 'newly denylisted' if newly else 'no longer denylisted',
            proposed.excluded_name if newly else base.excluded_name,
            lines[0].lineno if lines else 0,
            '' if newly else name, name if newly else '', True))
    changes.sort(key=lambda c: (c.key, c.file))
    return changes


def _pins(lines: list[Line]) -> list[tuple[str, str]]:
    return [(version, _normal(line.requirement.marker_text))  # type: ignore[union-attr]
            for line in lines for version in usage.pinned_versions([line])]


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


# -- what it does to the projects -----------------------------------------------

@dataclasses.dataclass
class Report:
    changes: list[PackageChange]
    #: ``(kind, package, project, file, line, old, new, detail)``.
    rows: list[tuple[str, str, str, str, int, str, str, str]]
    read: int
    missing: list[str]
    unreadable: list[tuple[str, str]]

    def projects(self, kind: str | None = None) -> set[str]:
        return {r[2] for r in self.rows
                if r[0] != CHANGE and (kind is None or r[0] == kind)}

    @property
    def synced(self) -> set[str]:
        return {r[2] for r in self.rows if r[0] != CHANGE and r[6]}

    @property
    def broken(self) -> bool:
        return any(r[0] == BREAK for r in self.rows)

    def summary(self) -> str:
        packages = len({c.key for c in self.changes})
        lines = sum(1 for r in self.rows if r[0] != CHANGE and r[6])
        text = (f'{packages} packages changed; {len(self.projects())} '
                f'projects touched, {len(self.projects(BREAK))} broken, '
                f'{len(self.synced)} to sync ({lines} lines); '
                f'{self.read} projects read')
        if self.missing:
            text += f', {len(self.missing)} listed without a checkout'
        if self.unreadable:
            text += f', {len(self.unreadable)} unreadable'
        return text


def impact(base: Snapshot, proposed: Snapshot,
           found: Iterable[tuple[str, Path]],
           missing: Iterable[str] = (), include: Sequence[str] = (),
           unsynced: frozenset[str] = frozenset({'hacking'}),
           policy: sync.Policy = sync.Policy.MERGE) -> Report:
    """The report of what changing ``base`` into ``proposed`` does to the
    projects ``found`` (``(name, directory)`` pairs): their governed files
    and those matching ``include``. As update-requirements by default,
    the packages ``unsynced`` are not synced; the sync follows
    ``policy``."""
    changes = compare(base, proposed)
    index = usage.declarations(found, include)
    by_key: dict[str, list[PackageChange]] = {}
    for change in changes:
        by_key.setdefault(change.key, []).append(change)

    governed = {c.key for c in changes if c.governs} - unsynced
    base_sync = _restricted(base.global_list, governed)
    new_sync = _restricted(proposed.global_list, governed)
    base_upper, new_upper = base.upper, proposed.upper
    removed = {c.key for c in changes if c.what == 'removed'}
    unparsable = {c.key: c.what for c in changes
                  if c.what.startswith('does not parse')}
    new_excluded = new_sync.excluded

    # syncs: planned against both versions, for the projects concerned
    synced: dict[tuple[str, str, int], tuple[str, str]] = {}
    base_synced: dict[tuple[str, str, int], str] = {}
    added: list[tuple[str, str, str, int, str, str]] = []
    touched = {use.project for key in governed for use in index.of(key)}
    for name, project in index.projects.items():
        if name not in touched:
            continue
        before = _plan(project, base_sync, policy)
        for source, lineno, _package, old, new, _reason in before:
            if old:
                base_synced[(name, source, lineno)] = new
        for row in _plan(project, new_sync, policy):
            if row in before:
                continue  # pending before the change
            source, lineno, package, old, new, reason = row
            if old:  # a line rewritten or removed
                synced[(name, source, lineno)] = (new, reason)
            else:  # a marker variant added
                added.append((name, source, package, lineno, new, reason))

    rows: list[tuple[str, str, str, str, int, str, str, str]] = []
    for key, kinds in by_key.items():
        for change in kinds:
            rows.append((CHANGE, change.name, '', change.file, change.line,
                         change.old, change.new, change.what))
        base_pins = _lines(base_upper, key)
        new_pins = _lines(new_upper, key)
        for use in index.of(key):
            line = use.line
            where = (use.project, use.source, line.lineno)
            new, reason = synced.get(where, ('', ''))
            kind, detail = (SYNC, reason) if new or reason else (USES, '')
            why = _break(use, new, base_synced.get(where),
                         base_pins, new_pins, key in removed,
                         unparsable.get(key), key in new_excluded)
            if why:
                kind, detail = BREAK, why
            rows.append((kind, line.requirement.name or key,  # type: ignore[union-attr]
                         use.project, use.source, line.lineno, line.text,
                         new, detail))
            # a marker variant the sync adds, after the line it comes from
            rows.extend((SYNC, package, owner, source, lineno, '', text, why)
                        for owner, source, package, lineno, text, why in added
                        if (owner, source, lineno) == where
                        and canonicalize_name(package) == key)
    return Report(changes, rows, len(index.projects), list(missing),
                  [(n, str(e)) for n, e in index.unreadable])


def _restricted(global_list: sync.GlobalList,
                keys: set[str]) -> sync.GlobalList:
    """The global list with only the ``keys`` entries: syncing against it
    leaves every other line alone (with a soft update)."""
    lines = {}
    for key in keys:
        found = _lines(global_list.lines, key)
        if found:
            lines[key] = found
    return sync.GlobalList(lines, global_list.excluded, global_list.described)


def _plan(project: Project, global_list: sync.GlobalList,
          policy: sync.Policy) -> list[tuple[str, int, str, str, str, str]]:
    """The sync rows of ``project`` as ``(source, line, package, old, new,
    reason)``; an added line is placed at the first line of its
    package."""
    # only the files declaring a package of the change can change
    wanted = set(global_list.lines) | global_list.excluded
    files = [f for f in project.files
             if any(line.key in wanted for source in f.sources
                    for line in source.requirement_lines())]
    result = sync.sync_project(Project(project.root, files), global_list,
                               policy, soft=True)
    prefix = str(project.root) + os.sep
    labels = {s.label: s for s in project.sources}
    rows = []
    used: set[tuple[str, int]] = set()
    for row in result.rows:
        label = row.file.removeprefix(prefix)
        source = labels.get(label)
        key = canonicalize_name(row.package) if row.package else ''
        lineno = 0
        if source is not None:
            candidates = [line.lineno for line in source.requirement_lines()
                          if line.key == key]
            exact = [line.lineno for line in source.requirement_lines()
                     if row.old and line.text == row.old
                     and (label, line.lineno) not in used]
            if exact:
                used.add((label, exact[0]))
            lineno = (exact or candidates or [0])[0]
        rows.append((label, lineno, row.package, row.old, row.new,
                     row.reason))
    return rows


def _break(use: usage.Use, synced: str, base_synced: str | None,
           base_pins: list[Line], new_pins: list[Line], removed: bool,
           unparsable: str | None, excluded: bool) -> str:
    """Why the change breaks the project at this line ('' when it does
    not)."""
    line = use.line
    req = line.requirement
    assert req is not None
    if excluded or (req.url and not req.name):
        return ''
    if unparsable:
        return f'the proposed global line {unparsable}'
    if removed:
        return f'removed from {data.GLOBAL}'
    if req.url:
        return ''
    old_versions = usage.pinned_versions(usage.applicable_pins(line, base_pins))
    new_versions = usage.pinned_versions(usage.applicable_pins(line, new_pins))
    if not new_versions:
        return ''
    excluded_now = [v for v in new_versions
                    if not usage.admits(line, [v])]
    if excluded_now and usage.admits(line, old_versions):
        return (f'{render_specifier(req.specifier) or "(any)"} excludes '
                f'the proposed upper constraint {excluded_now[0]}')
    if synced:
        after = _parse(synced, use.source)
        if after is None:
            return ''
        excluded_after = [v for v in new_versions
                          if not usage.admits(after, [v])]
        before = _parse(base_synced, use.source) if base_synced else line
        if excluded_after and (before is None
                               or usage.admits(before, old_versions)):
            spec = render_specifier(after.requirement.specifier)  # type: ignore[union-attr]
            return (f'once synced, {spec} excludes the upper constraint '
                    f'{excluded_after[0]}')
    return ''


def _parse(text: str, source: str) -> Line | None:
    try:
        return parse_line(text, pbr=source.startswith('setup.cfg'))
    except ParseError:
        return None

