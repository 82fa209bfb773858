"""Which minimums of a project cannot be installed, on one Python.

Cheap first: the union of all install sets is resolved preferring the
lowest version each direct requirement allows (uv's ``lowest-direct``). A
solution of the union is one of every set (restricted to the set's own
closure), so when every direct requirement lands on its declared minimum,
every set passes: one resolution. Otherwise each set is resolved on its
own, and for each requirement that did not land on its minimum the lowest
release that installs with the rest is searched (:mod:`.search`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from openstack_requirements.ops.constraints.metadata import static
from openstack_requirements.ops.constraints.metadata.pages import DistFile
from openstack_requirements.ops.minimums import releases as rel
from openstack_requirements.ops.minimums.resolutions import Resolutions, Resolved
from openstack_requirements.ops.minimums.search import (
    Found,
    Problem,
    confirm,
    explain_failure,
    pinned,
    pinned_all,
    reason,
    search,
)
from openstack_requirements.ops.minimums.sets import Entry, InstallSet, union

#: The kinds of finding.
FALSE = 'false-minimum'
NO_RELEASE = 'no-release'
UNRESOLVABLE = 'unresolvable'


@dataclasses.dataclass(frozen=True)
class Outcome:
    """One finding on one Python: an entry's minimum (``entry``), or an
    install set that does not resolve at all (``entry`` None)."""

    kind: str
    python: str
    set_label: str
    entry: Entry | None = None
    #: The lowest release that installs with the rest (FALSE).
    lowest: Version | None = None
    reason: str = ''
    #: The release below it, seen to fail (FALSE).
    below: Version | None = None


#: Per package, the release seen to fail, the lowest that installs and
#: the install set that failed, on a Python checked before: tried first on
#: the others.
Hints = dict[str, tuple[Version, Version, str]]


def hints_of(outcomes: Sequence[Outcome]) -> Hints:
    return {
        o.entry.key: (o.below, o.lowest, o.set_label)
        for o in outcomes
        if o.kind == FALSE and o.entry is not None and o.below is not None and o.lowest
    }


def read_pages(resolutions: Resolutions, sets: Sequence[InstallSet], jobs: int = 8) -> None:
    """Read the index page of every package the sets name, in parallel."""
    names = sorted({e.name for s in sets for e in s.entries})
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for _ in pool.map(lambda n: resolutions.index.files(n), names):
            pass


def read_lowest(
    resolutions: Resolutions, sets: Sequence[InstallSet], pythons: Sequence[str]
) -> int:
    """Before the first resolution: read the metadata of each minimum's
    lowest allowed release on each Python when it offers only an sdist
    there (old releases have no wheel for new Pythons), where a
    lowest-direct resolution starts; uv is told their dependencies rather
    than asking for each in turn. How many were read."""
    index = resolutions.index
    wanted: list[DistFile] = []
    seen: set[tuple[str, str]] = set()
    for entry in (e for s in sets for e in s.entries if e.minimum is not None):
        if (entry.key, str(entry.specifier)) in seen:
            continue
        seen.add((entry.key, str(entry.specifier)))
        found = rel.allowed(rel.releases(index, entry.name), entry.specifier)
        for python in pythons:
            lowest = next((r for r in found if r.usable(python)), None)
            usable = lowest.usable(python) if lowest is not None else ()
            if usable and all(f.is_sdist for f in usable):
                wanted.append(min(usable, key=static.sdist_order))
    return resolutions.resolver.read_sdists(wanted)


def check_python(
    resolutions: Resolutions,
    sets: Sequence[InstallSet],
    python: str,
    hints: Hints | None = None,
) -> list[Outcome]:
    """The findings of ``sets`` (a project's) on ``python``."""
    index = resolutions.index
    everything = union(sets)
    outcomes: list[Outcome] = []
    unsatisfiable: set[int] = set()
    for entry in everything.entries:
        if entry.minimum is None or not entry.active(python):
            continue
        found = rel.allowed(rel.releases(index, entry.name), entry.specifier)
        if not any(r.usable(python) for r in found):
            reason = _no_release(entry, found, python)
            outcomes.append(Outcome(NO_RELEASE, python, '', entry, None, reason))
            unsatisfiable.add(id(entry))

    def active(install_set: InstallSet) -> list[Entry]:
        return [e for e in install_set.entries if id(e) not in unsatisfiable and e.active(python)]

    whole = active(everything)
    first = resolutions.resolve(python, [e.text() for e in whole])
    by_set = [(s, active(s)) for s in sets]
    if first.ok:
        problems = _problems(resolutions, whole, first, python)
        uniform = [p for p in problems if len(p.binding) == len(_minimums(p.entries))]
        outcomes += _through_union(resolutions, python, whole, by_set, uniform, hints or {})
        # a package whose entries differ in minimum: the lower ones are
        # not tried by the union; each set is resolved on its own for them
        keys = {p.key for p in problems if p not in uniform} | _mixed(whole, python, resolutions)
        if not keys:
            return outcomes
        by_set = [(s, e) for s, e in by_set if any(x.key in keys for x in e)]
    else:
        keys = None
    outcomes += _per_set(resolutions, python, by_set, keys)
    return outcomes


def _minimums(entries: Sequence[Entry]) -> list[Entry]:
    return [e for e in entries if e.minimum is not None]


def _mixed(entries: Sequence[Entry], python: str, resolutions: Resolutions) -> set[str]:
    """The packages whose entries allow different lowest releases."""
    floors: dict[str, set[object]] = {}
    for entry in _minimums(entries):
        allowed = rel.allowed(rel.releases(resolutions.index, entry.name), entry.specifier)
        floors.setdefault(entry.key, set()).add(allowed[0].version if allowed else None)
    return {key for key, found in floors.items() if len(found) > 1}


def _through_union(
    resolutions: Resolutions,
    python: str,
    whole: Sequence[Entry],
    by_set: Sequence[tuple[InstallSet, list[Entry]]],
    problems: Sequence[Problem],
    hints: Hints,
) -> list[Outcome]:
    """The union resolved: each package off its minimum searched in the
    union; its lowest there is the highest over the sets (the union only
    narrows, so it installs in each) as soon as one set holding it fails
    at the release below."""

    # every answer another Python gave, at once: when they install
    # together, each installs with the rest (one resolution for all)
    hinted = [(p, hints[p.key][1]) for p in problems if p.key in hints]
    together = resolutions.resolve(python, pinned_all(whole, hinted)) if hinted else None

    def one(problem: Problem) -> list[Outcome]:
        holding = [
            (s, entries) for s, entries in by_set if any(e in entries for e in problem.binding)
        ]
        holding.sort(key=lambda item: -len(item[1]))
        hint = hints.get(problem.key)
        failed = next((item for item in holding if hint and item[0].label == hint[2]), None)
        if hint is not None and failed is not None:
            quick = confirm(resolutions, python, whole, failed[1], problem, hint[:2], together)
            if quick is not None:
                why = reason(resolutions, python, problem, quick, failed[1])
                return _false(python, failed[0].label, problem, why, quick)
        found = search(resolutions, python, whole, problem)
        if found is None:
            return []
        if found.failure is None:  # the release below installs nowhere
            label = holding[0][0].label if holding else ''
            return _false(
                python, label, problem, reason(resolutions, python, problem, found, whole), found
            )
        for install_set, entries in holding:
            failure = resolutions.resolve(python, pinned(entries, problem, found.failing))
            if not failure.ok:
                alone = dataclasses.replace(found, failure=failure)
                why = reason(resolutions, python, problem, alone, entries)
                return _false(python, install_set.label, problem, why, alone)
        # no set fails at it: the union's lowest comes of sets together
        return _per_set(resolutions, python, holding, {problem.key})

    with ThreadPoolExecutor(max_workers=max(1, min(4, len(problems)))) as pool:
        return [o for found in pool.map(one, problems) for o in found]


def _false(python: str, label: str, problem: Problem, why: str, found: Found) -> list[Outcome]:
    return [
        Outcome(FALSE, python, label, e, found.lowest, why, found.failing) for e in problem.binding
    ]


def _per_set(
    resolutions: Resolutions,
    python: str,
    by_set: Sequence[tuple[InstallSet, list[Entry]]],
    keys: set[str] | None,
) -> list[Outcome]:
    """Each set resolved on its own (for ``keys`` only, if given); each
    package searched in the set with the most entries first, then in each
    other only above the lowest found so far."""
    outcomes: list[Outcome] = []
    with ThreadPoolExecutor(max_workers=max(1, min(4, len(by_set)))) as pool:
        results = list(
            pool.map(lambda item: resolutions.resolve(python, [e.text() for e in item[1]]), by_set)
        )
    per_key: dict[str, list[tuple[InstallSet, list[Entry], Problem]]] = {}
    for (install_set, entries), result in zip(by_set, results, strict=True):
        if not result.ok:
            if keys is None:
                why = explain_failure(result.explanation)
                outcomes.append(Outcome(UNRESOLVABLE, python, install_set.label, reason=why))
            continue
        for problem in _problems(resolutions, entries, result, python):
            if keys is None or problem.key in keys:
                per_key.setdefault(problem.key, []).append((install_set, entries, problem))

    def one(items: list[tuple[InstallSet, list[Entry], Problem]]) -> list[Outcome]:
        done: list[Outcome] = []
        highest: Version | None = None
        items.sort(key=lambda item: -len(item[1]))
        for install_set, entries, problem in items:
            above = (
                highest
                if highest is not None and highest < Version(problem.chosen.version)
                else None
            )
            if highest is not None and above is None:
                continue
            found = search(resolutions, python, entries, problem, above=above)
            if found is None:
                continue
            why = reason(resolutions, python, problem, found, entries)
            done += _false(python, install_set.label, problem, why, found)
            highest = found.lowest
        return done

    with ThreadPoolExecutor(max_workers=max(1, min(4, len(per_key)))) as pool:
        outcomes += [o for found in pool.map(one, per_key.values()) for o in found]
    return outcomes


def _problems(
    resolutions: Resolutions, entries: Sequence[Entry], result: Resolved, python: str
) -> list[Problem]:
    """The packages of ``entries`` that did not land on their minimum."""
    assert result.pins is not None
    grouped: dict[str, list[Entry]] = {}
    for entry in entries:
        grouped.setdefault(entry.key, []).append(entry)
    found = []
    for key, group in grouped.items():
        if all(e.minimum is None for e in group):
            continue
        pin = result.pins.get(key)
        if pin is None:
            continue
        specifier = SpecifierSet()
        for entry in group:
            specifier &= entry.specifier
        allowed = rel.allowed(rel.releases(resolutions.index, group[0].name), specifier)
        if not allowed:
            continue
        floor = allowed[0]
        if Version(pin.version) <= floor.version:
            continue
        binding = [
            e
            for e in group
            if e.minimum is not None
            and (own := rel.allowed(rel.releases(resolutions.index, e.name), e.specifier))
            and own[0].version == floor.version
        ]
        if binding:
            found.append(Problem(key, tuple(group), tuple(binding), specifier, floor, pin))
    return found


def _no_release(entry: Entry, found: Sequence[rel.Release], python: str) -> str:
    if not found:
        return f'no release of {entry.name} on the index satisfies {entry.specifier}'
    refusals = dict.fromkeys(r.refusal(python) for r in found)
    return (
        f'no release of {entry.name} satisfying {entry.specifier} installs on '
        f'Python {python}: each ' + '; or '.join(refusals)
    )
