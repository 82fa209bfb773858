"""A minimums run over projects: every project and Python checked in one
resolver session, the findings as rows, and the summary over projects."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from packaging.version import Version

from openstack_requirements.ops.constraints import python_key
from openstack_requirements.ops.constraints.resolvers import ResolverOptions
from openstack_requirements.ops.constraints.resolvers.base import Progress
from openstack_requirements.ops.minimums.check import (
    FALSE,
    NO_RELEASE,
    UNRESOLVABLE,
    Hints,
    Outcome,
    check_python,
    hints_of,
    read_lowest,
    read_pages,
)
from openstack_requirements.ops.minimums.resolutions import session
from openstack_requirements.ops.minimums.sets import Entry, InstallSet, install_sets, supported
from openstack_requirements.ops.project import Project

#: The columns of the findings (public: JSON and YAML keys).
COLUMNS = ('Project', 'File', 'Line', 'Package', 'Kind', 'Pythons', 'Minimum', 'Lowest', 'Reason')
#: A row of :data:`COLUMNS`.
Row = tuple[str, str, int | str, str, str, str, str, str, str]
#: The columns of ``--summary``.
SUMMARY_COLUMNS = ('Package', 'Minimum', 'Projects')


@dataclasses.dataclass
class Checked:
    """One project, checked."""

    name: str
    project: Project
    sets: list[InstallSet]
    pythons: list[str]
    outcomes: list[Outcome] = dataclasses.field(default_factory=list)

    def raised(self) -> dict[int, tuple[Entry, Version]]:
        """By entry: the highest of its lowest workable releases over the
        Pythons (what its minimum must be raised to)."""
        found: dict[int, tuple[Entry, Version]] = {}
        for outcome in self.outcomes:
            if outcome.kind != FALSE or outcome.entry is None or outcome.lowest is None:
                continue
            known = found.get(id(outcome.entry))
            if known is None or outcome.lowest > known[1]:
                found[id(outcome.entry)] = (outcome.entry, outcome.lowest)
        return found


@dataclasses.dataclass
class Run:
    checked: list[Checked]
    #: Resolutions made, and how long the run took.
    resolutions: int = 0
    seconds: float = 0.0
    #: Of the resolutions, those reused from a recorded run.
    reused: int = 0

    @property
    def found(self) -> bool:
        return any(c.outcomes for c in self.checked)

    def rows(self) -> list[Row]:
        rows = []
        for checked in self.checked:
            rows += _rows(checked)
        return rows

    def summary(self) -> list[tuple[str, str, str]]:
        """Per package, the highest true minimum over the projects (the
        declared one, or the lowest workable where it is false), and the
        projects that ask for it."""
        best: dict[str, tuple[str, Version, list[str]]] = {}
        for checked in self.checked:
            raised = checked.raised()
            for install_set in checked.sets:
                for entry in install_set.entries:
                    if entry.minimum is None:
                        continue
                    true = max(entry.minimum, raised.get(id(entry), (entry, entry.minimum))[1])
                    known = best.get(entry.key)
                    if known is None or true > known[1]:
                        best[entry.key] = (entry.name, true, [checked.name])
                    elif true == known[1] and checked.name not in known[2]:
                        known[2].append(checked.name)
        return [
            (name, str(version), ' '.join(projects))
            for _, (name, version, projects) in sorted(best.items())
        ]


def check_projects(
    projects: Sequence[tuple[str, Project]],
    pythons: Sequence[str],
    options: ResolverOptions,
    progress: Progress | None = None,
    jobs: int = 3,
) -> Run:
    """Check every project on each of ``pythons`` it supports."""
    start = time.monotonic()
    with session(options, pythons, progress, jobs) as resolutions:
        targets = sorted(resolutions.targets, key=python_key)
        checked = [
            Checked(name, project, sets, supported(project, targets))
            for name, project in projects
            for sets in [install_sets(project)]
        ]
        every = [s for c in checked for s in c.sets]
        read_pages(resolutions, every)
        read_lowest(resolutions, every, targets)
        # each project's first Python alone, then the others at once, with
        # what the first found tried first (and uv's cache filled)
        hints: dict[int, Hints] = {}

        def one(item: tuple[Checked, str]) -> list[Outcome]:
            done, python = item
            if progress is not None:
                progress(f'{done.name}: Python {python}...')
            return check_python(resolutions, done.sets, python, hints.get(id(done)))

        first = [(c, c.pythons[0]) for c in checked if c.pythons]
        rest = [(c, python) for c in checked for python in c.pythons[1:]]
        with ThreadPoolExecutor(max_workers=max(1, len(targets))) as pool:
            for wave in (first, rest):
                for (done, _), outcomes in zip(wave, pool.map(one, wave), strict=True):
                    done.outcomes += outcomes
                    hints.setdefault(id(done), hints_of(outcomes))
        count, reused = resolutions.count, resolutions.reused
    return Run(checked, count, time.monotonic() - start, reused)


def _rows(checked: Checked) -> list[Row]:
    """One row per entry (or set) and distinct finding, the Pythons that
    share it together; for a false minimum, per Python the highest lowest
    workable release over the install sets."""
    per_python: dict[tuple[int, str, str], Outcome] = {}
    for outcome in checked.outcomes:
        place = id(outcome.entry) if outcome.entry is not None else 0
        key = (place, outcome.set_label if outcome.entry is None else '', outcome.python)
        known = per_python.get(key)
        if known is None or (
            outcome.lowest is not None
            and known.lowest is not None
            and outcome.lowest > known.lowest
        ):
            per_python[key] = outcome
    grouped: dict[tuple[object, ...], list[Outcome]] = {}
    for outcome in per_python.values():
        entry = outcome.entry
        what = (id(entry), outcome.kind, str(outcome.lowest or ''), outcome.reason)
        grouped.setdefault(what if entry else (outcome.set_label, *what), []).append(outcome)
    rows: list[Row] = []
    for group in grouped.values():
        first = group[0]
        pythons = ' '.join(sorted((o.python for o in group), key=python_key))
        entry = first.entry
        if entry is None:
            rows.append(
                (
                    checked.name,
                    first.set_label,
                    '',
                    '',
                    UNRESOLVABLE,
                    pythons,
                    '',
                    '',
                    first.reason,
                )
            )
            continue
        rows.append(
            (
                checked.name,
                entry.source.label,
                entry.line.lineno,
                entry.name,
                first.kind,
                pythons,
                str(entry.minimum or ''),
                str(first.lowest or '') if first.kind != NO_RELEASE else '',
                first.reason,
            )
        )
    rows.sort(key=lambda r: (r[0], r[1], r[2] if isinstance(r[2], int) else 0, r[4]))
    return rows
