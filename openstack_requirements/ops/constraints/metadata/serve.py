"""The run's own index: the pages :class:`.Index` read, served to uv.

A resolver run asks an index for the page of every project it meets, and
each Python's resolution asks again. :class:`PageServer` stands in front
of the real index for the length of one run: a PEP 691 (JSON) index on
127.0.0.1 whose pages are made from :meth:`.Index.files`, at the same
URL run after run for the same real index (uv keeps the metadata of an
index's files under the index's URL). So each page of the real index is read once
per run (when first asked for, so never older than the run), by the
bounded reader, and shared by every resolution; what the reader refused
or dropped (``file:`` links, wheels for no target, releases over a
limit) never reaches uv. The files a page lists keep their own URLs:
uv downloads them from where the index keeps them, and caches them as
it always does. Pages are served with ``Cache-Control: no-store``: the
next run asks the real index again, and uv keeps no copy of a page under
a port that will not serve it again.

A page the reader cannot read is answered with an error status, and the
error is kept (:attr:`PageServer.errors`): the resolver says it in one
line instead of uv's report of a failed request.
"""

from __future__ import annotations

import errno
import hashlib
import http.server
import json
import threading
import urllib.parse
from typing import Any

from packaging.utils import canonicalize_name

from openstack_requirements.ops.constraints.metadata.bounds import MetadataError
from openstack_requirements.ops.constraints.metadata.index import Index
from openstack_requirements.ops.constraints.metadata.pages import DistFile

JSON_TYPE = 'application/vnd.pypi.simple.v1+json'


def page_json(name: str, files: list[DistFile], origin: str | None) -> bytes:
    """A PEP 691 (API 1.1) page of project ``name`` listing ``files`` of
    the index ``origin`` (the files of find-links places are left out:
    the resolver reads those places itself)."""
    entries: list[dict[str, Any]] = []
    versions: set[str] = set()
    for file in files:
        if file.local or (origin is not None and file.origin != origin):
            continue
        entry: dict[str, Any] = {'filename': file.filename, 'url': file.bare_url}
        algorithm, _, digest = (file.hash or '').partition('=')
        entry['hashes'] = {algorithm: digest} if digest else {}
        if file.requires_python:
            entry['requires-python'] = file.requires_python
        if file.yanked:
            entry['yanked'] = file.yanked_reason or True
        if file.core_metadata:
            algorithm, _, digest = (file.metadata_hash or '').partition('=')
            entry['core-metadata'] = {algorithm: digest} if digest else True
        if file.size is not None:
            entry['size'] = file.size
        if file.upload_time:
            entry['upload-time'] = file.upload_time
        entries.append(entry)
        versions.add(file.version)
    document = {
        'meta': {'api-version': '1.1'},
        'name': name,
        'versions': sorted(versions),
        'files': entries,
    }
    return json.dumps(document, separators=(',', ':')).encode()


#: The ports a run's own index may take: below Linux's ephemeral ports.
PORTS = range(20000, 32000)
#: Ports tried after the preferred one before any free port is taken.
TRIES = 8


class _Server(http.server.ThreadingHTTPServer):
    #: Connections waiting to be accepted: uv opens dozens at once, and
    #: several resolutions run together (the default of 5 drops them, and
    #: each waits for TCP to try again).
    request_queue_size = 1024
    daemon_threads = True
    block_on_close = False


def _bind(handler: type, digest: str) -> http.server.ThreadingHTTPServer:
    """A server on 127.0.0.1, on the port ``digest`` (of the real index's
    URL) prefers: uv keeps what it read of an index's files under the
    index's URL, so the same URL run after run lets it reuse them. If the
    port is taken (another run), the next ones, then any free port (uv
    then reads the files' metadata again)."""
    first = int(digest[:8], 16)
    for offset in range(TRIES):
        try:
            return _Server(('127.0.0.1', PORTS[(first + offset) % len(PORTS)]), handler)
        except OSError as err:
            if err.errno != errno.EADDRINUSE:
                raise
    return _Server(('127.0.0.1', 0), handler)


class PageServer:
    """A PEP 691 index on 127.0.0.1 serving the pages ``index`` reads,
    for one run (a context manager)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        digest = hashlib.sha256((index.index_url or '').encode()).hexdigest()
        self._token = digest[:16]
        self.errors: dict[str, MetadataError] = {}
        #: Requests served, by project (what uv asked for).
        self.asked: dict[str, int] = {}
        self._lock = threading.Lock()
        #: The pages made, each once a run (every Python asks for it).
        self._bodies: dict[str, bytes] = {}
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                server._answer(self)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = _bind(Handler, digest)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name='osr-pages', daemon=True
        )

    @property
    def url(self) -> str:
        """The index URL to give the resolver."""
        port = self._server.server_address[1]
        return f'http://127.0.0.1:{port}/{self._token}/simple'

    def __enter__(self) -> PageServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()

    def first_error(self) -> MetadataError | None:
        with self._lock:
            return next(iter(self.errors.values()), None)

    def _answer(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        path = urllib.parse.urlsplit(handler.path).path
        parts = [p for p in path.split('/') if p]
        if len(parts) != 3 or parts[0] != self._token or parts[1] != 'simple':
            self._send(handler, 404, b'not found\n', 'text/plain')
            return
        key = canonicalize_name(urllib.parse.unquote(parts[2]))
        with self._lock:
            self.asked[key] = self.asked.get(key, 0) + 1
        try:
            files = self.index.files(key)
        except MetadataError as err:
            with self._lock:
                self.errors.setdefault(key, err)
            self._send(handler, 502, f'{err}\n'.encode(), 'text/plain')
            return
        if not files:
            self._send(handler, 404, b'not found\n', 'text/plain')
            return
        with self._lock:
            body = self._bodies.get(key)
        if body is None:
            body = page_json(key, files, self.index.index_url)
            with self._lock:
                self._bodies[key] = body
        self._send(handler, 200, body, JSON_TYPE)

    @staticmethod
    def _send(
        handler: http.server.BaseHTTPRequestHandler, status: int, body: bytes, kind: str
    ) -> None:
        handler.send_response(status)
        handler.send_header('Content-Type', kind)
        handler.send_header('Content-Length', str(len(body)))
        handler.send_header('Cache-Control', 'no-store')
        handler.end_headers()
        handler.wfile.write(body)
