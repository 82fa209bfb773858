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

from openstack_requirements.ops.minimums import releases as rel
from openstack_requirements.ops.minimums.resolutions import Resolutions, Resolved
from openstack_requirements.ops.minimums.search import Problem, explain_failure, search
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


def read_pages(resolutions: Resolutions, sets: Sequence[InstallSet], jobs: int = 8) -> None:
    """Read the index page of every package the sets name, in parallel."""
    names = sorted({e.name for s in sets for e in s.entries})
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for _ in pool.map(lambda n: resolutions.index.files(n), names):
            pass


def check_python(
    resolutions: Resolutions, sets: Sequence[InstallSet], python: str
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
    if first.ok and not _problems(resolutions, whole, first, python):
        return outcomes
    by_set = [(s, active(s)) for s in sets]
    with ThreadPoolExecutor(max_workers=max(1, len(by_set))) as pool:
        results = list(
            pool.map(lambda item: resolutions.resolve(python, [e.text() for e in item[1]]), by_set)
        )
    problems: list[tuple[InstallSet, list[Entry], Problem]] = []
    for (install_set, entries), result in zip(by_set, results, strict=True):
        if not result.ok:
            outcomes.append(
                Outcome(
                    UNRESOLVABLE,
                    python,
                    install_set.label,
                    reason=explain_failure(result.explanation),
                )
            )
            continue
        problems += [
            (install_set, entries, p) for p in _problems(resolutions, entries, result, python)
        ]
    with ThreadPoolExecutor(max_workers=max(1, min(4, len(problems)))) as pool:
        answers = list(
            pool.map(lambda item: search(resolutions, python, item[1], item[2]), problems)
        )
    for (install_set, _, problem), answer in zip(problems, answers, strict=True):
        if answer is None:
            continue
        lowest, reason = answer
        outcomes += [
            Outcome(FALSE, python, install_set.label, entry, lowest, reason)
            for entry in problem.binding
        ]
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
