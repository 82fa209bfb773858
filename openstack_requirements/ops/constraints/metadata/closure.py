"""The projects a resolution will meet, found before it runs.

The resolver is told, before it starts, the dependencies of the
sdist-only releases it may want (it would build them otherwise), so the
run reads ahead. It reads ahead only what this resolution meets: from
the input's requirements, each project's page, then the dependencies of
the release each target Python would most likely take (the newest its
specifier, its Requires-Python and its wheel tags allow), whose
requirements (markers evaluated per target, extras followed) lead to the
next pages. A wheel's dependencies come from its ``.metadata`` file
(PEP 658) or its own METADATA, read by range requests; an sdist's from
its PKG-INFO (:mod:`.sdists`). What was read is kept in the on-disk
store by file hash, so a second run reads only the pages.

The walk is a guess of the resolution, not the resolution: a project the
resolver meets that the walk did not (it backtracked to an older
release) has its page read when the resolver asks for it, and an
sdist-only release the walk did not read is learnt when the resolver
wants to build it. Nothing outside the input's dependency closure (as
the newest releases declare it) is read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from openstack_requirements.cache import bounded
from openstack_requirements.model.versions import marker_environment
from openstack_requirements.ops.constraints.metadata import static
from openstack_requirements.ops.constraints.metadata.pages import DistFile


@dataclass(frozen=True)
class Root:
    """A requirement the walk starts from."""

    name: str
    specifier: str = ''
    extras: tuple[str, ...] = ()
    marker: Marker | None = None


@dataclass(frozen=True)
class Python:
    """A target of the walk: its ``X.Y``, its release and wheel tags."""

    python: str
    release: str
    tags: frozenset[str]


#: The files of one project (its page), and what its metadata says.
PageOf = Callable[[str], list[DistFile]]
MetadataOf = Callable[[DistFile], static.Metadata | None]


@bounded(4096)
def _specifier(text: str) -> SpecifierSet:
    try:
        return SpecifierSet(text)
    except InvalidSpecifier:
        return SpecifierSet()


def choose(
    files: Sequence[DistFile], specifier: str, targets: Sequence[Python]
) -> dict[DistFile, list[Python]]:
    """For each target, the file a resolver would most likely read the
    dependencies of: of the newest release ``specifier`` allows (a final
    one, unless there are only pre-releases), not yanked, that the target
    may install, a wheel for it, else the sdist; with the targets that
    choose each."""
    grouped = dict(static.by_version(files))  # newest first
    allowed = list(_specifier(specifier).filter(grouped))
    chosen: dict[DistFile, list[Python]] = {}
    for target in targets:
        for version in allowed:
            group = [
                f
                for f in grouped[version]
                if static.accepts(f.requires_python, target.release)
                and (f.wheel_tags is None or bool(f.wheel_tags & target.tags))
            ]
            if group:
                wheels = [f for f in group if not f.is_sdist]
                file = (
                    min(wheels, key=lambda f: f.filename)
                    if wheels
                    else min(group, key=static.sdist_order)
                )
                chosen.setdefault(file, []).append(target)
                break
    return chosen


@bounded(8192)
def _requirement(text: str) -> Requirement | None:
    try:
        return Requirement(text)
    except InvalidRequirement:
        return None


def _applies(marker: Marker | None, extras: Iterable[str], targets: Sequence[Python]) -> bool:
    """Whether a requirement with ``marker`` applies on some target, with
    ``extras`` asked for (a marker that cannot be judged here: yes, the
    resolver judges it)."""
    if marker is None:
        return True
    for target in targets:
        for extra in ('', *extras):
            try:
                if marker.evaluate(marker_environment(target.python, extra)):
                    return True
            except Exception:  # noqa: BLE001 - a marker the resolver judges
                return True
    return False


class Walk:
    """The walk from the input's requirements through the pages and the
    metadata of the releases likely chosen (threads, one task a
    project)."""

    def __init__(
        self,
        targets: Sequence[Python],
        page_of: PageOf,
        metadata_of: MetadataOf,
        workers: int = 16,
    ) -> None:
        self.targets = targets
        self.page_of = page_of
        self.metadata_of = metadata_of
        self.workers = workers
        self._lock = threading.Lock()
        self._done = threading.Condition(self._lock)
        self._pending = 0
        #: Project -> the extras walked through.
        self.met: dict[str, set[str]] = {}
        self._specifiers: dict[str, str] = {}
        self._failure: BaseException | None = None
        self._pool: ThreadPoolExecutor | None = None

    def run(self, roots: Iterable[Root]) -> set[str]:
        """Walk from ``roots``; the projects met."""
        with ThreadPoolExecutor(self.workers) as pool:
            self._pool = pool
            for root in roots:
                if _applies(root.marker, (), self.targets):
                    self._meet(root.name, root.specifier, root.extras)
            with self._done:
                while self._pending and self._failure is None:
                    self._done.wait()
            failure = self._failure
            if failure is not None:
                pool.shutdown(wait=True, cancel_futures=True)
                raise failure
        return set(self.met)

    def _meet(self, name: str, specifier: str, extras: Iterable[str]) -> None:
        key = canonicalize_name(name)
        extras = {canonicalize_name(e) for e in extras}
        with self._lock:
            if self._failure is not None:
                return
            seen = self.met.get(key)
            if seen is not None and extras <= seen:
                return
            new = extras - seen if seen is not None else extras
            self.met.setdefault(key, set()).update(extras)
            self._specifiers.setdefault(key, specifier)
            specifier = self._specifiers[key]
            self._pending += 1
        assert self._pool is not None
        future: Future[None] = self._pool.submit(self._visit, key, specifier, new)
        future.add_done_callback(self._finished)

    def _finished(self, future: Future[None]) -> None:
        with self._done:
            self._pending -= 1
            if not future.cancelled() and future.exception() is not None:
                self._failure = self._failure or future.exception()
            self._done.notify_all()

    def _visit(self, key: str, specifier: str, extras: set[str]) -> None:
        files = self.page_of(key)
        chosen = choose(files, specifier, self.targets)
        for file, targets in sorted(chosen.items(), key=lambda c: c[0].url):
            metadata = self.metadata_of(file)
            if metadata is None:
                continue
            for text in metadata.requires_dist:
                requirement = _requirement(text)
                if requirement is None:
                    continue
                if _applies(requirement.marker, extras, targets):
                    self._meet(requirement.name, str(requirement.specifier), requirement.extras)


def roots_of(requirements: Iterable[tuple[str, str, tuple[str, ...], str]]) -> list[Root]:
    """Roots from ``(name, specifier, extras, marker)`` of the input."""
    found = []
    for name, specifier, extras, marker in requirements:
        try:
            parsed = Marker(marker) if marker else None
        except Exception:  # noqa: BLE001 - the resolver says what is wrong
            parsed = None
        found.append(Root(name, specifier, extras, parsed))
    return found
