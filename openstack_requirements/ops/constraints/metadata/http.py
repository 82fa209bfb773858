"""A bounded HTTP client for reading package indexes.

GET requests over kept-alive connections, one per thread and host
(urllib opens a connection per request: ten times slower for hundreds of
pages), through the proxy the environment names (``https_proxy``,
``no_proxy``...). Every socket read waits no longer than the run's
:class:`~.bounds.Deadline` allows, a body is read in pieces and never
past the limit its caller gives (inflated too, for a compressed page),
and a redirect is followed only to another ``http(s)`` URL: nothing an
index answers makes this read a local file.

Parts of a file, by range requests: :mod:`.ranges`.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import io
import re
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request
import zlib
from collections.abc import Iterator, Mapping
from typing import Any

from openstack_requirements.ops.constraints.metadata.bounds import (
    Deadline,
    MetadataError,
    Refused,
)

USER_AGENT = 'openstack-requirements'
_REDIRECTS = (301, 302, 303, 307, 308)
_CONTENT_RANGE = re.compile(r'bytes (\d{1,15})-(\d{1,15})/(\d{1,15}|\*)$')
#: The most read from a socket at once.
PIECE = 65536


class _Raw(io.RawIOBase):
    """Reads of a socket, each within the deadline (through the socket's
    own raw file, which keeps the socket open while it is read)."""

    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        self.sock, self.deadline = sock, deadline
        self.file = sock.makefile('rb', buffering=0)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self.deadline.check()
        wait = self.deadline.socket_timeout()
        self.sock.settimeout(wait)
        try:
            return self.file.readinto(buffer) or 0
        except TimeoutError:
            self.deadline.check()
            raise MetadataError(f'no answer for {wait:g} s') from None

    def close(self) -> None:
        self.file.close()
        super().close()


class _Guarded:
    """A connected socket whose reads go through :class:`_Raw`."""

    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        self._sock, self._deadline = sock, deadline

    def makefile(self, *args: Any, **kwargs: Any) -> io.BufferedReader:
        return io.BufferedReader(_Raw(self._sock, self._deadline), PIECE)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _Guard:
    """What both connection classes add: connect within the deadline,
    registered so that cancelling the run shuts the socket."""

    deadline: Deadline
    timeout: float | None
    sock: Any
    _raw: socket.socket | None = None

    def connect(self) -> None:
        self.deadline.check()
        self.timeout = self.deadline.socket_timeout()
        super().connect()  # type: ignore[misc]
        self._raw = self.sock
        self.deadline.add(self.sock)
        self.sock = _Guarded(self.sock, self.deadline)

    def close(self) -> None:
        if self._raw is not None:
            self.deadline.discard(self._raw)
            self._raw = None
        super().close()  # type: ignore[misc]


class _HttpConnection(_Guard, http.client.HTTPConnection):
    pass


class _HttpsConnection(_Guard, http.client.HTTPSConnection):
    pass


def _describe(err: BaseException) -> str:
    if isinstance(err, http.client.IncompleteRead):
        return 'the server closed the connection before the end'
    if isinstance(err, http.client.HTTPException):
        return f'malformed HTTP answer ({type(err).__name__}: {err})'[:300]
    return str(err)[:300] or type(err).__name__


class Response:
    """An answer being read: its status, headers (names in lower case)
    and body, read in pieces."""

    def __init__(
        self,
        client: Client,
        key: tuple[str, ...],
        connection: http.client.HTTPConnection,
        answer: http.client.HTTPResponse,
        url: str,
    ) -> None:
        self.client, self.key, self.connection = client, key, connection
        self.answer = answer
        self.url = url
        self.status = answer.status
        self.headers = {k.lower(): v for k, v in answer.getheaders()}
        self.done = False

    def read1(self, size: int = PIECE) -> bytes:
        """At most ``size`` bytes, with at most one read of the socket;
        ``b''`` at the end."""
        if self.done:
            return b''
        try:
            data = self.answer.read1(size)
        except (OSError, http.client.HTTPException, ValueError) as err:
            self.client.deadline.check(self.url)
            raise MetadataError(_describe(err), self.url) from None
        if not data:
            self.client.deadline.check(self.url)
            if self.answer.length:  # announced, not sent
                raise MetadataError('the server closed the connection before the end', self.url)
            self.done = True
        self.client.count(len(data))
        return data

    def close(self) -> None:
        """Keep the connection for the next request if the body was read
        to its end, else close it (never read a body nobody wants)."""
        if (self.done or self.answer.length == 0) and not self.answer.will_close:
            self.answer.close()
            return
        self.answer.close()
        self.client.drop(self.key, self.connection)

    def __enter__(self) -> Response:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def content_range(headers: Mapping[str, str], url: str) -> tuple[int, int, int | None]:
    """``(first, last, total)`` of a 206 answer (total None: unknown)."""
    match = _CONTENT_RANGE.match(headers.get('content-range', '').strip())
    if not match:
        raise Refused('a partial answer without a valid Content-Range', url)
    first, last = int(match.group(1)), int(match.group(2))
    total = None if match.group(3) == '*' else int(match.group(3))
    if last < first or (total is not None and last >= total):
        raise Refused('a partial answer with an impossible Content-Range', url)
    return first, last, total


class Client:
    """GET requests within a run's :class:`Deadline`."""

    def __init__(self, deadline: Deadline) -> None:
        self.deadline = deadline
        self.limits = deadline.limits
        self.local = threading.local()
        self.proxies = urllib.request.getproxies()
        self._lock = threading.Lock()
        #: Every connection open, of every thread (closed by :meth:`close`).
        self._open: set[http.client.HTTPConnection] = set()
        #: (host, port) -> its addresses, looked up once.
        self._addresses: dict[tuple[str, int], list[Any]] = {}
        #: Bytes received (as sent, compressed or not), for -v.
        self.bytes_read = 0
        self._tls: ssl.SSLContext | None = None

    def tls(self) -> ssl.SSLContext:
        """The TLS settings of every HTTPS connection of the client (made
        once: loading the system's certificates costs more than a page)."""
        with self._lock:
            if self._tls is None:
                self._tls = ssl.create_default_context()
            return self._tls

    def close(self) -> None:
        """Close every connection kept alive."""
        with self._lock:
            connections, self._open = list(self._open), set()
        for connection in connections:
            connection.close()

    def count(self, size: int) -> None:
        with self._lock:
            self.bytes_read += size

    def _create_connection(
        self, address: tuple[str, int], timeout: Any = None, source_address: Any = None
    ) -> socket.socket:
        """A connected socket, the host's name looked up once a run (many
        threads looking it up at once meet a resolver's temporary
        failures)."""
        with self._lock:
            infos = self._addresses.get(address)
        if infos is None:
            for attempt in range(3):
                try:
                    infos = socket.getaddrinfo(*address, type=socket.SOCK_STREAM)
                    break
                except socket.gaierror as err:
                    if err.errno != socket.EAI_AGAIN or attempt == 2:
                        raise
                    time.sleep(0.2 * (attempt + 1))
            assert infos is not None
            with self._lock:
                self._addresses[address] = infos
        failure: OSError = OSError(f'cannot connect to {address[0]}')
        for family, kind, proto, _, where in infos:
            sock = socket.socket(family, kind, proto)
            try:
                sock.settimeout(timeout)
                if source_address:
                    sock.bind(source_address)
                sock.connect(where)
                return sock
            except OSError as err:
                sock.close()
                failure = err
        raise failure

    def _connections(self) -> dict[tuple[str, ...], http.client.HTTPConnection]:
        found = getattr(self.local, 'connections', None)
        if found is None:
            found = self.local.connections = {}
        return found

    def drop(self, key: tuple[str, ...], connection: http.client.HTTPConnection) -> None:
        connection.close()
        with self._lock:
            self._open.discard(connection)
        connections = self._connections()
        if connections.get(key) is connection:
            del connections[key]

    def _connection(
        self, parts: urllib.parse.SplitResult
    ) -> tuple[tuple[str, ...], http.client.HTTPConnection, str, dict[str, str], bool]:
        """``(key, connection, request target, extra headers, reused)``."""
        target = parts.path or '/'
        if parts.query:
            target += f'?{parts.query}'
        host = parts.hostname or ''
        proxy = self.proxies.get(parts.scheme)
        if proxy and urllib.request.proxy_bypass(host):
            proxy = None
        extra: dict[str, str] = {}
        via = urllib.parse.urlsplit(proxy) if proxy else None
        key = (parts.scheme, parts.netloc, proxy or '')
        connections = self._connections()
        connection = connections.get(key)
        if connection is not None:
            if via is not None and parts.scheme == 'http':
                target = urllib.parse.urlunsplit(parts._replace(fragment=''))
                extra = _proxy_auth(via)
            return key, connection, target, extra, True
        made: http.client.HTTPConnection
        if via is None:
            made = (
                _HttpsConnection(parts.netloc, context=self.tls())
                if parts.scheme == 'https'
                else _HttpConnection(parts.netloc)
            )
        elif parts.scheme == 'https':
            made = _HttpsConnection(via.netloc.rpartition('@')[2], context=self.tls())
            made.set_tunnel(host, parts.port or 443, headers=_proxy_auth(via))
        else:
            made = _HttpConnection(via.netloc.rpartition('@')[2])
            target = urllib.parse.urlunsplit(parts._replace(fragment=''))
            extra = _proxy_auth(via)
        made.deadline = self.deadline
        made._create_connection = self._create_connection  # type: ignore[union-attr]
        connections[key] = made
        with self._lock:
            self._open.add(made)
        return key, made, target, extra, False

    def open(self, url: str, headers: Mapping[str, str] | None = None) -> Response:
        """The answer to a GET of ``url`` (redirects followed, to http(s)
        URLs only), its body not yet read."""
        sent = {'User-Agent': USER_AGENT, **(headers or {})}
        for _ in range(6):
            parts = urllib.parse.urlsplit(url)
            if parts.scheme not in ('http', 'https') or not parts.hostname:
                raise Refused('not an http(s) URL: not read', url)
            self.deadline.check(url)
            answer = self._request(parts, url, sent)
            if answer.status not in _REDIRECTS:
                return answer
            location = answer.headers.get('location', '')
            answer.close()
            if not location:
                raise MetadataError(f'HTTP {answer.status} without a Location', url)
            following = urllib.parse.urljoin(url, location)
            if urllib.parse.urlsplit(following).scheme not in ('http', 'https'):
                raise Refused(f'redirected to {following[:200]}: not followed', url)
            url = following
        raise MetadataError('too many redirects', url)

    def _request(
        self, parts: urllib.parse.SplitResult, url: str, headers: Mapping[str, str]
    ) -> Response:
        for _attempt in range(2):
            key, connection, target, extra, reused = self._connection(parts)
            try:
                connection.request('GET', target, headers={**headers, **extra})
                answer = connection.getresponse()
            except (OSError, http.client.HTTPException, ValueError) as err:
                self.drop(key, connection)
                self.deadline.check(url)
                if reused:  # a kept-alive connection the server had closed
                    continue
                raise MetadataError(_describe(err), url) from None
            except BaseException:
                self.drop(key, connection)
                raise
            return Response(self, key, connection, answer, url)
        raise MetadataError('the server closed the connection', url)

    @contextlib.contextmanager
    def fetch(
        self, url: str, headers: Mapping[str, str] | None = None, limit: int | None = None
    ) -> Iterator[tuple[int, Mapping[str, str], bytes, str]]:
        """``(status, headers, body, final url)`` of a GET, the body
        read whole (inflated if it came gzip- or deflate-encoded) up to
        ``limit`` bytes (default: a page's), for the length of the
        block; the body of an answer other than 200 is not read."""
        limit = self.limits.page if limit is None else limit
        holding = False
        answer = self.open(url, headers)
        try:
            body = b''
            if answer.status == 200:
                body, holding = self._body(answer, limit)
            yield answer.status, answer.headers, body, answer.url
        finally:
            answer.close()
            if holding:
                self.deadline.big.release()

    def _body(self, answer: Response, limit: int) -> tuple[bytes, bool]:
        encoding = answer.headers.get('content-encoding', '').strip().lower()
        inflater: Any = None
        if encoding in ('gzip', 'x-gzip'):
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == 'deflate':
            inflater = zlib.decompressobj()
        elif encoding not in ('', 'identity'):
            raise Refused(f'unknown Content-Encoding {encoding[:40]!r}', answer.url)
        parts: list[bytes] = []
        size = 0
        holding = False
        try:
            while True:
                piece = answer.read1()
                if not piece:
                    break
                if inflater is not None:
                    try:
                        piece = _inflate(inflater, piece, limit - size + 1)
                    except zlib.error as err:
                        raise Refused(f'bad {encoding} encoding ({err})', answer.url) from None
                size += len(piece)
                if size > limit:
                    raise Refused(
                        f'larger than {limit} bytes' + (' inflated' if inflater else ''),
                        answer.url,
                    )
                if size > self.limits.shared and not holding:
                    while not self.deadline.big.acquire(timeout=0.2):
                        self.deadline.check(answer.url)
                    holding = True
                parts.append(piece)
        except BaseException:
            if holding:
                self.deadline.big.release()
            raise
        return b''.join(parts), holding


def _inflate(inflater: Any, data: bytes, room: int) -> bytes:
    """What ``data`` inflates to, no more than ``room`` bytes (reaching
    ``room`` is over the limit: the caller stops there)."""
    return bytes(inflater.decompress(data, room))


def _proxy_auth(via: urllib.parse.SplitResult) -> dict[str, str]:
    if via.username is None:
        return {}
    token = base64.b64encode(
        f'{urllib.parse.unquote(via.username)}:{urllib.parse.unquote(via.password or "")}'.encode()
    ).decode()
    return {'Proxy-Authorization': f'Basic {token}'}
