"""Debian package indexes, read as apt reads them.

An index is a deb822 file: stanzas separated by blank lines (a line of
spaces and tabs is blank too), each a series of ``Field: value`` lines
whose value may go on over lines that start with a space or a tab; field
names are case-insensitive. A ``Packages`` index holds a stanza per
binary package: ``Package``, ``Version``, and ``Source`` when its source
package has another name, written ``Source: NAME (VERSION)`` when it has
another version too (a binary-only rebuild: ``1.2-3+b1`` built from
``1.2-3``). A ``Sources`` index holds a stanza per source package, whose
``Binary`` field lists the binary packages it builds. Those four fields
are all that is read, a piece of the file at a time as it is uncompressed
(:mod:`.compression`).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from typing import NamedTuple, NoReturn

from openstack_requirements.errors import FileError
from openstack_requirements.ops.distro import compression, debian


class Binary(NamedTuple):
    """A binary package of a ``Packages`` index."""

    name: str
    version: str
    #: The source package it is built from, and that one's version.
    source: str
    source_version: str


class Source(NamedTuple):
    """A source package of a ``Sources`` index."""

    name: str
    version: str
    binaries: tuple[str, ...]


class Index:
    """The packages of one index file.

    The file is read in one pass that keeps each stanza's fields as bytes
    (an index holds tens of thousands of packages, a run looks up a few
    hundred); a package is decoded and its version checked when it is
    looked up."""

    def __init__(self, path: str) -> None:
        self.path = path
        #: ``Packages`` stanzas: name -> (version, Source field or b'').
        self.raw_binaries: dict[bytes, tuple[bytes, bytes]] = {}
        #: ``Sources`` stanzas: name -> (version, Binary field).
        self.raw_sources: dict[bytes, tuple[bytes, bytes]] = {}

    def __len__(self) -> int:
        return len(self.raw_binaries) + len(self.raw_sources)

    def binary(self, name: str) -> Binary | None:
        """The binary package ``name`` of a ``Packages`` index."""
        found = self.raw_binaries.get(name.encode())
        if found is None:
            return None
        version = self._text(name, found[0], version=True)
        source, source_version = name, version
        if found[1]:
            written = self._text(name, found[1])
            match = _SOURCE_FIELD.match(written)
            if match is None:
                raise FileError(f'{self.path}: package {name}: not a source package: {written!r}')
            source = match.group(1)
            if match.group(2):
                source_version = self._text(name, match.group(2).encode(), version=True)
        return Binary(name, version, source, source_version)

    def source(self, name: str) -> Source | None:
        """The source package ``name`` of a ``Sources`` index."""
        found = self.raw_sources.get(name.encode())
        if found is None:
            return None
        version = self._text(name, found[0], version=True)
        binaries = tuple(b for b in _COMMAS.split(self._text(name, found[1])) if b)
        return Source(name, version, binaries)

    def built_from(self, source: str) -> list[Binary]:
        """The binaries of a ``Packages`` index built from ``source``."""
        names = self._built_from.get(source.encode(), [])
        return [b for n in names if (b := self.binary(n.decode())) is not None]

    def source_building(self, binary: str) -> Source | None:
        """The source package of a ``Sources`` index that builds
        ``binary`` (the newest, when several do)."""
        best: Source | None = None
        for name in self._source_of.get(binary.encode(), []):
            source = self.source(name.decode())
            if source is not None and (
                best is None or debian.compare(source.version, best.version) > 0
            ):
                best = source
        return best

    @functools.cached_property
    def _built_from(self) -> dict[bytes, list[bytes]]:
        found: dict[bytes, list[bytes]] = {}
        for name, (_, source) in self.raw_binaries.items():
            key = source.split(None, 1)[0] if source.strip() else name
            found.setdefault(key, []).append(name)
        return found

    @functools.cached_property
    def _source_of(self) -> dict[bytes, list[bytes]]:
        found: dict[bytes, list[bytes]] = {}
        for name, (_, binaries) in self.raw_sources.items():
            for binary in _COMMAS_BYTES.split(binaries):
                if binary:
                    found.setdefault(binary, []).append(name)
        return found

    def _text(self, name: str, raw: bytes, version: bool = False) -> str:
        try:
            text = raw.decode('utf-8').strip()
        except UnicodeDecodeError:
            raise FileError(f'{self.path}: package {name}: not UTF-8 text') from None
        if version:
            try:
                debian.split(text)
            except debian.VersionError as err:
                raise FileError(f'{self.path}: package {name}: {err}') from None
        return text


#: One pass over an index: a blank line (no name), or a field the reader
#: wants (its name; its value, with continuation lines).
_FIELD = re.compile(
    rb'\n(?:[ \t]*(?=\n)|((?i:package|source|version|binary)):[ \t]*'
    rb'([^\n]*(?:\n[ \t][^\n]*)*))'
)
_SOURCE_FIELD = re.compile(r'(\S+)(?:\s*\(\s*(\S+)\s*\))?\s*$')
_COMMAS = re.compile(r'[,\s]+')
_COMMAS_BYTES = re.compile(rb'[,\s]+')


def read_index(path: str | os.PathLike[str]) -> Index:
    """The packages of the index file ``path``, plain or compressed."""
    return parse_index(compression.pieces(path), str(path))


def parse_index(pieces: bytes | Iterable[bytes], label: str) -> Index:
    """The packages of an index's (uncompressed) bytes, whole or in
    pieces; ``label`` names it in errors. Of a package listed twice, the
    newest version is kept."""
    reader = _Reader(Index(label))
    for piece in [pieces] if isinstance(pieces, bytes) else pieces:
        reader.feed(piece)
    return reader.close()


class _Reader:
    """Whole stanzas read as the pieces of an index come: each piece up
    to its last blank line, the rest with the next piece."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.pending = b''
        #: Lines read before the pending text (for the places of errors).
        self.lines = 0
        self.text = False

    def feed(self, piece: bytes) -> None:
        text = self.pending + piece if self.pending else piece
        cut = text.rfind(b'\n\n')
        if cut < 0:
            self.pending = text
            return
        self._read(text[: cut + 1])
        self.lines += 1  # the blank line
        self.pending = text[cut + 2 :]

    def close(self) -> Index:
        self._read(self.pending)
        self.pending = b''
        index = self.index
        if not index.raw_binaries and not index.raw_sources and self.text:
            raise FileError(
                f'{index.path}: not a Debian Packages or Sources index (no Package field)'
            )
        return index

    def _read(self, part: bytes) -> None:
        text = b'\n' + part + b'\n\n'  # each field after a newline; a last blank
        binaries, sources = self.index.raw_binaries, self.index.raw_sources
        fields: dict[bytes, bytes] = {}
        stanza = 0
        for name, value in _FIELD.findall(text):
            if name:
                name = name.lower()
                if name in fields:
                    self._fail(
                        text,
                        stanza,
                        name,
                        'given twice in one stanza (a blank line missing?)',
                        occurrence=2,
                    )
                fields[name] = value
                continue
            if not fields:
                continue
            package = fields.get(b'package')
            version = fields.get(b'version')
            if package is None or version is None:
                self._fail(
                    text,
                    stanza,
                    b'package' if package is None else b'version',
                    'missing from a stanza',
                )
            package = package.strip()
            if b'binary' in fields:
                entry = (version, fields[b'binary'])
                table = sources
            else:
                entry = (version, fields.get(b'source', b''))
                table = binaries
            known = table.get(package)
            if known is None or self._newer(text, stanza, version, known[0]):
                table[package] = entry
            fields = {}
            stanza += 1
        self.text = self.text or bool(part.strip())
        self.lines += part.count(b'\n')

    def _newer(self, text: bytes, stanza: int, version: bytes, known: bytes) -> bool:
        try:
            return debian.compare(version.decode('utf-8'), known.decode('utf-8')) > 0
        except (UnicodeDecodeError, debian.VersionError) as err:
            self._fail(text, stanza, b'version', str(err))

    def _fail(
        self, text: bytes, stanza: int, field: bytes, message: str, occurrence: int = 1
    ) -> NoReturn:
        """Raise the error of stanza number ``stanza`` (from 0) of
        ``text``, placed at the ``occurrence``-th line of ``field`` in
        it, else at its first line (found again: errors are rare, the one
        pass keeps no places)."""
        seen, inside, place, count = 0, False, 0, 0
        for match in _FIELD.finditer(text):
            name = match.group(1)
            if name is None:
                seen, inside = seen + inside, False
                continue
            if seen == stanza:
                if not inside:
                    place = match.start()
                if name.lower() == field:
                    count += 1
                    if count == occurrence:
                        place = match.start()
                        break
            inside = True
        line = self.lines + text.count(b'\n', 0, place + 1)
        raise FileError(f'{self.index.path}:{line}: {field.decode().capitalize()} {message}')
