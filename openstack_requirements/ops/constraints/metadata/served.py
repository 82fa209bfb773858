"""An index's pages as it serves them: each read once a run, many at a
time when they are asked for ahead, and the digest of each kept.

The digests are what a later run compares to know that a page is served
unchanged (the index's own validators cannot be relied on: PyPI's
mirrors and proxies often send no ``ETag`` nor ``Last-Modified``):
:mod:`..resolvers.replay` reuses a run's resolutions only when every page
it read is served byte for byte the same.

A page read ahead is held until its project is parsed (then handed over
and forgotten), within :data:`HELD` bytes in all: past that, only its
digest is kept and the page is read again when parsed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from openstack_requirements.ops.constraints.metadata import http
from openstack_requirements.ops.constraints.metadata.bounds import Limits, MetadataError
from openstack_requirements.ops.constraints.metadata.local import read_local

#: Bytes of pages read ahead held at once, waiting to be parsed.
HELD = 256 << 20
#: Pages read ahead at once.
AHEAD_WORKERS = 32
#: What the index is asked for: JSON (PEP 691) first.
ACCEPT = 'application/vnd.pypi.simple.v1+json, text/html;q=0.1'


@dataclasses.dataclass(frozen=True)
class Answer:
    """A page as served: status, content type, body and final URL."""

    status: int
    content_type: str
    body: bytes
    url: str
    #: Read from a local index (a tree of ``index.html`` files).
    local: bool = False

    @property
    def digest(self) -> str:
        """What tells this answer from any other: status, type and body."""
        found = hashlib.sha256(f'{self.status} {self.content_type}\n'.encode())
        found.update(self.body)
        return found.hexdigest()


class ServedPages:
    """The pages of one index (``index_url``; ``local_index``: its
    directory, if it is local), read through ``client``."""

    def __init__(
        self,
        index_url: str,
        local_index: str | None,
        client: http.Client,
        limits: Limits,
    ) -> None:
        self.index_url = index_url
        self.local_index = local_index
        self.client = client
        self.limits = limits
        self._lock = threading.Lock()
        self._held: dict[str, Answer] = {}
        self._held_bytes = 0
        #: Project -> the digest of its page as served this run.
        self.digests: dict[str, str] = {}
        #: Pages asked of the index this run.
        self.count = 0

    def url_of(self, key: str) -> str:
        return f'{self.index_url}/{key}/'

    def get(self, key: str) -> Answer:
        """Project ``key``'s page: the one read ahead, else read now."""
        with self._lock:
            held = self._held.pop(key, None)
            if held is not None:
                self._held_bytes -= len(held.body)
                return held
        return self._read(key)

    def ahead(self, keys: Iterable[str], workers: int = AHEAD_WORKERS) -> dict[str, str | None]:
        """Read the pages of ``keys`` now, many at a time, and hold them
        for :meth:`get`; each one's digest (None: it could not be read,
        the error comes again when it is parsed)."""
        keys = sorted(set(keys))

        def one(key: str) -> str | None:
            try:
                answer = self._read(key)
            except MetadataError:
                return None
            with self._lock:
                if self._held_bytes + len(answer.body) <= HELD:
                    self._held[key] = answer
                    self._held_bytes += len(answer.body)
            return answer.digest

        with ThreadPoolExecutor(max(1, min(workers, len(keys)))) as pool:
            return dict(zip(keys, pool.map(one, keys), strict=True))

    def _read(self, key: str) -> Answer:
        with self._lock:
            self.count += 1
        answer = self._local(key) if self.local_index is not None else self._remote(key)
        with self._lock:
            self.digests[key] = answer.digest
        return answer

    def _local(self, key: str) -> Answer:
        assert self.local_index is not None
        place = Path(self.local_index) / key
        page = place / 'index.html'
        url = page.as_uri()
        if not place.is_dir() or not page.exists():
            return Answer(404, '', b'', url, local=True)
        return Answer(200, 'text/html', read_local(str(page), url, self.limits.page), url, True)

    def _remote(self, key: str) -> Answer:
        headers = {'Accept': ACCEPT, 'Accept-Encoding': 'gzip'}
        with self.client.fetch(self.url_of(key), headers) as (status, got, body, final):
            return Answer(status, got.get('content-type', ''), body, final)
