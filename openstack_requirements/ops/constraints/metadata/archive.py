"""Bounded readers of what an sdist or a wheel holds.

Nothing here is extracted to disk and nothing is held whole: a metadata
file is scanned line by line for the few fields a resolver needs
(:class:`HeaderScanner`), a compressed tar is inflated in pieces and
walked header by header (:func:`tar_members`: linear in its size, unlike
:mod:`tarfile` in stream mode on highly compressible data); a zip is read
through its central directory, one member at a time (:mod:`.zipped`).
Each stops at its :class:`~.bounds.Limits`: an archive that inflates too
far, a member or a header too big, is :class:`~.bounds.Refused`.
"""

from __future__ import annotations

import bz2
import dataclasses
import lzma
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from openstack_requirements.ops.constraints.metadata.bounds import Limits, Refused

#: The metadata fields kept (lower case); the others are skipped.
KEPT_FIELDS = frozenset(
    {
        'metadata-version',
        'name',
        'version',
        'requires-dist',
        'requires-python',
        'provides-extra',
        'dynamic',
    }
)


class HeaderScanner:
    """The RFC 822 header fields of a ``PKG-INFO``/``METADATA`` file, fed
    in pieces: only :data:`KEPT_FIELDS` are kept (a long description or
    license is skipped without being held), and the scan ends at the first
    empty line, as :mod:`email`'s header parser ends it."""

    def __init__(
        self, limits: Limits, what: str = 'metadata', kept: frozenset[str] = KEPT_FIELDS
    ) -> None:
        self.limits = limits
        self.what = what
        #: The fields kept (lower case).
        self.kept = kept
        #: ``(name in lower case, value)``, in order.
        self.fields: list[tuple[str, str]] = []
        self.done = False
        self.scanned = 0
        self._kept = 0
        self._line = bytearray()
        self._keeping = False  # the current field is kept
        self._skipping = False  # the rest of this line is not kept

    def feed(self, data: bytes) -> None:
        if self.done:
            return
        self.scanned += len(data)
        if self.scanned > self.limits.member:
            raise Refused(f'{self.what}: headers longer than {self.limits.member} bytes')
        start = 0
        while not self.done:
            end = data.find(b'\n', start)
            if end < 0:
                self._partial(data[start:])
                return
            if self._skipping:
                self._skipping = False
                self._line.clear()
            else:
                self._line += data[start:end]
                self._whole_line(bytes(self._line))
                self._line.clear()
            start = end + 1

    def close(self) -> None:
        if not self.done and self._line and not self._skipping:
            self._whole_line(bytes(self._line))
        self.done = True

    def _partial(self, piece: bytes) -> None:
        if self._skipping:
            return
        self._line += piece
        line = self._line
        if line and line[0] in (0x20, 0x09):  # a continuation line
            if not self._keeping:
                self._skip()
        elif b':' in line[:256]:
            name = bytes(line[: line.index(b':')]).strip().lower().decode('ascii', 'replace')
            if name not in self.kept:
                self._skip()
        elif len(line) > 256:  # not a header line: the headers end here
            self.done = True
            return
        if len(line) > self.limits.fields:
            raise Refused(f'{self.what}: a field longer than {self.limits.fields} bytes')

    def _skip(self) -> None:
        self._skipping = True
        self._line.clear()

    def _whole_line(self, raw: bytes) -> None:
        line = raw.rstrip(b'\r')
        if not line:
            self.done = True
            return
        if line and line[0] in (0x20, 0x09):  # a continuation line  # a continuation line
            if self._keeping and self.fields:
                self._keep(len(line))
                name, text = self.fields[-1]
                self.fields[-1] = (name, text + line.decode('utf-8', 'replace'))
            return
        name_part, colon, value = line.partition(b':')
        if not colon:  # not a header: the body starts
            self.done = True
            return
        name = name_part.strip().lower().decode('ascii', 'replace')
        self._keeping = name in self.kept
        if self._keeping:
            self._keep(len(line))
            self.fields.append((name, value.strip().decode('utf-8', 'replace')))

    def _keep(self, size: int) -> None:
        self._kept += size
        if self._kept > self.limits.fields:
            raise Refused(
                f'{self.what}: the fields read are longer than {self.limits.fields} bytes'
            )

    def get(self, name: str) -> str | None:
        for key, value in self.fields:
            if key == name:
                return value
        return None

    def get_all(self, name: str) -> list[str]:
        return [value for key, value in self.fields if key == name]


def scan_headers(text: bytes | str, limits: Limits, what: str = 'metadata') -> HeaderScanner:
    scanner = HeaderScanner(limits, what)
    scanner.feed(text.encode('utf-8', 'surrogateescape') if isinstance(text, str) else text)
    scanner.close()
    return scanner


# -- compressed streams ---------------------------------------------------------

Read = Callable[[int], bytes]


class Decoder:
    """zlib, bzip2 and xz decompressors behind one interface, each call
    giving at most ``size`` bytes."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.engine: Any = (
            zlib.decompressobj(16 + zlib.MAX_WBITS)
            if kind == 'gzip'
            else zlib.decompressobj(-zlib.MAX_WBITS)
            if kind == 'deflate'
            else bz2.BZ2Decompressor()
            if kind == 'bzip2'
            else lzma.LZMADecompressor()
        )

    @property
    def eof(self) -> bool:
        return bool(self.engine.eof)

    @property
    def unused(self) -> bytes:
        return bytes(self.engine.unused_data)

    def needs_input(self) -> bool:
        if isinstance(self.engine, (bz2.BZ2Decompressor, lzma.LZMADecompressor)):
            return bool(self.engine.needs_input)
        return not self.engine.unconsumed_tail

    def decompress(self, data: bytes, size: int) -> bytes:
        if not isinstance(self.engine, (bz2.BZ2Decompressor, lzma.LZMADecompressor)):
            data = self.engine.unconsumed_tail + data
        return bytes(self.engine.decompress(data, size))


def pull(decoder: Decoder, source: Callable[[], bytes], size: int, what: str) -> bytes:
    """Up to ``size`` decompressed bytes (``b''``: the end of the
    stream, or of its input)."""
    try:
        while not decoder.eof:
            data = b''
            if decoder.needs_input():
                data = source()
                if not data:
                    raise Refused(f'{what}: truncated {decoder.kind} data')
            out = decoder.decompress(data, size)
            if out:
                return out
    except (zlib.error, OSError, lzma.LZMAError, EOFError) as err:
        raise Refused(f'{what}: bad {decoder.kind} data ({err})') from None
    return b''


class Inflated:
    """What a gzip, bzip2 or xz stream (or a plain one) inflates to, read
    in pieces; reading past ``limit`` inflated bytes is refused."""

    def __init__(self, read: Read, limit: int, what: str) -> None:
        self.source, self.limit, self.what = read, limit, what
        self.produced = 0
        head = b''
        while len(head) < 6:
            piece = read(6 - len(head))
            if not piece:
                break
            head += piece
        self._pending = head
        self._kind = (
            'gzip'
            if head[:2] == b'\x1f\x8b'
            else 'bzip2'
            if head[:3] == b'BZh'
            else 'xz'
            if head[:6] == b'\xfd7zXZ\x00'
            else 'plain'
        )
        self._decoder = None if self._kind == 'plain' else Decoder(self._kind)

    def _input(self) -> bytes:
        if self._pending:
            data, self._pending = self._pending, b''
            return data
        return self.source(65536)

    def read(self, size: int) -> bytes:
        """Up to ``size`` inflated bytes; ``b''`` at the end."""
        while True:
            if self._decoder is None:
                out = self._input()
            else:
                out = pull(self._decoder, self._input, size, self.what)
                if not out and not self._next_member():
                    return b''
                if not out:
                    continue
            self.produced += len(out)
            if self.produced > self.limit:
                raise Refused(f'{self.what}: inflates to more than {self.limit} bytes')
            return out

    def _next_member(self) -> bool:
        """A stream of several members (``cat a.gz b.gz``) goes on."""
        assert self._decoder is not None
        rest = self._decoder.unused + self._pending
        self._pending = b''
        if not rest.strip(b'\0'):
            rest = self.source(65536)
        if not rest.strip(b'\0'):
            return False
        self._pending = rest
        self._decoder = Decoder(self._kind)
        return True


# -- tar --------------------------------------------------------------------------


@dataclasses.dataclass
class Member:
    """A member of a tar (or zip) archive, as its header tells it."""

    name: str
    kind: str  # 'file', 'dir' or 'other'
    size: int
    read: Read  # its data, in pieces (tar: only until the next member)


def _octal(field: bytes, what: str) -> int:
    if field[:1] and field[0] & 0x80:  # base-256 (GNU, for big numbers)
        return int.from_bytes(field[1:], 'big')
    text = field.replace(b'\0', b' ').strip()
    if not text:
        return 0
    if len(text) > 22 or not all(48 <= c <= 55 for c in text):
        raise Refused(f'{what}: not a tar archive (bad number {text[:24]!r})')
    return int(text, 8)


def tar_members(stream: Inflated, limits: Limits, what: str) -> Iterator[Member]:
    """The members of a tar, in order: each's data may be read while it
    is the current one, and is skipped otherwise. ``what`` names the
    archive in errors."""

    def exact(size: int) -> bytes:
        parts, have = [], 0
        while have < size:
            piece = stream.read(min(size - have, 262144))
            if not piece:
                break
            parts.append(piece)
            have += len(piece)
        return b''.join(parts)

    count = 0
    long_name: str | None = None
    pax: dict[str, str] = {}
    while True:
        header = exact(512)
        if len(header) < 512 or not header.strip(b'\0'):
            if header.strip(b'\0'):
                raise Refused(f'{what}: a truncated tar header')
            return
        count += 1
        if count > limits.members:
            raise Refused(f'{what}: more than {limits.members} members')
        stored = _octal(header[148:156], what)
        unsigned = sum(header) - sum(header[148:156]) + 8 * 32
        signed = unsigned - 256 * sum(1 for b in header[:148] + header[156:] if b > 127)
        if stored not in (unsigned, signed):
            raise Refused(f'{what}: not a tar archive (bad header checksum)')
        size = _octal(header[124:136], what)
        flag = header[156:157]
        name = header[:100].split(b'\0', 1)[0]
        if header[257:262] == b'ustar':
            prefix = header[345:500].split(b'\0', 1)[0]
            if prefix:
                name = prefix + b'/' + name
        if 'size' in pax:
            size = _pax_int(pax['size'], what)
        left = size

        def read(amount: int) -> bytes:
            nonlocal left
            if left <= 0:
                return b''
            piece = stream.read(min(amount, left))
            if not piece:
                raise Refused(f'{what}: a truncated tar member')
            left -= len(piece)
            return piece

        if flag in (b'x', b'g', b'L', b'K'):
            if size > limits.fields:
                raise Refused(f'{what}: an extended tar header of {size} bytes')
            data = exact(size)
            if len(data) < size:
                raise Refused(f'{what}: a truncated tar member')
            _skip_padding(exact, size)
            if flag == b'x':
                pax = _pax_records(data, what)
            elif flag == b'L':
                long_name = data.split(b'\0', 1)[0].decode('utf-8', 'replace')
            continue
        text = pax.get('path') or long_name or name.decode('utf-8', 'replace')
        kind = 'file' if flag in (b'0', b'\0', b'7') else 'dir' if flag == b'5' else 'other'
        if kind != 'file' and flag not in (b'1', b'2', b'3', b'4', b'5', b'6'):
            kind = 'other'
        pax, long_name = {}, None
        yield Member(text, kind, size, read)
        while left > 0:  # what the reader left
            if not read(262144):
                break
        _skip_padding(exact, size)


def _skip_padding(exact: Callable[[int], bytes], size: int) -> None:
    padding = -size % 512
    if padding:
        exact(padding)


def _pax_int(text: str, what: str) -> int:
    if not text.isdigit() or len(text) > 20:
        raise Refused(f'{what}: a bad size in an extended tar header')
    return int(text)


def _pax_records(data: bytes, what: str) -> dict[str, str]:
    """``path`` and ``size`` of a pax extended header."""
    found: dict[str, str] = {}
    position = 0
    while position < len(data):
        space = data.find(b' ', position, position + 24)
        if space < 0:
            break
        length_text = data[position:space]
        if not length_text.isdigit():
            raise Refused(f'{what}: a bad extended tar header')
        length = int(length_text)
        record = data[space + 1 : position + length]
        if length <= 0 or position + length > len(data):
            raise Refused(f'{what}: a bad extended tar header')
        key, _, value = record.rstrip(b'\n').partition(b'=')
        if key in (b'path', b'size'):
            found[key.decode()] = value.decode('utf-8', 'replace')
        position += length
    return found


def read_text(member: Member, limit: int, what: str) -> str:
    """A member's whole text (``requires.txt``): refused past ``limit``."""
    parts, size = [], 0
    while True:
        piece = member.read(65536)
        if not piece:
            break
        size += len(piece)
        if size > limit:
            raise Refused(f'{what}: {member.name[:100]} is larger than {limit} bytes')
        parts.append(piece)
    return b''.join(parts).decode('utf-8', 'replace')


def scan_member(member: Member, limits: Limits, what: str) -> HeaderScanner:
    """A metadata member's kept fields, read until its headers end."""
    scanner = HeaderScanner(limits, what)
    while not scanner.done:
        piece = member.read(65536)
        if not piece:
            break
        scanner.feed(piece)
    scanner.close()
    return scanner
