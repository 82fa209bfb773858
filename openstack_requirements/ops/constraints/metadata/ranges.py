"""Parts of a remote file, by range requests.

:class:`RemoteFile` reads parts of a file (a zip's directory and one
member), :class:`RemoteStream` reads one front to back in growing ranges,
so that a reader that stops early has downloaded little. A server that
ignores ranges is read no further than needed, within the limits: a file
whose end is wanted is not read whole past :attr:`~.bounds.Limits.whole_file`.
"""

from __future__ import annotations

import io
from typing import Any

from openstack_requirements.ops.constraints.metadata.bounds import MetadataError, Refused
from openstack_requirements.ops.constraints.metadata.http import (
    PIECE,
    Client,
    Response,
    content_range,
)


class RemoteFile:
    """Parts of a remote file, by range requests; at most ``budget`` bytes
    downloaded in all."""

    def __init__(self, client: Client, url: str, budget: int) -> None:
        self.client, self.url, self.budget = client, url, budget
        self.size: int | None = None
        self.downloaded = 0
        self._block = (0, b'')

    def _take(self, answer: Response, count: int, skip: int = 0) -> bytes:
        """``count`` bytes of ``answer`` after ``skip`` bytes."""
        parts: list[bytes] = []
        have = 0
        while have < skip + count:
            piece = answer.read1(min(PIECE, skip + count - have))
            if not piece:
                break
            self.downloaded += len(piece)
            if self.downloaded > self.budget:
                raise Refused(f'more than {self.budget} bytes to read', self.url)
            parts.append(piece)
            have += len(piece)
        return b''.join(parts)[skip:]

    def read_at(self, offset: int, length: int) -> bytes:
        """Bytes ``offset`` to ``offset + length`` (fewer at the end)."""
        start, block = self._block
        if start <= offset and offset + length <= start + len(block):
            return block[offset - start : offset - start + length]
        if length <= 0:
            return b''
        with self.client.open(
            self.url,
            {'Range': f'bytes={offset}-{offset + length - 1}', 'Accept-Encoding': 'identity'},
        ) as answer:
            self._plain(answer)
            if answer.status == 206:
                first, _, total = content_range(answer.headers, self.url)
                if first != offset:
                    raise Refused('the server sent another range than asked', self.url)
                self.size = total if total is not None else self.size
                data = self._take(answer, length)
            elif answer.status == 200:
                self._whole(answer)
                data = self._take(answer, length, skip=offset)
            elif answer.status == 416:
                data = b''
            else:
                raise MetadataError(f'HTTP {answer.status}', self.url)
        self._block = (offset, data)
        return data

    def tail(self, length: int) -> bytes:
        """The last ``length`` bytes; sets :attr:`size`."""
        with self.client.open(
            self.url, {'Range': f'bytes=-{length}', 'Accept-Encoding': 'identity'}
        ) as answer:
            self._plain(answer)
            if answer.status == 206:
                first, _, total = content_range(answer.headers, self.url)
                if total is None:
                    raise Refused('a partial answer of unknown size', self.url)
                data = self._take(answer, total - first)
                self.size = total
            elif answer.status == 200:
                self._whole(answer)
                keep = b''
                while True:
                    piece = self._take(answer, PIECE)
                    if not piece:
                        break
                    keep = (keep + piece)[-length:]
                self.size = self.downloaded
                data = keep
                first = self.size - len(data)
            else:
                raise MetadataError(f'HTTP {answer.status}', self.url)
        self._block = (first, data)
        return data

    def _plain(self, answer: Response) -> None:
        encoding = answer.headers.get('content-encoding', '').strip().lower()
        if encoding not in ('', 'identity'):
            raise Refused(f'a file sent with Content-Encoding {encoding[:40]!r}', self.url)

    def _whole(self, answer: Response) -> None:
        """A server that ignores ranges sends the whole file: read it only
        if it is small."""
        limit = min(self.budget, self.client.limits.whole_file)
        size = answer.answer.length
        if size is not None and size > limit:
            raise Refused(
                f'the server ignores range requests and the file '
                f'has {size} bytes (more than {limit} are not read)',
                self.url,
            )
        self.budget = min(self.budget, limit)


class Spent(MetadataError):
    """A stream's read budget is spent (not a fault of the file)."""


class RemoteStream(io.RawIOBase):
    """A remote file read front to back, in growing ranges over a
    kept-alive connection (or whole, as the server sends it if it
    ignores ranges): a reader that stops early costs what it read.
    ``budget`` bytes at most (then :class:`Spent`), never more than
    ``limit`` (then :class:`Refused`)."""

    def __init__(self, client: Client, url: str, budget: int | None, limit: int) -> None:
        self.client, self.url = client, url
        self.budget, self.limit = budget, limit
        self.position = 0
        self.total: int | None = None
        self.window = 262144
        self.answer: Response | None = None

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        if self.answer is not None:
            self.answer.close()
            self.answer = None
        super().close()

    def _next(self) -> bool:
        """Ask for the next range; False at the end of the file."""
        if self.total is not None and self.position >= self.total:
            return False
        if self.budget is not None and self.position >= self.budget:
            raise Spent(f'not found in the first {self.budget} bytes', self.url)
        if self.position >= self.limit:
            raise Refused(f'larger than {self.limit} bytes', self.url)
        end = self.position + self.window - 1
        answer = self.client.open(
            self.url, {'Range': f'bytes={self.position}-{end}', 'Accept-Encoding': 'identity'}
        )
        encoding = answer.headers.get('content-encoding', '').strip().lower()
        if encoding not in ('', 'identity'):
            answer.close()
            raise Refused(f'a file sent with Content-Encoding {encoding[:40]!r}', self.url)
        if answer.status == 206:
            try:
                first, _, total = content_range(answer.headers, self.url)
            except MetadataError:
                answer.close()
                raise
            if first != self.position:
                answer.close()
                raise Refused('the server sent another range than asked', self.url)
            self.total = total
        elif answer.status == 200:  # no ranges: the whole file
            self.total = None
            skip = self.position  # the part read already
            while skip > 0:
                piece = answer.read1(min(skip, PIECE))
                if not piece:
                    break
                skip -= len(piece)
            self.window = 0
        elif answer.status == 416:
            answer.close()
            return False
        else:
            answer.close()
            raise MetadataError(f'HTTP {answer.status}', self.url)
        self.answer = answer
        if self.window:
            self.window = min(self.window * 2, 4 << 20)
        return True

    def readinto(self, target: Any) -> int:
        while True:
            if self.answer is None and not self._next():
                return 0
            assert self.answer is not None
            room = len(target)
            if self.budget is not None:
                if self.position >= self.budget:
                    # spent: never a byte at a time through the rest of a range
                    raise Spent(f'not found in the first {self.budget} bytes', self.url)
                room = min(room, self.budget - self.position)
            room = min(room, max(1, self.limit - self.position))
            piece = self.answer.read1(room)
            if piece:
                if self.position + len(piece) > self.limit:
                    raise Refused(f'larger than {self.limit} bytes', self.url)
                target[: len(piece)] = piece
                self.position += len(piece)
                return len(piece)
            whole = self.answer.status == 200
            self.answer.close()
            self.answer = None
            if whole:
                self.total = self.position
                return 0
