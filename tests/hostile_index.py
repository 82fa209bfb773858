"""A package index that misbehaves on purpose, served on 127.0.0.1.

Each path answers as its :class:`Route` says: a file (ranges honoured or
not), a page, a redirect, a body sent a byte at a time, a body cut short,
a body streamed from a generator (a bomb of any size without holding
it). :func:`project` publishes a project's files with a PEP 503 page
giving each file's sha256, as real indexes do. Every request is logged
with who asked (``ours``: openstack-requirements, else the resolver) and
how many body bytes were sent.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import hashlib
import http.server
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from packaging.utils import canonicalize_name

PROXY_VARIABLES = (
    'http_proxy',
    'HTTP_PROXY',
    'https_proxy',
    'HTTPS_PROXY',
    'all_proxy',
    'ALL_PROXY',
    'no_proxy',
    'NO_PROXY',
)


@dataclasses.dataclass
class Route:
    """One answer. ``body`` (bytes) or ``path`` (a file on disk) or
    ``stream`` (a function giving the body's pieces); ``ranges``: honour
    Range requests; ``drip``: seconds between single bytes (headers
    first unless ``drip_headers``); ``cut``: send only this many bytes of
    the announced body, then close."""

    body: bytes = b''
    status: int = 200
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    path: Path | None = None
    stream: Callable[[], Iterable[bytes]] | None = None
    length: int | None = None
    ranges: bool = True
    drip: float = 0.0
    drip_headers: bool = False
    cut: int | None = None

    def size(self) -> int | None:
        if self.path is not None:
            return self.path.stat().st_size
        if self.stream is not None:
            return self.length
        return len(self.body)

    def read(self, start: int, end: int) -> Iterator[bytes]:
        if self.path is not None:
            with open(self.path, 'rb') as handle:
                handle.seek(start)
                left = end - start
                while left > 0:
                    piece = handle.read(min(left, 1 << 20))
                    if not piece:
                        return
                    left -= len(piece)
                    yield piece
            return
        if self.stream is not None:
            position = 0
            for piece in self.stream():
                lo, hi = max(start - position, 0), min(end - position, len(piece))
                if lo < hi:
                    yield piece[lo:hi]
                position += len(piece)
                if position >= end:
                    return
            return
        yield self.body[start:end]


@dataclasses.dataclass
class Request:
    path: str
    ours: bool
    headers: dict[str, str]
    sent: int = 0


class Hostile:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Request] = []
        self.url = ''
        self.stop = threading.Event()

    @property
    def index(self) -> str:
        return f'{self.url}/simple'

    def add(self, path: str, route: Route) -> None:
        self.routes[path] = route

    def page(self, name: str, html: str | bytes, **kwargs: object) -> None:
        body = html.encode() if isinstance(html, str) else html
        self.routes[f'/simple/{canonicalize_name(name)}/'] = Route(
            body, headers={'Content-Type': 'text/html'}, **kwargs
        )  # type: ignore[arg-type]

    def sent(self, path: str, ours: bool | None = None) -> int:
        return sum(r.sent for r in self.log if r.path == path and (ours is None or r.ours == ours))

    def asked(self, path: str, ours: bool | None = None) -> int:
        return sum(1 for r in self.log if r.path == path and (ours is None or r.ours == ours))


def links(files: Iterable[tuple[str, bytes | Path]], prefix: str = '/files/') -> str:
    """A PEP 503 page's anchors for ``(filename, content)``, each with its
    sha256 (a path: hashed from disk)."""
    out = []
    for name, data in files:
        if isinstance(data, Path):
            digest = hashlib.sha256()
            with open(data, 'rb') as handle:
                for piece in iter(lambda: handle.read(1 << 20), b''):
                    digest.update(piece)
            hexdigest = digest.hexdigest()
        else:
            hexdigest = hashlib.sha256(data).hexdigest()
        out.append(f'<a href="{prefix}{name}#sha256={hexdigest}">{name}</a>')
    return '<html><body>\n' + '\n'.join(out) + '\n</body></html>\n'


def project(
    index: Hostile, name: str, files: Iterable[tuple[str, bytes | Path]], ranges: bool = True
) -> None:
    """Publish ``files`` under /files/ and their page under /simple/NAME/."""
    files = list(files)
    for filename, data in files:
        if isinstance(data, Path):
            index.add(f'/files/{filename}', Route(path=data, ranges=ranges))
        else:
            index.add(f'/files/{filename}', Route(data, ranges=ranges))
    index.page(name, links(files))


def wheel_bytes(
    directory: Path, name: str, version: str, requires: Iterable[str] = ()
) -> tuple[str, bytes]:
    from tests import resolver_index

    path = resolver_index.make_wheel(directory, name, version, requires=requires)
    return path.name, path.read_bytes()


def sdist_bytes(
    directory: Path, name: str, version: str, requires: Iterable[str] = (), **kwargs: object
) -> tuple[str, bytes]:
    from tests import resolver_index

    path = resolver_index.make_sdist(directory, name, version, requires, **kwargs)  # type: ignore[arg-type]
    return path.name, path.read_bytes()


def gzipped(html: str) -> Route:
    return Route(
        gzip.compress(html.encode()),
        headers={'Content-Type': 'text/html', 'Content-Encoding': 'gzip'},
    )


_RANGE = re.compile(r'bytes=(\d*)-(\d*)$')


@contextlib.contextmanager
def serve() -> Iterator[Hostile]:
    """The hostile index on a free port of 127.0.0.1 for the block."""
    state = Hostile()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def do_HEAD(self) -> None:  # noqa: N802 (the stdlib's name)
            route = state.routes.get(self.path.split('?', 1)[0])
            size = route.size() if route is not None else None
            self.send_response(404 if route is None else route.status)
            if route is not None and route.ranges:
                self.send_header('Accept-Ranges', 'bytes')
            self.send_header('Content-Length', str(size or 0))
            self.end_headers()

        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            agent = self.headers.get('User-Agent', '')
            record = Request(
                self.path,
                agent.startswith('openstack-requirements'),
                {k.lower(): v for k, v in self.headers.items()},
            )
            state.log.append(record)
            route = state.routes.get(self.path.split('?', 1)[0])
            try:
                if route is None:
                    self._send(404, {'Content-Length': '9'}, [b'not found'], record)
                else:
                    self._answer(route, record)
            except OSError:  # the client gave up
                self.close_connection = True

        def _answer(self, route: Route, record: Request) -> None:
            size = route.size()
            headers = dict(route.headers)
            status, start, end = route.status, 0, size
            wanted = _RANGE.match(self.headers.get('Range', ''))
            if wanted and route.ranges and size is not None and route.status == 200:
                first, last = wanted.groups()
                if first:
                    start, end = int(first), min(int(last) + 1 if last else size, size)
                else:
                    start, end = max(size - int(last or 0), 0), size
                if start >= size:
                    self._send(
                        416,
                        {'Content-Range': f'bytes */{size}', 'Content-Length': '0'},
                        [],
                        record,
                    )
                    return
                status = 206
                headers['Content-Range'] = f'bytes {start}-{end - 1}/{size}'
            if end is not None:
                headers.setdefault('Content-Length', str(end - start))
            else:
                headers['Connection'] = 'close'
                self.close_connection = True
            pieces: Iterable[bytes] = route.read(start, end if end is not None else 1 << 62)
            if route.cut is not None:
                pieces = _cut(pieces, route.cut)
                self.close_connection = True
            if route.drip:
                self._drip(status, headers, pieces, route, record)
                return
            self._send(status, headers, pieces, record)

        def _send(
            self, status: int, headers: dict[str, str], pieces: Iterable[bytes], record: Request
        ) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            for piece in pieces:
                if state.stop.is_set():
                    self.close_connection = True
                    return
                self.wfile.write(piece)
                record.sent += len(piece)

        def _drip(
            self,
            status: int,
            headers: dict[str, str],
            pieces: Iterable[bytes],
            route: Route,
            record: Request,
        ) -> None:
            if route.drip_headers:
                head = f'HTTP/1.1 {status} OK\r\n'.encode()
                for key, value in headers.items():
                    head += f'{key}: {value}\r\n'.encode()
                head += b'\r\n'
                pieces = [head, *pieces]
            else:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.flush()
            for piece in pieces:
                for byte in range(len(piece)):
                    if state.stop.wait(route.drip):
                        self.close_connection = True
                        return
                    self.wfile.write(piece[byte : byte + 1])
                    self.wfile.flush()
                    record.sent += 1
            self.close_connection = True

        def log_message(self, *args: object) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client that gave up: expected here

    server = Server(('127.0.0.1', 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={'poll_interval': 0.05}, daemon=True
    )
    thread.start()
    state.url = f'http://127.0.0.1:{server.server_address[1]}'
    try:
        yield state
    finally:
        state.stop.set()
        server.shutdown()
        server.server_close()


def _cut(pieces: Iterable[bytes], count: int) -> Iterator[bytes]:
    for piece in pieces:
        if count <= 0:
            return
        yield piece[:count]
        count -= len(piece)


def zeros(total: int, block: int = 1 << 20) -> Callable[[], Iterator[bytes]]:
    """A body of ``total`` zero bytes, streamed."""

    def pieces() -> Iterator[bytes]:
        chunk = bytes(block)
        left = total
        while left > 0:
            yield chunk[: min(block, left)]
            left -= block

    return pieces


def wait_for(condition: Callable[[], bool], seconds: float = 30) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def no_proxy(monkeypatch: object) -> None:
    for name in PROXY_VARIABLES:
        if name in os.environ:
            monkeypatch.delenv(name)  # type: ignore[attr-defined]
