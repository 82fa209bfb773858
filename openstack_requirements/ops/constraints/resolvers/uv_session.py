"""The state one uv run shares across its resolutions (one per Python):
a scratch directory, the deadline, the index and what was read of it, the
interpreters uv may use. Made by :meth:`.uv.UvResolver.session`, passed
along, never kept on the class."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from packaging.utils import canonicalize_name

from openstack_requirements.errors import RequirementsError
from openstack_requirements.ops.constraints import Pin
from openstack_requirements.ops.constraints.metadata import bounds, static
from openstack_requirements.ops.constraints.metadata.index import Index
from openstack_requirements.ops.constraints.metadata.sdists import Sdists
from openstack_requirements.ops.constraints.metadata.serve import PageServer
from openstack_requirements.ops.constraints.metadata.store import Store
from openstack_requirements.ops.constraints.resolvers import replay
from openstack_requirements.ops.constraints.resolvers.base import (
    Progress,
    ResolverOptions,
    Target,
)
from openstack_requirements.ops.constraints.resolvers.uv_env import (
    PYPI,
    cache_dir,
    directory_size,
    environment,
    uv_binary,
)


class UvSession:
    """What the resolutions of one run share: a scratch directory, the
    deadline, the index and what was read of it, the interpreters uv may
    use."""

    def __init__(
        self,
        options: ResolverOptions,
        scratch: Path,
        progress: Progress | None,
        targets: Sequence[Target] = (),
    ) -> None:
        self.options = options
        self.scratch = scratch
        self.progress = progress
        self.deadline = bounds.Deadline(options.deadline, seconds=options.timeout)
        self.cache = cache_dir(options)
        self.size_before = directory_size(self.cache) if options.cache_report else 0
        self.store = Store(
            self.cache / 'openstack-requirements' / 'sdist-metadata.json'
            if self.cache is not None
            else None
        )
        keep = (
            frozenset().union(*(static.target_tags(t.python) for t in targets))
            if targets
            else None
        )
        self.index = Index(
            None if options.no_index else options.index_url or PYPI,
            options.find_links,
            self.deadline,
            keep,
            options.exclude_newer,
        )
        self.sdists = Sdists(self.index, self.store, progress)
        #: The run's own index in front of a remote one: uv reads its
        #: pages there, each read once from the real index this run.
        self.pages: PageServer | None = None
        if self.index.index_url and self.index.local_index is None:
            self.pages = PageServer(self.index)
            self.pages.__enter__()
        self.targets = tuple(targets)
        #: The session's record of resolutions (:mod:`.replay`): none
        #: kept until :meth:`reusing` finds its key.
        self.replay = replay.Replay(None, None)
        self.lock = threading.Lock()
        self.pythons: dict[str, str] = {}
        #: (name, version) -> where its metadata came from, for the pins
        #: resolved from it.
        self.used: dict[tuple[str, str], str] = {}
        #: (key, version) -> the metadata Name of a wheel, being read.
        self.names: dict[tuple[str, str], Future[str | None]] = {}
        self.name_pool = ThreadPoolExecutor(16)
        self._serials = itertools.count()

    def reusing(self, requirements: Path | None, progress: Progress | None) -> bool:
        """Whether the session's resolutions are recorded and every page
        they read is served unchanged (:mod:`.replay`); if so, said."""
        text = None
        if requirements is not None:
            try:
                text = requirements.read_bytes()
            except OSError:
                return False  # uv says what is wrong with it
        key = replay.session_key(
            self.options, self.targets, self.index.index_url, uv_binary(), text
        )
        place = self.cache / 'openstack-requirements' / 'replay' if self.cache else None
        self.replay = replay.Replay(place, key)
        served = self.index.served
        needed = [replay.resolution_key(text, t.python) for t in self.targets] if text else []
        if served is None or not self.replay.check(served.ahead, needed):
            return False
        if progress is not None:
            progress(
                f'reusing the resolutions recorded {self.replay.made}: the '
                f'{len(self.replay.pages)} index pages they read are served unchanged '
                '(--no-reuse resolves anew)'
            )
        return True

    def resolution_key(self, requirements: Path, target: Target) -> str | None:
        """The key of a resolution of ``requirements`` for ``target`` in
        the session's record (None: nothing is recorded)."""
        if self.replay.path is None:
            return None
        try:
            return replay.resolution_key(requirements.read_bytes(), target.python)
        except OSError:
            return None

    def save(self) -> None:
        """Record the session's resolutions, with the pages they read."""
        if self.index.served is not None:
            self.replay.save(self.index.served.digests)

    def serial(self) -> int:
        """A number of its own for each resolution of the session (its
        scratch files are named by it)."""
        with self.lock:
            return next(self._serials)

    @property
    def index_url(self) -> str | None:
        """The index uv is to read (the run's own, if there is one)."""
        return self.pages.url if self.pages is not None else self.index.index_url

    def close(self) -> None:
        self.name_pool.shutdown(wait=True, cancel_futures=True)
        if self.pages is not None:
            self.pages.close()
        self.index.close()
        self.store.save()

    def cancel(self) -> None:
        self.deadline.cancel()
        for future in list(self.names.values()):
            future.cancel()

    def spell(self, pins: dict[str, Pin], wheels: dict[str, tuple[str, str | None]]) -> None:
        """Read, in the background, how each pin's metadata spells its
        name (from one of its wheels; kept in the store)."""
        identity = self.index.identity
        for key, pin in pins.items():
            wheel = wheels.get(key)
            if pin.exact_name or wheel is None:
                continue
            url, digest = wheel
            with self.lock:
                if (key, pin.version) in self.names:
                    continue
                known = self.store.name(identity, url, digest)
                if known is None:
                    known = self._walked_name(key, url)
                    if known is not None:  # kept: a reused resolution reads no page
                        self.store.put_name(identity, url, digest, known)
                future: Future[str | None]
                if known is not None:
                    future = Future()
                    future.set_result(known)
                else:
                    future = self.name_pool.submit(self._read_name, url, digest)
                self.names[(key, pin.version)] = future

    def _walked_name(self, key: str, url: str) -> str | None:
        """The Name of a wheel whose metadata the read-ahead read."""
        for file in self.index.pages().get(key, ()):
            if file.bare_url == url.split('#', 1)[0]:
                found = self.store.get(file)
                return found.name if found is not None else None
        return None

    def _read_name(self, url: str, digest: str | None) -> str | None:
        name = self.index.wheel_name(url)
        if name is not None:
            self.store.put_name(self.index.identity, url, digest, name)
        return name

    def spelt(self, pin: Pin) -> Pin:
        future = self.names.get((pin.key, pin.version))
        name = future.result() if future is not None and not future.cancelled() else None
        if name is None or canonicalize_name(name) != pin.key:
            return pin
        return Pin(name, pin.version)

    def python_for(self, target: Target) -> str:
        """The interpreter uv runs with: the target's or the one running
        this; without ``allow_build``, an empty environment made from it
        (nothing there can build)."""
        base = target.interpreter or os.path.realpath(sys.executable)
        if self.options.allow_build:
            return base
        with self.lock:
            if base in self.pythons:
                return self.pythons[base]
            place = self.scratch / f'python-{len(self.pythons)}'
            left = self.options.remaining()
            try:
                done = subprocess.run(
                    [
                        uv_binary(),
                        'venv',
                        '--no-config',
                        '--no-project',
                        '--no-python-downloads',
                        '--quiet',
                        '--python',
                        base,
                        str(place),
                    ],
                    capture_output=True,
                    text=True,
                    cwd=self.scratch,
                    env=environment(self.options, self.scratch),
                    stdin=subprocess.DEVNULL,
                    timeout=None if left is None else max(1, left),
                )
            except subprocess.TimeoutExpired:
                raise bounds.TimedOut(
                    f'timed out: the run may take {self.options.timeout or 0:g} s (--timeout)',
                    package='uv venv',
                ) from None
            if done.returncode:
                raise RequirementsError(
                    f'uv venv: cannot make an environment from {base}: {done.stderr.strip()}'
                )
            found = str(place / 'bin' / 'python')
            self.pythons[base] = found
            return found

    def report(self) -> list[str]:
        lines = []
        if self.used:
            lines.append(
                'resolved without building, from metadata read in the '
                f'sdist or the index ({len(self.used)}):'
            )
            lines += [
                f'  {name}=={version} ({source})'
                for (name, version), source in sorted(
                    self.used.items(), key=lambda i: canonicalize_name(i[0][0])
                )
            ]
        refused = self.sdists.refused()
        if refused:
            lines.append(
                'refused: never handed to uv, what the index served '
                f'could not be read ({len(refused)}):'
            )
            lines += [
                f'  {name}=={version}: ' + (f'{url}: ' if url else '') + reason
                for (name, version), (url, reason) in sorted(refused.items())
            ]
        if self.options.cache_report:
            lines.append(
                f'index pages read: {self.index.pages_read}'
                + (
                    f'; asked by uv: {sum(self.pages.asked.values())} '
                    f'({len(self.pages.asked)} projects)'
                    if self.pages is not None
                    else ''
                )
            )
            after = directory_size(self.cache)
            lines.append(
                f'uv cache {self.cache}: {after / 1e6:.1f} MB, '
                f'{(after - self.size_before) / 1e6:+.1f} MB this run; '
                f'{self.index.bytes_read / 1e6:.1f} MB read for metadata'
            )
        return lines
