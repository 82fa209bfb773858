"""A package index's JSON API, served on 127.0.0.1 for what-broke tests."""

from __future__ import annotations

import contextlib
import datetime
import http.server
import json
import threading
from collections.abc import Iterator

PROXY_VARIABLES = (
    'http_proxy',
    'HTTP_PROXY',
    'https_proxy',
    'HTTPS_PROXY',
    'all_proxy',
    'ALL_PROXY',
)
NOW = datetime.datetime.now(datetime.UTC)


def stamp(days_ago: float) -> str:
    when = NOW - datetime.timedelta(days=days_ago)
    return when.strftime('%Y-%m-%dT%H:%M:%S.%fZ')


def document(**releases: list[float | tuple[float, bool]]) -> dict:
    """A JSON API document: version -> the age in days of each file
    (``(age, True)`` for a yanked file); ``v1_0`` stands for ``1.0``."""
    out: dict = {'info': {}, 'releases': {}}
    for version, files in releases.items():
        entries = []
        for item in files:
            age, yanked = item if isinstance(item, tuple) else (item, False)
            entries.append(
                {'packagetype': 'sdist', 'yanked': yanked, 'upload_time_iso_8601': stamp(age)}
            )
        out['releases'][version.replace('_', '.').lstrip('v')] = entries
    return out


class Index:
    """What the server answers: path -> (status, body) or 'slow'."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes] | str] = {}
        self.release = threading.Event()
        self.requests: list[str] = []
        self.url = ''
        #: Content-Length headers that lie: path -> the header's text.
        self.lengths: dict[str, str] = {}

    def add(self, name: str, doc: object) -> None:
        self.routes[f'/pypi/{name}/json'] = (200, json.dumps(doc).encode())

    def raw(self, name: str, status: int, body: bytes, length: str | None = None) -> None:
        """``body`` as it is; ``length``: the Content-Length to announce."""
        self.routes[f'/pypi/{name}/json'] = (status, body)
        if length is not None:
            self.lengths[f'/pypi/{name}/json'] = length

    def slow(self, name: str) -> None:
        self.routes[f'/pypi/{name}/json'] = 'slow'

    def drip(self, name: str) -> None:
        """An answer of a byte every 0.05 s (200 at most, then it stops)."""
        self.routes[f'/pypi/{name}/json'] = 'drip'

    def flood(self, name: str, size: int, announced: bool) -> None:
        """``size`` bytes of a JSON string, with or without a
        Content-Length saying so."""
        self.routes[f'/pypi/{name}/json'] = f'flood:{size}:{int(announced)}'


@contextlib.contextmanager
def serve() -> Iterator[Index]:
    """An index on a free port of 127.0.0.1 for the length of the block."""
    state = Index()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            state.requests.append(self.path)
            route = state.routes.get(self.path, (404, b'{"message": "Not Found"}'))
            if route == 'slow':
                state.release.wait(10)  # until the test is over
                route = (200, b'{}')
            if route == 'drip':
                self._drip()
                return
            if isinstance(route, str) and route.startswith('flood:'):
                _, size, announced = route.split(':')
                self._flood(int(size), announced == '1')
                return
            assert not isinstance(route, str)
            status, body = route
            try:
                self.send_response(status)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', state.lengths.get(self.path, str(len(body))))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client gave up
                pass

        def _drip(self) -> None:
            try:
                self.send_response(200)
                self.send_header('Content-Length', '200')
                self.end_headers()
                for _ in range(200):  # bounded: stops by itself
                    if state.release.wait(0.05):
                        return
                    self.wfile.write(b' ')
                    self.wfile.flush()
            except OSError:  # the client gave up
                pass

        def _flood(self, size: int, announced: bool) -> None:
            try:
                self.send_response(200)
                if announced:
                    self.send_header('Content-Length', str(size))
                self.end_headers()
                self.wfile.write(b'"')
                block = b'x' * 65536
                sent = 1
                while sent < size - 1 and not state.release.is_set():
                    piece = block[: size - 1 - sent]
                    self.wfile.write(piece)
                    sent += len(piece)
                self.wfile.write(b'"')
            except OSError:  # the client gave up
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={'poll_interval': 0.05}, daemon=True
    )
    thread.start()
    state.url = f'http://127.0.0.1:{server.server_address[1]}/pypi'
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
