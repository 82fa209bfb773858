"""A zip read through its central directory, one member at a time.

The directory is read from the file's end (at most
:attr:`~.bounds.Limits.directory` bytes of it), then a member's data,
inflated in pieces and refused past :attr:`~.bounds.Limits.member`
bytes; zip64 archives too. Nothing else of the file is read.
"""

from __future__ import annotations

import dataclasses
import struct
from collections.abc import Callable, Iterator

from openstack_requirements.ops.constraints.metadata.archive import Decoder, Member, pull
from openstack_requirements.ops.constraints.metadata.bounds import Limits, Refused

ReadAt = Callable[[int, int], bytes]


@dataclasses.dataclass(frozen=True)
class ZipEntry:
    name: str
    method: int
    flags: int
    compressed: int
    size: int
    offset: int


class Zip:
    """A zip read through its central directory: ``read_at(offset,
    length)`` reads the file (locally or by range requests), ``tail`` its
    last bytes (at most 64 kB + 22, the end record's reach)."""

    def __init__(self, read_at: ReadAt, size: int, tail: bytes, limits: Limits, what: str) -> None:
        self.read_at, self.size, self.limits, self.what = read_at, size, limits, what
        base = size - len(tail)
        end = tail.rfind(b'PK\x05\x06')
        if end < 0 or end + 22 > len(tail):
            raise Refused(f'{what}: not a zip archive')
        entries, cd_size, cd_offset = struct.unpack('<HII', tail[end + 10 : end + 20])
        if 0xFFFF in (entries,) or 0xFFFFFFFF in (cd_size, cd_offset):
            cd_size, cd_offset = self._zip64(tail, end, base)
        if cd_size > limits.directory:
            raise Refused(f'{what}: a zip directory of {cd_size} bytes')
        if cd_offset + cd_size > size:
            raise Refused(f'{what}: a zip directory past the end of the file')
        if cd_offset >= base:
            directory = tail[cd_offset - base : cd_offset - base + cd_size]
        else:
            directory = read_at(cd_offset, cd_size)
        self.entries = list(self._entries(directory))

    def _zip64(self, tail: bytes, end: int, base: int) -> tuple[int, int]:
        locator = end - 20
        if locator < 0 or tail[locator : locator + 4] != b'PK\x06\x07':
            raise Refused(f'{self.what}: a zip64 archive without its locator')
        (record,) = struct.unpack('<Q', tail[locator + 8 : locator + 16])
        data = (
            tail[record - base : record - base + 56]
            if record >= base
            else self.read_at(record, 56)
        )
        if len(data) < 56 or data[:4] != b'PK\x06\x06':
            raise Refused(f'{self.what}: a bad zip64 end record')
        cd_size, cd_offset = struct.unpack('<QQ', data[40:56])
        return cd_size, cd_offset

    def _entries(self, directory: bytes) -> Iterator[ZipEntry]:
        position = 0
        while position + 46 <= len(directory):
            if directory[position : position + 4] != b'PK\x01\x02':
                raise Refused(f'{self.what}: a bad zip directory')
            (flags, method) = struct.unpack('<HH', directory[position + 8 : position + 12])
            compressed, size = struct.unpack('<II', directory[position + 20 : position + 28])
            name_len, extra_len, comment_len = struct.unpack(
                '<HHH', directory[position + 28 : position + 34]
            )
            (offset,) = struct.unpack('<I', directory[position + 42 : position + 46])
            name = directory[position + 46 : position + 46 + name_len]
            extra = directory[position + 46 + name_len : position + 46 + name_len + extra_len]
            if 0xFFFFFFFF in (compressed, size, offset):
                size, compressed, offset = _zip64_extra(extra, size, compressed, offset)
            position += 46 + name_len + extra_len + comment_len
            yield ZipEntry(
                name.decode('utf-8', 'replace'), method, flags, compressed, size, offset
            )

    def member(self, entry: ZipEntry) -> Member:
        """A member whose data is inflated as it is read (refused past
        :attr:`Limits.member` bytes)."""
        if entry.flags & 1:
            raise Refused(f'{self.what}: {entry.name[:100]} is encrypted')
        header = self.read_at(entry.offset, 30)
        if len(header) < 30 or header[:4] != b'PK\x03\x04':
            raise Refused(f'{self.what}: a bad zip member header')
        name_len, extra_len = struct.unpack('<HH', header[26:30])
        start = entry.offset + 30 + name_len + extra_len
        if start + entry.compressed > self.size:
            raise Refused(f'{self.what}: a zip member past the end of the file')
        if entry.method not in (0, 8, 12):
            raise Refused(f'{self.what}: zip compression method {entry.method}')
        decoder = {0: None, 8: Decoder('deflate'), 12: Decoder('bzip2')}[entry.method]
        state = {'position': start, 'produced': 0}
        end = start + entry.compressed
        limit = self.limits.member

        def compressed() -> bytes:
            position = state['position']
            if position >= end:
                return b''
            chunk = self.read_at(position, min(262144, end - position))
            if not chunk:
                raise Refused(f'{self.what}: a truncated zip member')
            state['position'] = position + len(chunk)
            return chunk

        def read(amount: int) -> bytes:
            out = compressed() if decoder is None else pull(decoder, compressed, amount, self.what)
            state['produced'] += len(out)
            if state['produced'] > limit:
                raise Refused(
                    f'{self.what}: {entry.name[:100]} inflates to more than {limit} bytes'
                )
            return out

        return Member(entry.name, 'dir' if entry.name.endswith('/') else 'file', entry.size, read)


def _zip64_extra(extra: bytes, size: int, compressed: int, offset: int) -> tuple[int, int, int]:
    position = 0
    while position + 4 <= len(extra):
        tag, length = struct.unpack('<HH', extra[position : position + 4])
        body = extra[position + 4 : position + 4 + length]
        if tag == 1:
            values = [struct.unpack('<Q', body[i : i + 8])[0] for i in range(0, len(body) - 7, 8)]
            if size == 0xFFFFFFFF and values:
                size = values.pop(0)
            if compressed == 0xFFFFFFFF and values:
                compressed = values.pop(0)
            if offset == 0xFFFFFFFF and values:
                offset = values.pop(0)
            break
        position += 4 + length
    return size, compressed, offset
