"""The resolutions of one minimums run: one uv session for them all,
each distinct input resolved once, counted, a few at a time."""

from __future__ import annotations

import dataclasses
import itertools
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path

from openstack_requirements.ops.constraints import Pin
from openstack_requirements.ops.constraints.metadata import static
from openstack_requirements.ops.constraints.metadata.index import Index
from openstack_requirements.ops.constraints.resolvers import (
    ResolutionError,
    ResolverOptions,
    Target,
    load,
)
from openstack_requirements.ops.constraints.resolvers.base import Progress, RunTimedOut
from openstack_requirements.ops.constraints.resolvers.uv import UvResolver
from openstack_requirements.ops.minimums import releases

#: The resolution every one of them asks for.
LOWEST_DIRECT = 'lowest-direct'


@dataclasses.dataclass(frozen=True)
class Resolved:
    """A resolution's pins, or why it failed (the resolver's words)."""

    pins: Mapping[str, Pin] | None
    explanation: str = ''

    @property
    def ok(self) -> bool:
        return self.pins is not None


class Resolutions:
    """Resolves requirement lists for a Python with ``lowest-direct``, in
    one resolver session; :attr:`count` says how many ran."""

    def __init__(
        self,
        resolver: UvResolver,
        options: ResolverOptions,
        targets: Mapping[str, Target],
        scratch: Path,
        jobs: int = 3,
    ) -> None:
        self.resolver = resolver
        self.options = options
        self.targets = targets
        self.scratch = scratch
        #: Resolutions run (each distinct input once).
        self.count = 0
        self._memo: dict[tuple[str, tuple[str, ...]], Future[Resolved]] = {}
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(jobs)
        self._serial = itertools.count()

    @property
    def reused(self) -> int:
        """Of :attr:`count`, those handed back from a recorded run whose
        index pages are all served unchanged (:mod:`.replay`)."""
        return self.resolver.reused

    def metadata(self, name: str, version: str, python: str) -> static.Metadata | None:
        """The metadata of ``name==version`` on ``python``, kept in the
        session's store (:func:`.releases.metadata`)."""
        return releases.metadata(self.index, name, version, python, self.resolver.metadata_of)

    @property
    def index(self) -> Index:
        return self.resolver.index

    def resolve(self, python: str, lines: Iterable[str]) -> Resolved:
        """``lines`` resolved for ``python``, once per distinct input."""
        key = (python, tuple(sorted(set(lines))))
        with self._lock:
            future = self._memo.get(key)
            mine = future is None
            if future is None:
                future = self._memo[key] = Future()
                self.count += 1
                serial = next(self._serial)
        if not mine:
            return future.result()
        try:
            result = self._run(python, key[1], serial)
        except BaseException as err:
            future.set_exception(err)
            raise
        future.set_result(result)
        return result

    def _run(self, python: str, lines: Sequence[str], serial: int) -> Resolved:
        from openstack_requirements.ops import files

        path = files.write_scratch(
            self.scratch, f'set-{serial}.txt', ''.join(line + '\n' for line in lines)
        )
        with self._slots:
            try:
                pins = self.resolver.resolve(path, self.targets[python], self.options)
            except RunTimedOut:
                raise
            except ResolutionError as err:
                return Resolved(None, err.explanation or str(err))
        return Resolved(pins)


@contextmanager
def session(
    options: ResolverOptions,
    pythons: Sequence[str],
    progress: Progress | None = None,
    jobs: int = 3,
) -> Iterator[Resolutions]:
    """A uv session for the run, lowest-direct, and its resolutions."""
    from openstack_requirements.ops import files
    from openstack_requirements.ops.constraints.resolvers import target_for

    resolver = load('uv')
    assert isinstance(resolver, UvResolver)
    options = dataclasses.replace(options, resolution=LOWEST_DIRECT).started()
    targets = {}
    for spec in pythons:
        target = resolver.prepare(target_for(spec))
        targets[target.python] = target
    with files.scratch_directory('osr-minimums-') as scratch:
        with resolver.session(options, progress, None, list(targets.values())):
            try:
                yield Resolutions(resolver, options, targets, scratch, jobs)
            except BaseException:
                resolver.cancel()
                raise
