"""What one run learns of sdist-only releases, and tells the resolver.

Before the resolver runs, the index pages of the packages likely needed
are read and the newest sdist-only releases read ahead
(:meth:`Sdists.read_ahead`); when the resolver still wants to build one,
it and the older releases it may backtrack to are read
(:meth:`Sdists.learn`). Each resolution is then told, for its Python:

* the metadata of the releases that have an sdist and no wheel for it,
  read from *this run's* sources (:meth:`Sdists.metadata_for`: never an
  entry another index served, never over a wheel);
* the releases refused (:meth:`Sdists.constraints`): served over a limit,
  malformed, naming another project, or linked from a remote page to a
  local file. The resolver is kept from them (``name!=version``), so it
  never downloads or unpacks what could not be read; stderr names each.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from openstack_requirements.model.versions import parse_version
from openstack_requirements.ops.constraints.metadata import closure, static
from openstack_requirements.ops.constraints.metadata.bounds import (
    MetadataError,
    Refused,
    TimedOut,
)
from openstack_requirements.ops.constraints.metadata.index import Index
from openstack_requirements.ops.constraints.metadata.pages import DistFile
from openstack_requirements.ops.constraints.metadata.ranges import Spent
from openstack_requirements.ops.constraints.metadata.store import Store
from openstack_requirements.ops.constraints.resolvers.base import Progress, Target

#: How many releases of a package to read the metadata of when the
#: resolver asks for one: it and the next older ones it may backtrack to.
PREFETCH = 8
#: How many of a package's newest sdist-only releases to read ahead, and
#: how many when they are big (see :data:`static.BIG_SDIST`).
AHEAD = 3
AHEAD_BIG = 12
#: Bytes of an sdist read ahead at most (its PKG-INFO is most often in
#: the first few kilobytes of the archive).
BUDGET = 1 << 20

Release = tuple[str, str]  # (canonical name, normalized version)


_Error = TypeVar('_Error', bound=MetadataError)


def _kept(err: _Error) -> _Error:
    """An error to keep for later, without the frames it was raised
    through (they hold what was being read: pages, files)."""
    err.__context__ = None
    return err.with_traceback(None)


def release(name: str, version: str) -> Release:
    parsed = parse_version(version)
    return canonicalize_name(name), str(parsed) if parsed else version


class Sdists:
    """The sdist-only releases of one run: read, refused, offered."""

    def __init__(self, index: Index, store: Store, progress: Progress | None = None) -> None:
        self.index, self.store, self.progress = index, store, progress
        self.deadline = index.deadline
        self.lock = threading.Lock()
        self._learning: dict[str, threading.Lock] = {}
        #: Releases refused: -> (URL, reason).
        self._refused: dict[Release, tuple[str, str]] = {}
        #: Releases the resolver wanted to build.
        self.wanted: set[Release] = set()
        #: Per Python, the releases whose metadata it was given.
        self.offered: dict[str, set[Release]] = {}
        self._sdist_only: dict[tuple[str, str], list[tuple[Version, DistFile]]] = {}
        self.learnt = 0
        #: Reads of sdist metadata started ahead (by URL).
        self._reads: dict[str, Future[MetadataError | None]] = {}
        self.read_ahead_count = 0
        #: The first timeout met by a read (said when the run stops).
        self.timed_out: TimedOut | None = None

    @property
    def origins(self) -> list[str]:
        return [o for o in (self.index.index_url, *self.index.find_links) if o]

    # -- refusing -----------------------------------------------------------------

    def refuse(self, file: DistFile, err: MetadataError) -> None:
        self.store.refuse(file, err.reason)
        with self.lock:
            self._refused.setdefault(
                release(file.project, file.version), (file.bare_url, err.reason)
            )

    def recall(self, refused: Iterable[Sequence[str]]) -> None:
        """Releases a recorded resolution was kept from: ``(name,
        version, url, reason)``, said again in the run's report."""
        with self.lock:
            for name, version, url, reason in refused:
                self._refused.setdefault(release(name, version), (url, reason))

    def _known_refused(self, file: DistFile) -> bool:
        """Whether ``file`` is refused: this run, or by an earlier one
        (the same file, by its hash)."""
        which = release(file.project, file.version)
        if which in self.refused():
            return True
        reason = self.store.refusal(file)
        if reason is None:
            return False
        with self.lock:
            self._refused.setdefault(which, (file.bare_url, reason))
        return True

    def refused(self) -> dict[Release, tuple[str, str]]:
        """Every release refused so far, with where and why."""
        with self.lock:
            found = dict(self._refused)
        for (name, version), reason in self.index.refused.items():
            found.setdefault(release(name, version), ('', reason))
        return found

    def constraints(self) -> str:
        """A constraints file keeping the resolver from the refused
        releases."""
        return ''.join(f'{name}!={version}\n' for name, version in sorted(self.refused()))

    # -- reading --------------------------------------------------------------------

    def _time_out(self, err: TimedOut) -> None:
        """Keep the first timeout a read met (said when the run stops)."""
        with self.lock:
            self.timed_out = self.timed_out or _kept(err)

    def _read(self, file: DistFile, budget: int | None) -> MetadataError | None:
        """Read ``file``'s metadata into the store; the error, if any (a
        refused file is refused)."""
        try:
            self.store.put(file, self.index.metadata(file, budget))
            return None
        except Refused as err:
            self.refuse(file, err)
            return _kept(err)
        except TimedOut as err:
            self._time_out(err)
            return err
        except Spent as err:
            if budget is not None:
                self.store.spend(file)  # not read ahead again
            return _kept(err)
        except MetadataError as err:
            return _kept(err)

    def read_ahead(self, roots: Sequence[closure.Root], targets: Sequence[Target]) -> set[str]:
        """Before the resolver runs: walk from ``roots`` (the input's
        requirements) through the pages and dependencies the resolution
        will most likely meet (:mod:`.closure`), reading the metadata of
        each page's newest sdist-only releases for some target as its
        page comes in. A page of a root that is refused stops the run
        (the resolver would read it too). The projects met."""
        if not roots:
            return set()
        required = {canonicalize_name(r.name) for r in roots}
        walked = [
            closure.Python(t.python, t.release or f'{t.python}.0', static.target_tags(t.python))
            for t in targets
        ]
        tags = [(w.tags, w.release) for w in walked]
        start = time.monotonic()
        stops: list[MetadataError] = []
        readers = ThreadPoolExecutor(16)

        def page(name: str) -> list[DistFile]:
            try:
                found = self.index.files(name)
            except TimedOut as err:
                self._time_out(err)
                return []
            except Refused as err:
                if name in required:
                    with self.lock:
                        stops.append(_kept(err))
                return []
            except MetadataError:
                return []
            for file in static.read_ahead_candidates(found, tags, AHEAD, AHEAD_BIG):
                self._reading(file, readers)
            return found

        def metadata(file: DistFile) -> static.Metadata | None:
            if file.is_sdist:
                self._reading(file, readers).result()
                return self.store.get(file)
            return self._wheel_metadata(file)

        walk = closure.Walk(walked, page, metadata)
        try:
            met = walk.run(roots)
        except BaseException:
            self.deadline.cancel()
            raise
        finally:
            readers.shutdown(wait=True)
        if self.timed_out is not None:
            raise self.timed_out
        if stops:
            raise sorted(stops, key=str)[0]
        if self.progress is not None:
            self.progress(
                f'read ahead: {len(met)} projects met, {self.index.pages_read} index pages '
                f'and the metadata of {self.read_ahead_count} sdists read in '
                f'{time.monotonic() - start:.1f} s'
            )
        return met

    def _reading(self, file: DistFile, pool: ThreadPoolExecutor) -> Future[MetadataError | None]:
        """The read of ``file``'s metadata into the store, started once."""
        with self.lock:
            found = self._reads.get(file.url)
        if found is not None:
            return found
        done = (
            self.store.get(file) is not None or self.store.spent(file) or self._known_refused(file)
        )
        with self.lock:
            found = self._reads.get(file.url)
            if found is None:
                if done:
                    found = Future()
                    found.set_result(None)
                else:
                    found = pool.submit(self._read, file, BUDGET)
                    self.read_ahead_count += 1
                self._reads[file.url] = found
            return found

    def _wheel_metadata(self, file: DistFile) -> static.Metadata | None:
        """A wheel's dependencies (its ``.metadata`` file, else its own
        METADATA), kept in the store; None if they cannot be read."""
        known = self.store.get(file)
        if known is not None:
            return known
        try:
            found = (
                self.index.metadata_file(file)
                if file.core_metadata
                else self.index.wheel_metadata(file.url)
            )
            if found is None:
                return None
            found = static.checked(found, file.project, file.version)
        except TimedOut as err:
            self._time_out(err)
            return None
        except MetadataError:
            return None
        self.store.put(file, found)
        return found

    def read(self, files: Iterable[DistFile]) -> int:
        """Read the metadata of the sdists ``files`` not yet known, at
        once (a resolution that would want to build them is told their
        dependencies instead); how many were read. One that cannot be
        read is left to :meth:`learn`."""
        errors = self._read_all(f for f in files if f.is_sdist)
        if self.timed_out is not None:
            raise self.timed_out
        return sum(1 for e in errors.values() if e is None)

    def _read_all(self, files: Iterable[DistFile]) -> dict[str, MetadataError | None]:
        """Read the metadata of ``files`` not yet known (nor refused), at
        once, whole; by URL, the error of each read (None: read)."""
        todo = {
            f.url: f for f in files if self.store.get(f) is None and not self._known_refused(f)
        }
        if not todo:
            return {}
        with ThreadPoolExecutor(min(8, len(todo))) as pool:
            found = pool.map(lambda f: self._read(f, None), todo.values())
            return dict(zip(todo, found, strict=True))

    def metadata_of(self, file: DistFile) -> static.Metadata | None:
        """A file's metadata, kept in the store (read once per cache): a
        wheel's own, an sdist's as it is read for the resolver (None: it
        cannot be read)."""
        if not file.is_sdist:
            return self._wheel_metadata(file)
        known = self.store.get(file)
        if known is None and not self._known_refused(file) and self._read(file, None) is None:
            known = self.store.get(file)
        return known

    def learn(self, name: str, version: str, target: Target, upward: bool = False) -> bool:
        """Read the metadata of ``name==version``, which the resolver
        wanted to build, and of the releases it may backtrack to (below;
        with ``upward``, above too: a resolution preferring the lowest
        versions goes up); whether
        the next resolution will be told more (its metadata, or that it
        is refused). Raises a one-line error if it cannot be read."""
        key = canonicalize_name(name)
        label = f'{name}=={version}'
        try:
            wanted_version = Version(version)
        except InvalidVersion:
            raise MetadataError(f'a bad version {version[:100]!r}', package=name) from None
        wanted = release(key, version)
        with self.lock:
            lock = self._learning.setdefault(key, threading.Lock())
        with lock:
            try:
                files = self.index.files(key)
            except MetadataError as err:
                raise err.about(label) from None
            exact = sorted(
                (f for f in files if f.is_sdist and parse_version(f.version) == wanted_version),
                key=static.sdist_order,
            )
            if not exact:
                return False
            tags = static.target_tags(target.python)
            only = static.sdist_only_versions(files, tags)  # newest first
            chosen = [exact[0]] + [f for v, f in only if v < wanted_version][: PREFETCH - 1]
            if upward:  # preferring the lowest, it tries the next one up
                chosen += [f for v, f in reversed(only) if v > wanted_version][:PREFETCH]
            errors = self._read_all(chosen)
            with self.lock:
                self.learnt += sum(1 for e in errors.values() if e is None)
            if self.timed_out is not None:
                raise self.timed_out
            with self.lock:
                before = wanted in self.wanted
                self.wanted.add(wanted)
                offered = wanted in self.offered.get(target.python, set())
            if wanted in self.refused():
                return not before
            if self.store.get(exact[0]) is not None:
                return not offered
            error = errors.get(exact[0].url)
            reason = error.reason if error else 'not read'
            raise MetadataError(
                f'{reason}; it has only an sdist, whose dependencies cannot be '
                'read without building it: --allow-build builds it '
                '(bindep.txt lists the system packages builds need)',
                exact[0].bare_url,
                label,
            )

    # -- telling the resolver ---------------------------------------------------------

    def metadata_for(self, python: str) -> list[tuple[DistFile, static.Metadata]]:
        """What the resolution for ``python`` is told: the releases of the
        pages read this run that have an sdist and no wheel for it (or
        that it wanted to build), whose metadata was read from this run's
        sources; never a refused one."""
        tags = static.target_tags(python)
        refused = self.refused()
        found: dict[Release, tuple[DistFile, static.Metadata]] = {}
        with self.lock:
            wanted = set(self.wanted)
        for key, files in sorted(self.index.pages().items()):
            cache_key = (python, key)
            only = self._sdist_only.get(cache_key)
            if only is None:
                only = self._sdist_only[cache_key] = static.sdist_only_versions(files, tags)
            candidates = list(only)
            for file in files:
                if file.is_sdist and release(key, file.version) in wanted:
                    candidates.append((Version('0'), file))
            for _, file in candidates:
                which = release(key, file.version)
                if which in found or which in refused:
                    continue
                metadata = self.store.get(file)
                if metadata is not None:
                    found[which] = (file, metadata)
        with self.lock:
            self.offered.setdefault(python, set()).update(found)
        return [found[r] for r in sorted(found)]
