"""Dependencies of a source distribution, read without building it.

A release that offers only an sdist (for some Python) tells its
dependencies in the sdist itself: ``PKG-INFO`` (static per PEP 643 from
Metadata-Version 2.2 unless ``Requires-Dist`` is listed as ``Dynamic``;
older files often carry ``Requires-Dist`` all the same), or setuptools'
``*.egg-info/requires.txt``. The index may offer them too: a PEP 658/714
``.metadata`` file, or a JSON API whose ``info`` describes the latest
release. Reading them needs no build backend, no compiler and no system
library; :func:`read_sdist` stops reading an sdist once it has what it
needs, so a big one is seldom downloaded whole.

What is learnt is kept in a :class:`Store` (a file of its own in the uv
cache directory): a published file never changes, so its metadata is read
once per cache.
"""

from __future__ import annotations

import dataclasses
import email.parser
import functools
import gzip
import html.parser
import http.client
import io
import json
import os
import re
import struct
import tarfile
import threading
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

from packaging.utils import canonicalize_name
from packaging.version import Version

from openstack_requirements.errors import RequirementsError
from openstack_requirements.model.versions import parse_version as _version

#: Where metadata is read from, as said on stderr.
STATIC = 'PKG-INFO, static (PEP 643)'
PKG_INFO = 'PKG-INFO'
EGG_INFO = 'egg-info requires.txt'
INDEX_METADATA = "the index's .metadata file"
INDEX_JSON = "the index's JSON API"
UNDECLARED = 'PKG-INFO, which declares no dependencies'

_SDIST_SUFFIXES = ('.tar.gz', '.tgz', '.tar.bz2', '.tar.xz', '.zip', '.tar')


class MetadataError(RequirementsError):
    """An sdist whose dependencies cannot be read without building it."""


@dataclasses.dataclass(frozen=True)
class Metadata:
    """What a resolver needs of one release."""

    name: str  # as the metadata spells it
    version: str
    requires_dist: tuple[str, ...] = ()
    requires_python: str | None = None
    provides_extras: tuple[str, ...] = ()
    source: str = PKG_INFO

    @property
    def key(self) -> str:
        return canonicalize_name(self.name)

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Metadata:
        return cls(data['name'], data['version'],
                   tuple(data.get('requires_dist') or ()),
                   data.get('requires_python') or None,
                   tuple(data.get('provides_extras') or ()),
                   data.get('source', PKG_INFO))

    def toml(self) -> str:
        """A ``[[dependency-metadata]]`` table of a uv settings file."""
        lines = ['[[dependency-metadata]]',
                 f'name = {json.dumps(self.name)}',
                 f'version = {json.dumps(self.version)}',
                 'requires-dist = [' + ', '.join(
                     json.dumps(r) for r in self.requires_dist) + ']']
        if self.requires_python:
            lines.append(f'requires-python = {json.dumps(self.requires_python)}')
        if self.provides_extras:
            lines.append('provides-extras = [' + ', '.join(
                json.dumps(e) for e in self.provides_extras) + ']')
        return '\n'.join(lines) + '\n'


# -- reading metadata files ---------------------------------------------------

def parse_core_metadata(text: str, source: str = PKG_INFO) -> Metadata:
    """``PKG-INFO``/``METADATA`` text (RFC 822 headers) as metadata; the
    source says ``static`` when PEP 643 makes ``Requires-Dist`` so."""
    headers = email.parser.HeaderParser().parsestr(text)
    name = (headers.get('Name') or '').strip()
    version = (headers.get('Version') or '').strip()
    if not name or not version:
        raise MetadataError('metadata without Name or Version')
    dynamic = {d.strip().lower() for d in headers.get_all('Dynamic') or ()}
    if source == PKG_INFO and _metadata_version(headers) >= (2, 2) and not (
            dynamic & {'requires-dist', 'requires-python'}):
        source = STATIC
    return Metadata(
        name, version,
        tuple(r.strip() for r in headers.get_all('Requires-Dist') or ()),
        (headers.get('Requires-Python') or '').strip() or None,
        tuple(e.strip() for e in headers.get_all('Provides-Extra') or ()),
        source)


def _metadata_version(headers: Any) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in
                     str(headers.get('Metadata-Version', '1.0')).split('.'))
    except ValueError:
        return (1, 0)


def requires_txt(text: str) -> tuple[list[str], list[str]]:
    """setuptools' ``requires.txt`` as ``Requires-Dist`` lines and the
    extras it names: ``[extra]``, ``[:marker]`` and ``[extra:marker]``
    sections."""
    requires: list[str] = []
    extras: list[str] = []
    extra, marker = '', ''
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith('#'):
            continue
        if line.startswith('[') and line.endswith(']'):
            extra, _, marker = line[1:-1].partition(':')
            extra, marker = extra.strip(), marker.strip()
            if extra and extra not in extras:
                extras.append(extra)
            continue
        clauses = []
        if marker:
            clauses.append(f'({marker})' if extra else marker)
        if extra:
            clauses.append(f'extra == "{extra}"')
        requires.append(line + ('; ' + ' and '.join(clauses) if clauses else ''))
    return requires, extras


def _top_member(name: str, leaf: str) -> bool:
    parts = name.strip('/').split('/')
    return len(parts) == 2 and parts[1] == leaf


def _egg_requires(name: str) -> bool:
    parts = name.strip('/').split('/')
    return (len(parts) == 3 and parts[1].endswith('.egg-info')
            and parts[2] == 'requires.txt')


def _egg_info_dir(name: str) -> bool:
    parts = name.strip('/').split('/')
    return len(parts) >= 2 and parts[1].endswith('.egg-info')


def read_sdist(stream: IO[bytes], filename: str) -> Metadata:
    """The metadata of an sdist read from ``stream``.

    A tar is read as a stream, in order, and left as soon as ``PKG-INFO``
    is static (or lists ``Requires-Dist``) and, failing that, once the
    ``egg-info`` directory has been passed; a zip is read whole.
    """
    if filename.endswith('.zip'):
        try:
            data = stream.read()
        except OSError as err:
            raise MetadataError(f'{filename}: {err}') from None
        with zipfile.ZipFile(io.BytesIO(data)) as zipped:
            found = _Found()
            for member in zipped.namelist():
                if _top_member(member, 'PKG-INFO'):
                    found.pkg_info = zipped.read(member).decode('utf-8', 'replace')
                elif _egg_requires(member):
                    found.requires = zipped.read(member).decode('utf-8', 'replace')
                elif _egg_info_dir(member):
                    found.egg_info = True
            return found.result(filename)
    found = _Found()
    try:
        archive: tarfile.TarFile
        if filename.endswith(('.tar.gz', '.tgz')):
            archive = tarfile.open(fileobj=stream, mode='r|gz')
        else:
            archive = tarfile.open(fileobj=stream, mode='r|*')
        with archive:
            for entry in archive:
                if _top_member(entry.name, 'PKG-INFO') and entry.isfile():
                    found.pkg_info = _read_member(archive, entry)
                    if found.enough():
                        break
                elif _egg_requires(entry.name) and entry.isfile():
                    found.requires = _read_member(archive, entry)
                elif _egg_info_dir(entry.name):
                    found.egg_info = True
                elif found.egg_info and found.pkg_info is not None:
                    break  # past the egg-info directory
    except (tarfile.TarError, EOFError, OSError, zlib.error) as err:
        # Cut short: only what is complete without the rest will do.
        if found.pkg_info is None or not (found.enough() or found.requires):
            raise MetadataError(f'{filename}: unreadable sdist ({err})') from None
    return found.result(filename)


def _read_member(archive: tarfile.TarFile, member: tarfile.TarInfo) -> str:
    handle = archive.extractfile(member)
    if handle is None:
        return ''
    return handle.read().decode('utf-8', 'replace')


class _Found:
    def __init__(self) -> None:
        self.pkg_info: str | None = None
        self.requires: str | None = None
        self.egg_info = False

    def enough(self) -> bool:
        if self.pkg_info is None:
            return False
        parsed = parse_core_metadata(self.pkg_info)
        return parsed.source == STATIC or bool(parsed.requires_dist)

    def result(self, filename: str) -> Metadata:
        if self.pkg_info is None:
            raise MetadataError(f'{filename}: no PKG-INFO in the sdist')
        parsed = parse_core_metadata(self.pkg_info)
        if parsed.source == STATIC or parsed.requires_dist:
            return parsed
        if self.requires is not None:
            requires, extras = requires_txt(self.requires)
            return dataclasses.replace(
                parsed, requires_dist=tuple(requires),
                provides_extras=tuple(dict.fromkeys(
                    (*parsed.provides_extras, *extras))),
                source=EGG_INFO)
        if self.egg_info:  # setuptools wrote no requires.txt: none
            return parsed
        # Nothing declared, and no egg-info to tell: none, unless the
        # index knows better (see Index.metadata).
        return dataclasses.replace(parsed, source=UNDECLARED)


# -- the index ------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class DistFile:
    """One file of a project on an index or in a find-links directory."""

    filename: str
    url: str
    version: str
    wheel_tags: frozenset[str] | None  # None: an sdist
    requires_python: str | None = None
    yanked: bool = False
    core_metadata: bool = False
    size: int | None = None

    @property
    def is_sdist(self) -> bool:
        return self.wheel_tags is None


@functools.lru_cache(maxsize=4096)
def _canonical(name: str) -> str:
    return canonicalize_name(name)


def dist_file(filename: str, url: str, name: str, **extra: Any
              ) -> DistFile | None:
    """A :class:`DistFile` for ``filename`` if it is a wheel or an sdist of
    project ``name`` (read by hand: an index page of thousands of files
    is read in milliseconds, where parsing each name fully takes
    seconds)."""
    key = _canonical(name)
    if filename.endswith('.whl'):
        parts = filename[:-4].split('-')
        if len(parts) not in (5, 6) or _canonical(parts[0]) != key:
            return None
        version, pythons, abis, platforms = parts[1], *parts[-3:]
        if _version(version) is None:
            return None
        tags = frozenset(f'{p}-{a}-{pl}' for p in pythons.split('.')
                         for a in abis.split('.') for pl in platforms.split('.'))
        return DistFile(filename, url, version, tags, **extra)
    for suffix in _SDIST_SUFFIXES:
        if filename.endswith(suffix):
            project, _, version = filename[:-len(suffix)].rpartition('-')
            if not project or _canonical(project) != key or _version(version) is None:
                return None
            return DistFile(filename, url, version, None, **extra)
    return None


class _Anchors(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == 'a':
            self.links.append(dict(attrs))


def parse_page(body: bytes, content_type: str, url: str, name: str
               ) -> list[DistFile]:
    """The files a PEP 503 (HTML) or PEP 691 (JSON) project page lists."""
    files = []
    if 'json' in content_type:
        for item in json.loads(body).get('files', ()):
            href = item['url']
            if not href.startswith(('https://', 'http://')):
                href = urllib.parse.urljoin(url, href)
            found = dist_file(
                item['filename'], href, name,
                requires_python=item.get('requires-python') or None,
                yanked=bool(item.get('yanked')),
                size=item.get('size') if isinstance(item.get('size'), int) else None,
                core_metadata=bool(item.get('core-metadata')
                                   or item.get('dist-info-metadata')))
            if found is not None:
                files.append(found)
        return files
    parser = _Anchors()
    parser.feed(body.decode('utf-8', 'replace'))
    for attrs in parser.links:
        href = attrs.get('href')
        if not href:
            continue
        full = urllib.parse.urljoin(url, href)
        filename = urllib.parse.unquote(
            urllib.parse.urlsplit(full).path.rsplit('/', 1)[-1])
        metadata = attrs.get('data-core-metadata') or attrs.get(
            'data-dist-info-metadata')
        found = dist_file(
            filename, full, name,
            requires_python=attrs.get('data-requires-python') or None,
            yanked='data-yanked' in attrs,
            core_metadata=bool(metadata) and metadata != 'false')
        if found is not None:
            files.append(found)
    return files


def local_files(directory: str, name: str) -> list[DistFile]:
    """The files of project ``name`` in a find-links directory."""
    place = Path(directory)
    if not place.is_dir():
        return []
    files = []
    for entry in sorted(place.iterdir()):
        found = dist_file(entry.name, entry.resolve().as_uri(), name)
        if found is not None:
            files.append(found)
    return files


class _Http:
    """GET requests over kept-alive connections, one per thread and
    host (urllib opens a connection per request: ten times slower for
    hundreds of pages); through urllib when a proxy is configured."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.local = threading.local()
        self.proxied = bool(urllib.request.getproxies())

    def get(self, url: str, headers: Mapping[str, str]
            ) -> tuple[int, Mapping[str, str], bytes, str]:
        """``(status, headers, body, final url)``."""
        headers = {'User-Agent': 'openstack-requirements', **headers}
        for _ in range(5):  # redirects
            parts = urllib.parse.urlsplit(url)
            if self.proxied or parts.scheme not in ('http', 'https'):
                return self._urllib(url, headers)
            path = parts.path + (f'?{parts.query}' if parts.query else '')
            try:
                response = self._request(parts, path, headers)
            except (OSError, http.client.HTTPException) as err:
                raise MetadataError(f'{url}: {err}') from None
            body = response.read()
            if response.status in (301, 302, 303, 307, 308):
                url = urllib.parse.urljoin(url, response.getheader('Location', ''))
                continue
            found = {k.lower(): v for k, v in response.getheaders()}
            if found.get('content-encoding') == 'gzip':
                body = gzip.decompress(body)
            return response.status, found, body, url
        raise MetadataError(f'{url}: too many redirects')

    def _request(self, parts: urllib.parse.SplitResult, path: str,
                 headers: Mapping[str, str]) -> http.client.HTTPResponse:
        connections = getattr(self.local, 'connections', None)
        if connections is None:
            connections = self.local.connections = {}
        key = (parts.scheme, parts.netloc)
        for attempt in range(2):
            connection = connections.get(key)
            if connection is None:
                kind = (http.client.HTTPSConnection if parts.scheme == 'https'
                        else http.client.HTTPConnection)
                connection = connections[key] = kind(parts.netloc,
                                                     timeout=self.timeout)
            try:
                connection.request('GET', path, headers=dict(headers))
                return connection.getresponse()
            except (OSError, http.client.HTTPException):
                connection.close()
                del connections[key]
                if attempt:
                    raise
        raise AssertionError('unreachable')

    def _urllib(self, url: str, headers: Mapping[str, str]
                ) -> tuple[int, Mapping[str, str], bytes, str]:
        request = urllib.request.Request(url, headers=dict(headers))
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                found = {k.lower(): v for k, v in response.headers.items()}
                body = _body(response)
                return response.status, found, body, response.geturl()
        except urllib.error.HTTPError as err:
            return err.code, {}, b'', url
        except (urllib.error.URLError, OSError, ValueError) as err:
            raise MetadataError(f'{url}: {err}') from None


class Index:
    """Reads pages, metadata files and sdists of one resolution's
    package sources (an index URL and find-links directories)."""

    def __init__(self, index_url: str | None, find_links: Iterable[str] = (),
                 timeout: float = 60) -> None:
        self.index_url = index_url.rstrip('/') if index_url else None
        self.find_links = tuple(find_links)
        self.timeout = timeout
        #: Bytes read from the network, for -v.
        self.bytes_read = 0
        self._lock = threading.Lock()
        self._pages: dict[str, list[DistFile]] = {}
        self.http = _Http(timeout)

    def _count(self, size: int) -> None:
        with self._lock:
            self.bytes_read += size

    def files(self, name: str) -> list[DistFile]:
        """Every file of project ``name`` (read once per run)."""
        key = canonicalize_name(name)
        with self._lock:
            if key in self._pages:
                return self._pages[key]
        found: list[DistFile] = []
        for directory in self.find_links:
            found += local_files(directory, key)
        if self.index_url:
            status, headers, body, url = self.http.get(
                f'{self.index_url}/{key}/',
                {'Accept': 'application/vnd.pypi.simple.v1+json, '
                           'text/html;q=0.1', 'Accept-Encoding': 'gzip'})
            self._count(len(body))
            if status == 200:
                found += parse_page(body, headers.get('content-type', ''),
                                    url, key)
            elif status != 404:
                raise MetadataError(f'{url}: HTTP {status}')
        with self._lock:
            self._pages[key] = found
        return found

    def metadata(self, file: DistFile, budget: int | None = None) -> Metadata:
        """The metadata of an sdist: its ``.metadata`` file if the index
        offers one, the index's JSON API if it describes that release,
        else the sdist's own files (reading no more than ``budget`` bytes
        of it, if given)."""
        if file.core_metadata:
            url = file.url.split('#', 1)[0] + '.metadata'
            status, _, body, _ = self.http.get(url, {})
            self._count(len(body))
            if status != 200:
                raise MetadataError(f'{url}: HTTP {status}')
            return parse_core_metadata(body.decode('utf-8', 'replace'),
                                       INDEX_METADATA)
        url = file.url.split('#', 1)[0]
        if url.startswith('file:'):
            path = urllib.request.url2pathname(urllib.parse.urlsplit(url).path)
            with open(path, 'rb') as handle:
                return read_sdist(handle, file.filename)
        # The sdist's own PKG-INFO first (it names the release as
        # installed), if it comes within the first megabyte; else the
        # index's JSON API; else the whole sdist (unless ``budget``).
        first = FIRST_READ if budget is None else min(budget, FIRST_READ)
        found: Metadata | None = None
        try:
            found = self._read_sdist(url, file.filename, first)
        except MetadataError:
            pass
        if found is not None and found.source != UNDECLARED:
            return found
        from_json = self._json_api(file)
        if from_json is not None:
            if found is not None:  # its name as the sdist spells it
                from_json = dataclasses.replace(from_json, name=found.name)
            return from_json
        if found is not None:
            return found
        if budget is not None and budget <= first:
            raise MetadataError(f'{file.filename}: no PKG-INFO in the first '
                                f'{budget} bytes')
        return self._read_sdist(url, file.filename, budget)

    def _read_sdist(self, url: str, filename: str, budget: int | None
                    ) -> Metadata:
        reader = _RangeReader(self.http, url, budget, self._count)
        with io.BufferedReader(reader, 65536) as stream:
            return read_sdist(stream, filename)

    def wheel_name(self, url: str) -> str | None:
        """The ``Name`` field of a wheel's metadata, reading as little
        of the wheel as the server lets: its ``.metadata`` file is not
        known to exist here, so the zip's directory and then the one
        member, by range requests."""
        try:
            text = self._wheel_metadata(url.split('#', 1)[0])
        except (MetadataError, zipfile.BadZipFile, zlib.error, ValueError,
                OSError, struct.error):
            return None
        if text is None:
            return None
        name = email.parser.HeaderParser().parsestr(text).get('Name')
        return name.strip() if name else None

    def _range(self, url: str, start: int | None, end: int | None
               ) -> tuple[bytes, int | None]:
        """Bytes ``start..end`` (``start`` None: the last ``end``
        bytes) and the file's size, or the whole file if the server
        ignores ranges."""
        spec = f'bytes=-{end}' if start is None else f'bytes={start}-{end}'
        status, headers, body, _ = self.http.get(url, {'Range': spec})
        self._count(len(body))
        total = None
        content_range = headers.get('content-range', '')
        if status == 206 and '/' in content_range:
            total = int(content_range.rsplit('/', 1)[1])
        elif status == 200:
            total = len(body)
            if start is None:
                body = body[-(end or 0):]
            else:
                body = body[start:(end or len(body)) + 1]
        else:
            raise MetadataError(f'{url}: HTTP {status}')
        return body, total

    def _wheel_metadata(self, url: str) -> str | None:
        if url.startswith('file:'):
            path = urllib.request.url2pathname(urllib.parse.urlsplit(url).path)
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    if _wheel_metadata_member(member):
                        return archive.read(member).decode('utf-8', 'replace')
            return None
        tail, total = self._range(url, None, 16384)
        if total is None:
            return None
        base = total - len(tail)
        eocd = tail.rfind(b'PK\x05\x06')
        if eocd < 0:
            return None
        cd_size, cd_offset = struct.unpack('<II', tail[eocd + 12:eocd + 20])
        if cd_offset >= base:
            directory = tail[cd_offset - base:cd_offset - base + cd_size]
        else:
            directory, _ = self._range(url, cd_offset, cd_offset + cd_size - 1)
        position = 0
        while position + 46 <= len(directory):
            if directory[position:position + 4] != b'PK\x01\x02':
                return None
            (method, csize, name_len, extra_len, comment_len,
             local) = (struct.unpack('<H', directory[position + 10:position + 12])[0],
                       struct.unpack('<I', directory[position + 20:position + 24])[0],
                       *struct.unpack('<HHH', directory[position + 28:position + 34]),
                       struct.unpack('<I', directory[position + 42:position + 46])[0])
            member = directory[position + 46:position + 46 + name_len].decode(
                'utf-8', 'replace')
            position += 46 + name_len + extra_len + comment_len
            if not _wheel_metadata_member(member):
                continue
            # the local header: 30 bytes, its name and its own extra field
            need_end = local + 30 + name_len + 1024 + csize
            if local >= base and need_end <= total:
                chunk = tail[local - base:]
            else:
                chunk, _ = self._range(url, local, min(need_end, total) - 1)
            local_name, local_extra = struct.unpack('<HH', chunk[26:30])
            data = chunk[30 + local_name + local_extra:
                         30 + local_name + local_extra + csize]
            if method == 8:
                data = zlib.decompressobj(-15).decompress(data)
            elif method != 0:
                return None
            return data.decode('utf-8', 'replace')
        return None

    def _json_api(self, file: DistFile) -> Metadata | None:
        """The index's JSON API (``/pypi/NAME/json``), when its ``info``
        is that very release and lists its dependencies."""
        if not self.index_url or not self.index_url.endswith('/simple'):
            return None
        name = canonicalize_name(file.filename.split('-', 1)[0])
        base = self.index_url[:-len('/simple')]
        try:
            status, _, body, _ = self.http.get(f'{base}/pypi/{name}/json', {})
            self._count(len(body))
            if status != 200:
                return None
            info = json.loads(body)['info']
        except (MetadataError, ValueError, KeyError, TypeError):
            return None
        if (not isinstance(info, dict)
                or Version(str(info.get('version'))) != Version(file.version)
                or not isinstance(info.get('requires_dist'), list)
                or not info['requires_dist']
                or 'Requires-Dist' in (info.get('dynamic') or ())):
            return None
        return Metadata(
            str(info['name']), file.version,
            tuple(str(r) for r in info['requires_dist']),
            info.get('requires_python') or None,
            tuple(info.get('provides_extra') or ()), INDEX_JSON)


def _wheel_metadata_member(member: str) -> bool:
    parts = member.split('/')
    return (len(parts) == 2 and parts[0].endswith('.dist-info')
            and parts[1] == 'METADATA')


def _body(response: Any) -> bytes:
    data = response.read()
    if response.headers.get('Content-Encoding') == 'gzip':
        data = gzip.decompress(data)
    return bytes(data)


#: How much of an sdist is read for its PKG-INFO before asking the index.
FIRST_READ = 1 << 20


class _RangeReader(io.RawIOBase):
    """A remote file read front to back in growing ranged requests over a
    kept-alive connection, so a reader that stops early (PKG-INFO found)
    costs what it read; ``budget`` bounds the bytes read."""

    def __init__(self, client: _Http, url: str, budget: int | None,
                 count: Any) -> None:
        self.client, self.url, self.budget, self.count = client, url, budget, count
        self.position = 0
        self.total: int | None = None
        self.buffer = b''
        self.chunk = 262144

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        if not self.buffer:
            if self.total is not None and self.position >= self.total:
                return 0
            if self.budget is not None and self.position >= self.budget:
                raise OSError('read-ahead budget spent')
            end = self.position + self.chunk - 1
            status, headers, body, _ = self.client.get(
                self.url, {'Range': f'bytes={self.position}-{end}'})
            self.count(len(body))
            if status == 206:
                self.total = int(headers.get('content-range', '/0').rsplit('/', 1)[1])
            elif status == 200:  # no ranges: the whole file
                body = body[self.position:]
                self.total = self.position + len(body)
            elif status == 416:
                return 0
            else:
                raise OSError(f'{self.url}: HTTP {status}')
            self.buffer = body
            self.chunk = min(self.chunk * 2, 4 << 20)
            if not body:
                return 0
        size = min(len(target), len(self.buffer))
        target[:size] = self.buffer[:size]
        self.buffer = self.buffer[size:]
        self.position += size
        return size


# -- the store --------------------------------------------------------------------

class Store:
    """Metadata learnt from sdists, by file URL, kept between runs in
    ``path`` (None: for this run only)."""

    VERSION = 1

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._entries: dict[str, Metadata] = {}
        #: Projects whose index page was read ahead by an earlier run.
        self._scanned: set[str] = set()
        #: The ``Name`` a wheel's metadata spells, by the wheel's URL.
        self._names: dict[str, str] = {}
        self._dirty = False
        #: The file's text as read (None: there was none).
        self._text: str | None = None
        if path is not None and path.is_file():
            from openstack_requirements.ops import files

            try:
                self._text = files.read_text(path)
                data = json.loads(self._text)
                if data.get('version') == self.VERSION:
                    self._entries = {k: Metadata.from_json(v)
                                     for k, v in data['entries'].items()}
                    self._names = dict(data.get('names', {}))
                    self._scanned = set(data.get('scanned', ()))
            except (RequirementsError, ValueError, KeyError, TypeError):
                self._entries, self._names = {}, {}  # a cache: start again
                self._scanned = set()

    def scanned(self) -> set[str]:
        with self._lock:
            return set(self._scanned)

    def sdist_names(self) -> set[str]:
        """Projects with sdist-only releases read before."""
        with self._lock:
            return {m.key for m in self._entries.values()}

    def mark_scanned(self, names: Iterable[str]) -> None:
        with self._lock:
            self._scanned.update(names)
            self._dirty = True

    def name(self, url: str) -> str | None:
        with self._lock:
            return self._names.get(_url_key(url))

    def put_name(self, url: str, name: str) -> None:
        with self._lock:
            self._names[_url_key(url)] = name
            self._dirty = True

    def get(self, url: str) -> Metadata | None:
        with self._lock:
            return self._entries.get(_url_key(url))

    def put(self, url: str, metadata: Metadata) -> None:
        with self._lock:
            self._entries[_url_key(url)] = metadata
            self._dirty = True

    def entries(self) -> list[Metadata]:
        """One entry per release (the first learnt)."""
        with self._lock:
            seen: dict[tuple[str, str], Metadata] = {}
            for metadata in self._entries.values():
                seen.setdefault((metadata.key, metadata.version), metadata)
            return sorted(seen.values(), key=lambda m: (m.key, m.version))

    def save(self) -> None:
        if self.path is None or not self._dirty:
            return
        from openstack_requirements.ops import files

        with self._lock:
            text = json.dumps({
                'version': self.VERSION,
                'entries': {k: v.as_json() for k, v in
                            sorted(self._entries.items())},
                'names': dict(sorted(self._names.items())),
                'scanned': sorted(self._scanned)}, indent=0)
            self._dirty = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        changes = files.Changeset()
        changes.add(self.path, self._text, text + '\n')
        try:
            changes.write()
        except RequirementsError:
            pass  # another run saved it meanwhile: a cache, keep theirs


def _url_key(url: str) -> str:
    """A file's URL without its fragment; a local file by path, size and
    modification time (a rebuilt local sdist is read again)."""
    bare = url.split('#', 1)[0]
    if bare.startswith('file:'):
        path = urllib.request.url2pathname(urllib.parse.urlsplit(bare).path)
        try:
            stat = os.stat(path)
        except OSError:
            return bare
        return f'{bare}?{stat.st_size}:{stat.st_mtime_ns}'
    return bare


def compatible(file: DistFile, tags: frozenset[str]) -> bool:
    return file.wheel_tags is not None and bool(file.wheel_tags & tags)


def target_tags(python: str) -> frozenset[str]:
    """The wheel tags CPython ``X.Y`` accepts on this platform."""
    from packaging import tags

    major, minor = (int(p) for p in python.split('.')[:2])
    platforms = list(tags.platform_tags())
    found = set(tags.cpython_tags((major, minor), platforms=platforms))
    found |= set(tags.compatible_tags((major, minor), f'cp{major}{minor}',
                                      platforms=platforms))
    return frozenset(str(t) for t in found)


def sdist_only_versions(files: Iterable[DistFile], tags: frozenset[str]
                        ) -> list[tuple[Version, DistFile]]:
    """The releases with an sdist and no wheel for ``tags``, newest
    first, with their sdist."""
    by_version: dict[Version, list[DistFile]] = {}
    for file in files:
        if file.yanked:
            continue
        version = _version(file.version)
        if version is not None:
            by_version.setdefault(version, []).append(file)
    found = []
    for version in sorted(by_version, reverse=True):
        group = by_version[version]
        if any(compatible(f, tags) for f in group):
            continue
        sdists = [f for f in group if f.is_sdist]
        if sdists:
            sdists.sort(key=lambda f: (not f.filename.endswith('.tar.gz'),
                                       f.filename))
            found.append((version, sdists[0]))
    return found


#: An sdist this big costs a resolver dearly to download and unpack (salt:
#: 76 MB, unpacking to 300): reach further back among such releases.
BIG_SDIST = 2_000_000


def read_ahead_candidates(files: Iterable[DistFile],
                          targets: Iterable[tuple[frozenset[str], str]],
                          count: int, big_count: int | None = None
                          ) -> list[DistFile]:
    """The sdists a resolver may want the metadata of: for each target
    (its wheel tags, its release), the newest ``count`` final releases it
    accepts (``Requires-Python``) that have no wheel for it, newer than
    its newest release with a wheel; ``big_count`` of them when the
    newest sdist is big (a resolver backtracking through a package
    offering only sdists would download each)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    files = list(files)
    chosen: dict[str, DistFile] = {}
    for tags, release in targets:
        def accepts(file: DistFile, release: str = release) -> bool:
            if not file.requires_python:
                return True
            try:
                return SpecifierSet(file.requires_python).contains(
                    release, prereleases=True)
            except InvalidSpecifier:
                return True

        with_wheel = [_version(f.version) for f in files
                      if compatible(f, tags) and not f.yanked and accepts(f)]
        newest_wheel = max((v for v in with_wheel if v is not None),
                           default=None)
        taken = 0
        limit = count
        for version, sdist in sdist_only_versions(files, tags):
            if not taken and (sdist.size or 0) > BIG_SDIST:
                limit = max(count, big_count or count)
            if taken >= limit or (newest_wheel is not None
                                  and version < newest_wheel):
                break
            if version.is_prerelease or not accepts(sdist):
                continue
            taken += 1
            chosen.setdefault(sdist.url, sdist)
    return list(chosen.values())


_BUILD_FAILURE = re.compile(
    r'Failed to (?:download and )?build `([A-Za-z0-9._-]+)==([^`\s]+)`')


def build_failure(stderr: str) -> tuple[str, str] | None:
    """``(name, version)`` of the sdist uv failed to build, if that is why
    it failed."""
    match = _BUILD_FAILURE.search(stderr)
    return (match.group(1), match.group(2)) if match else None
