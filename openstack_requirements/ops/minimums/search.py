"""The lowest release of a package that installs with the rest of an
install set, and what keeps its declared minimum out.

The search runs over the index's releases of the package between its
declared minimum (the lowest release its requirement allows) and the
release the lowest-direct resolution chose (which installs). Each step
resolves the set with the package pinned (``pkg==v``) and every other
direct requirement again at its lowest. It assumes that what installs at
a release installs at every later one up to the chosen release (the usual
case: requirements of a package grow over its releases); under it, a
bisection finds the lowest release that installs, and the release below
it has been seen to fail. The declared minimum itself is resolved first:
when it installs after all (uv's own choice was not the lowest), the
minimum is true.

The reason names the requirement that excludes the declared minimum: the
release's own ``Requires-Python`` or yanking, else a package of the
working resolution whose metadata requires a version the minimum is not
(``oslo.utils 8.0.0 requires netaddr>=0.10.0``), looked for first among
the packages uv's explanation of the failing resolution names, else uv's
explanation in one line.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from openstack_requirements.model.versions import marker_environment
from openstack_requirements.ops.constraints import Pin
from openstack_requirements.ops.minimums import releases as rel
from openstack_requirements.ops.minimums.resolutions import Resolutions, Resolved
from openstack_requirements.ops.minimums.sets import Entry

#: A clause of uv's explanation: ``PARENT[spec] depends on CHILD[spec]``.
_DEPENDS = re.compile(
    r'([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?(?:[<>=!~][^\s]*)?\s+depends?\s+on\s+'
    r'([A-Za-z0-9][A-Za-z0-9._-]*)'
)
#: Longest reason kept from uv's explanation.
_LONGEST = 300


@dataclasses.dataclass(frozen=True)
class Problem:
    """A package whose lowest-direct resolution is above its minimum."""

    key: str
    #: Its active entries in the set, and those whose minimum is the
    #: set's effective one.
    entries: tuple[Entry, ...]
    binding: tuple[Entry, ...]
    #: All its entries' specifiers together.
    specifier: SpecifierSet
    #: The lowest release they allow: the declared minimum.
    floor: rel.Release
    #: What the resolution chose.
    chosen: Pin


def pinned(entries: Sequence[Entry], problem: Problem, version: Version) -> list[str]:
    """The lines of ``entries`` with ``problem``'s package pinned."""
    return pinned_all(entries, [(problem, version)])


def pinned_all(entries: Sequence[Entry], pins: Sequence[tuple[Problem, Version]]) -> list[str]:
    """The lines of ``entries`` with each problem's package pinned."""
    keys = {problem.key for problem, _ in pins}
    lines = [e.text() for e in entries if e.key not in keys]
    for problem, version in pins:
        first = problem.entries[0].line.requirement
        assert first is not None
        extras = sorted(
            {x for e in problem.entries if e.line.requirement for x in e.line.requirement.extras}
        )
        requirement = first.replace(
            specifier=SpecifierSet(f'=={version}'),
            marker_text='',
            options=(),
            extras=tuple(extras),
        )
        lines.append(requirement.render(';'))
    return lines


@dataclasses.dataclass(frozen=True)
class Found:
    """The lowest release that installs, and the release below it seen to
    fail (its resolution; None when it has no file for the Python)."""

    lowest: Version
    failing: Version
    failure: Resolved | None
    working: Resolved


def candidates_for(
    resolutions: Resolutions, python: str, problem: Problem, start: Version, top: Version
) -> list[Version]:
    """The releases a search tries: above ``start`` up to ``top`` (which
    is always one), allowed, installable on ``python``, not refused."""
    name = problem.entries[0].name
    found = rel.allowed(rel.releases(resolutions.index, name), problem.specifier)
    refused = resolutions.resolver.refused
    candidates = [
        r.version
        for r in found
        if start < r.version <= top and r.usable(python) and not refused(name, str(r.version))
    ]
    if top not in candidates:
        candidates.append(top)
    return candidates


def search(
    resolutions: Resolutions,
    python: str,
    entries: Sequence[Entry],
    problem: Problem,
    above: Version | None = None,
) -> Found | None:
    """The lowest release of ``problem``'s package that installs with the
    rest of ``entries``; None when the declared minimum installs after
    all (with ``above``: when ``above`` installs, the search is then over
    the releases above it)."""
    start = above or problem.floor.version
    top = Version(problem.chosen.version)
    candidates = candidates_for(resolutions, python, problem, start, top)

    def attempt(version: Version) -> Resolved:
        return resolutions.resolve(python, pinned(entries, problem, version))

    # the highest release seen to fail, and how
    failing: tuple[Version, Resolved | None] = (start, None)
    # a yanked minimum installs when pinned (PEP 592): it is tried too
    if above is not None or problem.floor.usable(python, yanked=True):
        failure = attempt(start)
        if failure.ok:
            return None
        failing = (start, failure)
        # what uv says requires more of it: tried first (two resolutions)
        guess = guess_from(failure.explanation, problem.key, candidates)
        if guess is not None:
            at = candidates.index(guess)
            quick = _adjacent(attempt, candidates[at - 1] if at else start, guess)
            if quick is not None:
                return quick
    low, high_index = -1, len(candidates) - 1
    while high_index - low > 1:
        middle = (low + high_index) // 2
        result = attempt(candidates[middle])
        if result.ok:
            high_index = middle
        else:
            low = middle
            failing = (candidates[middle], result)
    lowest = candidates[high_index]
    return Found(lowest, failing[0], failing[1], attempt(lowest))


def _adjacent(
    attempt: Callable[[Version], Resolved], below: Version, lowest: Version
) -> Found | None:
    """``lowest`` as the answer, if ``below`` (the release before it)
    fails and it installs."""
    failure = attempt(below)
    if failure.ok:
        return None
    working = attempt(lowest)
    if not working.ok:
        return None
    return Found(lowest, below, failure, working)


#: ``depends on NAME SPEC`` in uv's explanation.
_WANTED = re.compile(
    r'depends?\s+on\s+([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?'
    r'((?:[<>=!~]=?[^\s,]+)(?:,\s*[<>=!~]=?[^\s,]+)*)'
)


def guess_from(explanation: str, key: str, candidates: Sequence[Version]) -> Version | None:
    """The lowest of ``candidates`` that every ``depends on KEY SPEC`` of
    uv's explanation allows (None: none said, or none allowed)."""
    wanted = SpecifierSet()
    said = False
    for match in _WANTED.finditer(explanation):
        if canonicalize_name(match.group(1)) != key:
            continue
        try:
            wanted &= SpecifierSet(match.group(2).rstrip('.,'))
        except InvalidSpecifier:
            continue
        said = True
    if not said:
        return None
    return next((v for v in candidates if wanted.contains(v, prereleases=True)), None)


def confirm(
    resolutions: Resolutions,
    python: str,
    whole: Sequence[Entry],
    entries: Sequence[Entry],
    problem: Problem,
    hint: tuple[Version, Version],
    working: Resolved | None = None,
) -> Found | None:
    """Another Python's answer (the release below, the lowest) confirmed
    here: the one below fails in the set ``entries`` and the lowest
    installs with all of ``whole`` (``working``: a resolution that shows
    it, if one was made; None: it does not hold)."""
    below, lowest = hint
    top = max(Version(problem.chosen.version), lowest)
    candidates = candidates_for(resolutions, python, problem, problem.floor.version, top)
    if lowest not in candidates:
        return None
    at = candidates.index(lowest)
    if (candidates[at - 1] if at else problem.floor.version) != below:
        return None
    failure: Resolved | None = None
    if below in candidates or problem.floor.usable(python, yanked=True):
        failure = resolutions.resolve(python, pinned(entries, problem, below))
        if failure.ok:
            return None
    if working is None or not working.ok:
        working = resolutions.resolve(python, pinned(whole, problem, lowest))
    if not working.ok:
        return None
    return Found(lowest, below, failure, working)


def reason(
    resolutions: Resolutions,
    python: str,
    problem: Problem,
    found: Found,
    entries: Sequence[Entry] = (),
) -> str:
    """One line naming what keeps out the release below the lowest that
    installs (``found.failing``), from the resolution at the lowest;
    ``entries``: the install set's, to name a line of the project."""
    version, failure, working = found.failing, found.failure, found.working
    name = problem.entries[0].name
    if failure is None:  # never resolved: no file of it installs here
        same = [r for r in rel.releases(resolutions.index, name) if r.version == version]
        refusal = same[0].refusal(python) if same else ''
        return f'{name} {version} {refusal or "does not install on Python " + python}'
    refused = resolutions.resolver.refused(name, str(version))
    if refused:
        return f'{name} {version} is refused: {refused}'
    explanation = failure.explanation
    own = re.search(
        r'\b([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) requires Python ([^\s,]+)', explanation
    )
    if own is not None and canonicalize_name(own.group(1)) == problem.key:
        return f'{name} {own.group(2)} requires Python {own.group(3)}'
    pins = dict(working.pins or {})
    pins.pop(problem.key, None)
    named = [k for k in parents(explanation, problem.key) if k in pins]
    for group in (named, [k for k in pins if k not in named]):
        found_text = _excluding(resolutions, python, problem, version, [pins[k] for k in group])
        if found_text:
            return found_text
    own_text = _own_requirements(resolutions, python, problem, version, pins, entries)
    if own_text:
        return own_text
    return explain_failure(explanation) or f'{name} {version} does not resolve with the rest'


def _own_requirements(
    resolutions: Resolutions,
    python: str,
    problem: Problem,
    version: Version,
    pins: Mapping[str, Pin],
    entries: Sequence[Entry],
) -> str:
    """``NAME VERSION requires DEP SPEC, which ...``: a requirement of the
    failing release itself that the rest cannot meet (a line of the
    project that excludes every release it allows, else the release of
    DEP the working resolution has)."""
    name = problem.entries[0].name
    found = resolutions.metadata(name, str(version), python)
    if found is None:
        return ''
    environment = marker_environment(python)
    for requirement in _requirements(found.requires_dist, environment):
        key = canonicalize_name(requirement.name)
        wanted = f'{found.name} {found.version} requires {requirement.name}{requirement.specifier}'
        lines = [e for e in entries if e.key == key]
        if lines:
            together = requirement.specifier
            for entry in lines:
                together &= entry.specifier
            releases = rel.releases(resolutions.index, requirement.name)
            if not any(together.contains(r.version) for r in releases):
                entry = lines[0]
                where = f'{entry.source.label}:{entry.line.lineno}'
                return f'{wanted}, which {entry.name}{entry.specifier} ({where}) excludes'
        pin = pins.get(key)
        if pin is not None and not requirement.specifier.contains(pin.version, prereleases=True):
            return f'{wanted}; the rest has {pin.name} {pin.version}'
    return ''


def _requirements(texts: Iterable[str], environment: Mapping[str, str]) -> list[Requirement]:
    """The requirements of ``texts`` whose marker holds (no extra)."""
    found = []
    for text in texts:
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue
        marker = requirement.marker
        try:
            if marker is not None and not marker.evaluate(dict(environment)):
                continue
        except Exception:  # an odd marker: pass it over
            continue
        found.append(requirement)
    return found


def parents(explanation: str, key: str) -> list[str]:
    """The packages uv's explanation says depend on ``key``."""
    found = []
    for match in _DEPENDS.finditer(explanation):
        if canonicalize_name(match.group(2)) == key:
            found.append(canonicalize_name(match.group(1)))
    return list(dict.fromkeys(found))


def _excluding(
    resolutions: Resolutions,
    python: str,
    problem: Problem,
    version: Version,
    pins: Iterable[Pin],
) -> str:
    """``PARENT VERSION requires NAME SPEC`` for the first of ``pins``
    whose metadata requires a version ``version`` is not."""
    candidates = list(pins)
    if not candidates:
        return ''
    environment = marker_environment(python)
    with ThreadPoolExecutor(max_workers=min(8, len(candidates))) as pool:
        metadata = list(
            pool.map(lambda p: resolutions.metadata(p.name, p.version, python), candidates)
        )
    for found in metadata:
        if found is None:
            continue
        for requirement in _requirements(found.requires_dist, environment):
            if canonicalize_name(requirement.name) != problem.key:
                continue
            if not requirement.specifier.contains(version, prereleases=True):
                wanted = f'{requirement.name}{requirement.specifier}'
                return f'{found.name} {found.version} requires {wanted}'
    return ''


def explain_failure(explanation: str) -> str:
    """uv's explanation of a failure, in one line."""
    lines = [line.strip() for line in explanation.splitlines() if line.strip()]
    lines = [
        re.sub(r'^(?:cause:|error:|[×╰─▶\s])+', '', line).strip()
        for line in lines
        if 'will be used to build dependencies' not in line
    ]
    lines = [line for line in lines if line]
    chosen = next((line for line in lines if 'Because' in line or 'because' in line), None)
    text = ' '.join(lines if chosen is None else lines[lines.index(chosen) :])
    text = re.sub(r'\s+', ' ', text)
    return text if len(text) <= _LONGEST else text[: _LONGEST - 3] + '...'
