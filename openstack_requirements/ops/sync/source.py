"""One source synced: every entry of a list of lines (a requirements file,
one extra...), with the rows and problems of the sync.

Only requirement lines of packages in the global list are edited; every
other line (comments, blank lines, pip options, ``-e`` and URL lines,
excluded and unknown packages) is kept byte for byte, and a line that
already says what the policy asks is not touched. An *entry* is a package
name with its extras: ``pkg`` and ``pkg[extra]`` are two entries, each
synced on its own, never merged or dropped."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from packaging.utils import canonicalize_name

from openstack_requirements.model import Line, RequirementsFile
from openstack_requirements.ops.findings import Finding
from openstack_requirements.ops.sync.entry import entry_rows, gathered, sync_entry
from openstack_requirements.ops.sync.global_list import GlobalList
from openstack_requirements.ops.sync.line import PLAIN, Style
from openstack_requirements.ops.sync.policy import Policy
from openstack_requirements.ops.sync.report import UNKNOWN, Row, stop


@dataclasses.dataclass(frozen=True)
class Place:
    """Where a source is: for report rows and problems."""

    #: The ``File`` column of rows.
    label: str
    #: The path problems name, and the file's whole text (for columns).
    path: str
    text: str


@dataclasses.dataclass
class SourceSync:
    """The lines of one source after the sync, with rows and problems."""

    lines: list[Line]
    rows: list[Row] = dataclasses.field(default_factory=list)
    problems: list[Finding] = dataclasses.field(default_factory=list)


EntryKey = tuple[str, frozenset[str]]


def entry_key(line: Line) -> EntryKey:
    """A line's entry: its canonical name and extras."""
    req = line.requirement
    assert req is not None and req.key is not None
    if not req.extras:
        return req.key, _NO_EXTRAS
    return req.key, frozenset(canonicalize_name(e) for e in req.extras)


_NO_EXTRAS: frozenset[str] = frozenset()


def _column(text: str, lineno: int, name: str) -> int:
    lines = text.splitlines()
    if 0 < lineno <= len(lines):
        at = lines[lineno - 1].find(name)
        if at >= 0:
            return at + 1
    return 1


def _syncable(line: Line) -> bool:
    req = line.requirement
    return req is not None and bool(req.name) and not req.url and not req.editable


def _entries(
    lines: Sequence[Line], global_list: GlobalList, soft: bool, place: Place, out: SourceSync
) -> dict[EntryKey, list[int]]:
    """The line indexes of each entry to sync; unknown packages and broken
    global lines go to ``out`` as rows and problems."""
    groups: dict[EntryKey, list[int]] = {}
    for index, line in enumerate(lines):
        if not _syncable(line):
            continue
        entry = entry_key(line)
        key = entry[0]
        if key in global_list.excluded:
            continue
        broken = global_list.errors(key)
        if broken:
            out.problems.extend(
                stop(err.path or global_list.described, err.line, err.column, err.reason)
                for err in broken
            )
            continue
        if key not in global_list.lines:
            if not soft:
                name = line.requirement.name  # type: ignore[union-attr]
                assert name is not None
                out.problems.append(
                    stop(
                        place.path,
                        line.lineno,
                        _column(place.text, line.lineno, name),
                        f"'{name}' is not in {global_list.described}",
                    )
                )
                out.rows.append(Row(place.label, name, line.text, '', UNKNOWN, line.lineno))
            continue
        groups.setdefault(entry, []).append(index)
    return groups


def sync_lines(
    lines: Sequence[Line],
    global_list: GlobalList,
    policy: Policy = Policy.MERGE,
    soft: bool = False,
    *,
    place: Place,
    style: Style = PLAIN,
) -> SourceSync:
    """The lines of one source, synced, with their rows and problems."""
    out = SourceSync(list(lines))
    groups = _entries(lines, global_list, soft, place, out)
    replaced: dict[int, list[Line]] = {}
    for (key, _), indexes in groups.items():
        group = [lines[i] for i in indexes]
        entry = sync_entry(group, global_list.lines[key], policy, style)
        if not entry.changed:
            continue
        out.rows.extend(entry_rows(place.label, entry))
        new = [s.line for s in entry.synced]
        if entry.in_place:
            for index, line in zip(indexes, new, strict=True):
                replaced[index] = [line]
        else:
            replaced[indexes[0]] = gathered(new, group[0])
            for index in indexes[1:]:
                replaced[index] = []
    if replaced:
        out.lines = [
            new for index, line in enumerate(lines) for new in replaced.get(index, [line])
        ]
    return out


def sync_text(
    text: str,
    global_list: GlobalList,
    policy: Policy = Policy.MERGE,
    soft: bool = False,
    path: str = 'requirements.txt',
) -> tuple[str, list[Row], list[Finding]]:
    """Sync the text of one requirements file: ``(new text, report rows,
    problems)``."""
    done = sync_lines(
        RequirementsFile.parse(text, path).lines,
        global_list,
        policy,
        soft,
        place=Place(path, path, text),
    )
    text = ''.join(line.text + line.newline for line in done.lines)
    return text, done.rows, done.problems
