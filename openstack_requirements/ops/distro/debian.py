"""Debian package indexes and version numbers, read as apt and dpkg read
them.

An index is a deb822 file: stanzas separated by blank lines (a line of
spaces and tabs is blank too), each a series of ``Field: value`` lines
whose value may go on over lines that start with a space or a tab; field
names are case-insensitive. A ``Packages`` index holds a stanza per
binary package: ``Package``, ``Version``, and ``Source`` when its source
package has another name, written ``Source: NAME (VERSION)`` when it has
another version too (a binary-only rebuild: ``1.2-3+b1`` built from
``1.2-3``). A ``Sources`` index holds a stanza per source package, whose
``Binary`` field lists the binary packages it builds. Those four fields
are all that is read.

An index is read plain or compressed as apt serves and stores it: gzip,
xz and bzip2 here; lz4 and zstd (apt keeps its lists so on Debian images)
through the ``lz4`` or ``zstd`` program, else apt's own ``apt-helper
cat-file``. The compression is told by the first bytes, not by the name.

Versions compare as dpkg compares them (:func:`compare`, :func:`sort_key`)
and are read as Python versions (:func:`python_version`) to be set beside
the global list's.
"""

from __future__ import annotations

import bz2
import functools
import gzip
import lzma
import os
import re
import shutil
import subprocess
import zlib
from typing import NamedTuple, NoReturn

from packaging.version import Version

from openstack_requirements.errors import FileError
from openstack_requirements.model.versions import parse_version
from openstack_requirements.ops.files import read_bytes

# -- versions ---------------------------------------------------------------------


class VersionError(ValueError):
    """A version dpkg refuses."""


def split(version: str) -> tuple[int, str, str]:
    """``[EPOCH:]UPSTREAM[-REVISION]`` as ``(epoch, upstream, revision)``:
    the epoch before the first colon, the revision after the last hyphen
    (``''`` when none). Raises :class:`VersionError` where dpkg refuses the
    version (it only warns about odd characters; so does nothing here)."""
    text = version.strip()
    if not text:
        raise VersionError('empty version')
    if any(c.isspace() for c in text):
        raise VersionError(f'version {text!r} has embedded spaces')
    epoch = 0
    if ':' in text:
        head, _, text = text.partition(':')
        if not (head.isascii() and head.isdigit()):
            raise VersionError(f'epoch {head!r} of {version!r} is not a number')
        if not text:
            raise VersionError(f'nothing after the colon in {version!r}')
        epoch = int(head)
    upstream, hyphen, revision = text.rpartition('-')
    if not hyphen:
        upstream, revision = text, ''
    elif not revision:
        raise VersionError(f'empty revision in {version!r}')
    if not upstream:
        raise VersionError(f'empty upstream version in {version!r}')
    return epoch, upstream, revision


_PART = re.compile(r'(\D*)(\d*)')
#: dpkg's order of the characters outside digit runs: ``~`` before the
#: end of the part, the end before letters, letters before anything else.
_ORDER = {chr(c): (c if chr(c).isascii() and chr(c).isalpha() else c + 256)
          for c in range(128)}
_ORDER['~'] = -1
_Key = tuple[tuple[int, ...] | int, ...]


def _part_key(text: str) -> _Key:
    """A key ordering ``text`` (an upstream version or a revision) as
    dpkg's ``verrevcmp`` does: alternating non-digit runs (each ended by a
    0, the order of the end) and digit runs as numbers, then a final end;
    an empty text is as ``0``."""
    key: list[tuple[int, ...] | int] = []
    pos = 0
    while pos < len(text):
        match = _PART.match(text, pos)
        assert match is not None
        letters, digits = match.groups()
        key.append((*(_ORDER.get(c, ord(c) + 256) for c in letters), 0))
        key.append(int(digits) if digits else 0)
        pos = match.end()
    if not key:
        key = [(0,), 0]
    key.append((0,))
    return tuple(key)


@functools.lru_cache(maxsize=65536)
def sort_key(version: str) -> tuple[int, _Key, _Key]:
    """A key under which versions sort as dpkg sorts them."""
    epoch, upstream, revision = split(version)
    return epoch, _part_key(upstream), _part_key(revision)


def compare(a: str, b: str) -> int:
    """-1, 0 or 1 as ``a`` is older than, equal to, or newer than ``b``
    (``dpkg --compare-versions``)."""
    key_a, key_b = sort_key(a), sort_key(b)
    return (key_a > key_b) - (key_a < key_b)


_RELEASE = re.compile(r'\d+(?:\.\d+)*')


@functools.lru_cache(maxsize=65536)
def python_version(version: str) -> Version | None:
    """The upstream part of a Debian version as a Python version, or
    ``None`` when it reads as none.

    The epoch and the Debian revision (with a ``+b1`` rebuild suffix) are
    Debian's own; ``2.0+really1.9`` is ``1.9``; anything after ``+`` is a
    repack or a snapshot (``+dfsg``, ``+ds1``, ``+git20240101``) of the
    version before it; ``~`` marks a pre-release (``1.2~rc1`` is
    ``1.2rc1``; ``1.2~git5`` and ``1.2~20240101`` are below ``1.2``:
    ``1.2.dev0``); a version Python cannot read is read as its leading
    release numbers."""
    try:
        _, upstream, _ = split(version)
    except VersionError:
        return None
    upstream = upstream.rpartition('+really')[2].partition('+')[0]
    before, tilde, after = upstream.partition('~')
    found = parse_version(before + after if after[:1].isalpha() or not tilde
                          else '')
    if found is not None:
        return found
    release = _RELEASE.match(before)
    if release is None:
        return None
    return parse_version(release.group() + ('.dev0' if tilde else ''))


# -- reading an index --------------------------------------------------------------

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
                raise FileError(f'{self.path}: package {name}: not a source '
                                f'package: {written!r}')
            source = match.group(1)
            if match.group(2):
                source_version = self._text(name, match.group(2).encode(),
                                            version=True)
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
                    best is None or compare(source.version, best.version) > 0):
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
                split(text)
            except VersionError as err:
                raise FileError(f'{self.path}: package {name}: {err}') from None
        return text


#: One pass over an index: a blank line (no name), or a field the reader
#: wants (its name; its value, with continuation lines).
_FIELD = re.compile(
    rb'\n(?:[ \t]*(?=\n)|((?i:package|source|version|binary)):[ \t]*'
    rb'([^\n]*(?:\n[ \t][^\n]*)*))')
_SOURCE_FIELD = re.compile(r'(\S+)(?:\s*\(\s*(\S+)\s*\))?\s*$')
_COMMAS = re.compile(r'[,\s]+')
_COMMAS_BYTES = re.compile(rb'[,\s]+')


def parse_index(data: bytes, label: str) -> Index:
    """The packages of an index's (uncompressed) bytes; ``label`` names it
    in errors. Of a package listed twice, the newest version is kept."""
    text = b'\n' + data + b'\n\n'  # every field follows a newline; a last blank
    index = Index(label)
    binaries, sources = index.raw_binaries, index.raw_sources
    fields: dict[bytes, bytes] = {}
    stanza = 0
    for name, value in _FIELD.findall(text):
        if name:
            name = name.lower()
            if name in fields:
                _fail(text, label, stanza, name, 'given twice in one stanza '
                      '(a blank line missing?)', occurrence=2)
            fields[name] = value
            continue
        if not fields:
            continue
        package = fields.get(b'package')
        version = fields.get(b'version')
        if package is None or version is None:
            _fail(text, label, stanza, b'package' if package is None else b'version',
                  'missing from a stanza')
        package = package.strip()
        if b'binary' in fields:
            entry = (version, fields[b'binary'])
            table = sources
        else:
            entry = (version, fields.get(b'source', b''))
            table = binaries
        known = table.get(package)
        if known is None or _newer(text, label, stanza, version, known[0]):
            table[package] = entry
        fields = {}
        stanza += 1
    if not binaries and not sources and data.strip():
        raise FileError(f'{label}: not a Debian Packages or Sources index '
                        '(no Package field)')
    return index


def _newer(text: bytes, label: str, stanza: int, version: bytes,
           known: bytes) -> bool:
    try:
        return compare(version.decode('utf-8'), known.decode('utf-8')) > 0
    except (UnicodeDecodeError, VersionError) as err:
        _fail(text, label, stanza, b'version', str(err))


def _fail(text: bytes, label: str, stanza: int, field: bytes, message: str,
          occurrence: int = 1) -> NoReturn:
    """Raise the error of stanza number ``stanza`` (from 0), placed at the
    ``occurrence``-th line of ``field`` in it, else at its first line
    (found again: errors are rare, the one pass keeps no places)."""
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
    line = text.count(b'\n', 0, place + 1)
    raise FileError(f'{label}:{line}: {field.decode().capitalize()} {message}')


# -- compressed files --------------------------------------------------------------

#: Compressions by their first bytes: ``(magic, name, program)``; those
#: with a program are read through it.
_MAGIC = (
    (b'\x1f\x8b', 'gzip', None),
    (b'\xfd7zXZ\x00', 'xz', None),
    (b'BZh', 'bzip2', None),
    (b'\x04\x22\x4d\x18', 'lz4', 'lz4'),
    (b'\x28\xb5\x2f\xfd', 'zstd', 'zstd'),
)
APT_HELPER = '/usr/lib/apt/apt-helper'


def read_index(path: str | os.PathLike[str]) -> Index:
    """The packages of the index file ``path``, plain or compressed."""
    return parse_index(uncompressed(path), str(path))


def uncompressed(path: str | os.PathLike[str]) -> bytes:
    """The bytes of ``path``, uncompressed."""
    raw = read_bytes(path)
    for magic, kind, program in _MAGIC:
        if not raw.startswith(magic):
            continue
        if program is not None:
            return _through_program(path, kind, program)
        try:
            if kind == 'gzip':
                return gzip.decompress(raw)
            if kind == 'xz':
                return lzma.decompress(raw)
            return bz2.decompress(raw)
        except (OSError, EOFError, lzma.LZMAError, zlib.error, ValueError) as err:
            raise FileError(f'{path}: corrupt {kind} data ({err})') from None
    return raw


def _through_program(path: str | os.PathLike[str], kind: str,
                     program: str) -> bytes:
    """An lz4 or zstd file, uncompressed by its own program, else by apt
    (which tells the compression by the name's suffix)."""
    found = shutil.which(program)
    if found is not None:
        command = [found, '-dc', '--', str(path)]
    elif os.access(APT_HELPER, os.X_OK) and str(path).endswith(f'.{program}'):
        command = [APT_HELPER, 'cat-file', str(path)]
    else:
        raise FileError(
            f'{path}: {kind}-compressed; reading it needs the {program} '
            f'program or apt\'s apt-helper (for a name ending .{program})')
    try:
        done = subprocess.run(command, stdin=subprocess.DEVNULL,
                              capture_output=True, check=False)
    except OSError as err:
        raise FileError(f'{path}: cannot run {command[0]}: {err.strerror}') from None
    if done.returncode:
        reason = done.stderr.decode('utf-8', 'replace').strip().splitlines()
        raise FileError(f'{path}: corrupt {kind} data'
                        + (f' ({reason[-1]})' if reason else ''))
    return done.stdout
