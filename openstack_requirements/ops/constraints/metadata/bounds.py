"""What reading a package index may cost: bytes, time and memory.

Whatever an index serves is untrusted: a page, a metadata file or an
sdist is read within :class:`Limits` (bytes as sent and as inflated,
fields kept), under one :class:`Deadline` for the whole run (the
``--timeout`` the user gave, shared with the resolver it runs), and a
body bigger than :attr:`Limits.shared` is held by one reader at a time
(:class:`Deadline.big`), so that the memory of many readers at once stays
small whatever they are sent.
"""

from __future__ import annotations

import contextlib
import dataclasses
import socket
import threading
import time
from collections.abc import Callable

from openstack_requirements.errors import RequirementsError

MIB = 1 << 20


@dataclasses.dataclass(frozen=True)
class Limits:
    """The most one read may cost (the defaults leave room for every
    real package: the biggest PyPI pages of the global list's packages
    are a few MB, their PKG-INFO headers a few hundred kB)."""

    #: An index page or JSON API document, as inflated.
    page: int = 16 * MIB
    #: JSON values (separators and brackets) of such a document: the
    #: objects they become cost memory out of proportion to their text.
    json_values: int = 1_000_000
    #: Files listed on one page.
    page_files: int = 50_000
    #: Files held from all the pages of a run.
    run_files: int = 200_000
    #: The fields kept of a metadata file (``Name``, ``Version``,
    #: ``Requires-Dist``...; the description and the others are skipped,
    #: never kept), or an egg-info ``requires.txt``.
    fields: int = 1 * MIB
    #: Bytes of one metadata file scanned (inflated) for those fields.
    member: int = 64 * MIB
    #: Bytes of an sdist downloaded (as sent).
    archive: int = 256 * MIB
    #: Bytes an sdist inflates to, scanned for its metadata.
    inflated: int = 1024 * MIB
    #: Members of an sdist scanned.
    members: int = 200_000
    #: A zip's central directory.
    directory: int = 8 * MIB
    #: Bytes of a wheel read when the server ignores ranges (its metadata
    #: is at its end: the whole file would be needed).
    whole_file: int = 16 * MIB
    #: A body bigger than this waits its turn (one at a time).
    shared: int = 1 * MIB
    #: Seconds a connection may stay silent.
    idle: float = 60.0


#: The limits a run reads within (a test may set smaller ones).
DEFAULT = Limits()


class MetadataError(RequirementsError):
    """What an index or a file could not tell: the reason, where (the URL)
    and about which package, in one line."""

    def __init__(self, reason: str, url: str | None = None, package: str | None = None) -> None:
        self.reason = reason
        self.url = url
        self.package = package
        super().__init__(self._text())

    def _text(self) -> str:
        return ': '.join(p for p in (self.package, self.url, self.reason) if p)

    def about(self, package: str | None = None, url: str | None = None) -> MetadataError:
        """This error, naming ``package`` and ``url`` if it does not yet."""
        self.package = self.package or package
        self.url = self.url or url
        self.args = (self._text(),)
        return self

    def __str__(self) -> str:
        return self._text()


class Refused(MetadataError):
    """What was served is refused: over a limit, malformed, or not what
    it claims to be. The release is never handed to the resolver."""


class TimedOut(MetadataError):
    """The run's deadline passed (or the run was interrupted)."""


class Deadline:
    """One run's clock: the time every read and resolver run must end by
    (``None``: no limit), and a way to stop them all at once."""

    def __init__(
        self, at: float | None, limits: Limits | None = None, seconds: float | None = None
    ) -> None:
        #: ``time.monotonic()`` value the run must end by.
        self.at = at
        self.seconds = seconds
        self.limits = limits or DEFAULT
        self.cancelled = False
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        #: Held while a body bigger than ``limits.shared`` is read and
        #: parsed.
        self.big = threading.RLock()

    def remaining(self) -> float | None:
        return None if self.at is None else self.at - time.monotonic()

    def expired(self) -> bool:
        left = self.remaining()
        return self.cancelled or (left is not None and left <= 0)

    def check(self, url: str | None = None) -> None:
        if self.cancelled:
            raise TimedOut('interrupted', url)
        if self.expired():
            raise TimedOut(f'timed out: the run may take {self.seconds or 0:g} s (--timeout)', url)

    def socket_timeout(self) -> float:
        """How long one socket operation may wait."""
        left = self.remaining()
        idle = self.limits.idle
        return max(0.01, idle if left is None else min(idle, left))

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)
        if self.cancelled:
            _shut(sock)

    def discard(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)

    def cancel(self) -> None:
        """Stop every read now: each open connection is shut, and every
        later check fails."""
        self.cancelled = True
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class Quota:
    """The files one page holds of a run's limit: ``take(n)`` (raises
    past it) and ``give(n)`` of the run's count, and what was taken."""

    def __init__(self, take: Callable[[int], None], give: Callable[[int], None]) -> None:
        self._take, self._give = take, give
        self.taken = 0

    def __call__(self, count: int) -> None:
        self._take(count)
        self.taken += count

    def give(self, count: int) -> None:
        self._give(count)
        self.taken -= count
