"""One entry synced: the lines of one package (with its extras) in one
source, paired with the global lines of the package by their markers
(marker variants); a global variant the project lacks is added, a project
variant the global list lacks is removed."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from openstack_requirements.model import Line
from openstack_requirements.model.versions import normal_marker
from openstack_requirements.ops.sync.line import PLAIN, Style, Synced, sync_line
from openstack_requirements.ops.sync.policy import Policy
from openstack_requirements.ops.sync.report import ADDED, EXCLUDED_MINIMUM, REMOVED, Row


def pair_variants(
    group: Sequence[Line], global_lines: Sequence[Line]
) -> tuple[list[int | None], list[int]]:
    """For each global line, the index in ``group`` of the project line of
    the same markers, else of the next line left, else ``None``; and the
    indexes of the project lines no global line takes."""
    if len(group) == 1 and len(global_lines) == 1:
        # most entries: the one line is paired, markers alike or not
        return [0], []
    pairs: list[int | None] = [None] * len(global_lines)
    free = list(range(len(group)))
    for g, gline in enumerate(global_lines):
        assert gline.requirement is not None
        want = normal_marker(gline.requirement.marker_text)
        for p in free:
            req = group[p].requirement
            assert req is not None
            if normal_marker(req.marker_text) == want:
                pairs[g] = p
                free.remove(p)
                break
    for g in range(len(global_lines)):
        if pairs[g] is None and free:
            pairs[g] = free.pop(0)
    return pairs, free


@dataclasses.dataclass(frozen=True)
class EntrySync:
    """What syncing one entry (name and extras) of one source does."""

    synced: list[Synced]
    #: The project lines dropped (variants the global list lacks).
    removed: list[Line]
    #: The new lines stand where the old ones did, one for one.
    in_place: bool

    @property
    def changed(self) -> bool:
        return bool(self.removed) or any(s.changed for s in self.synced)


def sync_entry(
    group: Sequence[Line], global_lines: Sequence[Line], policy: Policy, style: Style = PLAIN
) -> EntrySync:
    """The lines of one entry, synced with the global lines of its
    package."""
    pairs, free = pair_variants(group, global_lines)
    alone = len(group) == 1 and len(global_lines) == 1
    synced = [
        sync_line(
            group[p] if p is not None else group[0], p is not None, gline, policy, style, alone
        )
        for gline, p in zip(global_lines, pairs, strict=True)
    ]
    in_place = not free and None not in pairs and pairs == sorted(pairs)  # type: ignore[type-var]
    return EntrySync(synced, [group[i] for i in free], in_place)


def entry_rows(label: str, entry: EntrySync) -> list[Row]:
    """The report rows of one entry's sync."""
    rows = []
    for synced in entry.synced:
        req = synced.line.requirement
        assert req is not None
        name = req.name or ''
        if synced.old is None:
            rows.append(Row(label, name, '', synced.line.text, ADDED, synced.line.lineno))
            continue
        if not synced.changed:
            continue
        lineno = synced.old.lineno
        rows.append(Row(label, name, synced.old.text, synced.line.text, synced.reason, lineno))
        excluded = synced.merge.excluded_minimum
        if excluded is not None:
            written = synced.merge.written_minimum
            rows.append(
                Row(
                    label,
                    name,
                    str(excluded),
                    str(written) if written else '',
                    EXCLUDED_MINIMUM,
                    lineno,
                )
            )
    for line in entry.removed:
        name = line.requirement.name or ''  # type: ignore[union-attr]
        rows.append(Row(label, name, line.text, '', REMOVED, line.lineno))
    return rows


def gathered(lines: list[Line], first: Line) -> list[Line]:
    """An entry rebuilt where its first line stood: every line but the
    last ends as the first one did, or with a newline if it ended the
    file."""
    ending = first.newline or '\n'
    fixed = [dataclasses.replace(line, newline=ending) for line in lines[:-1]]
    fixed.append(dataclasses.replace(lines[-1], newline=first.newline))
    return fixed
