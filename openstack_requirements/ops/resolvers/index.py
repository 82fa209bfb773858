"""A resolution's package sources: the index and the find-links places.

:class:`Index` lists a project's files (PEP 503 HTML or PEP 691 JSON
pages; a find-links directory, HTML file or URL), reads an sdist's
metadata (:mod:`.static`) and a wheel's ``Name``, through the bounded
client of :mod:`.http`. Sources are read as pip reads them: a local
index (``--index-url file:///srv/simple`` or a path) is a tree of
directories each holding an ``index.html``; a find-links directory
offers its files and the links of its HTML files.

A local file is read only from a source the user named as local: a
``file:`` link on a page served over HTTP is never followed, and the
release it names is refused (a resolver following it would read a file
of this machine).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import html.parser
import json
import os
import re
import stat
import sys
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from openstack_requirements.model.versions import parse_version as _version
from openstack_requirements.ops.resolvers import archive, bounds, http, static
from openstack_requirements.ops.resolvers.bounds import (
    Deadline,
    Limits,
    MetadataError,
    Refused,
)

_SDIST_SUFFIXES = ('.tar.gz', '.tgz', '.tar.bz2', '.tar.xz', '.zip', '.tar')
_HASH = re.compile(r'^(sha256|sha384|sha512|sha224|sha1|md5)=([0-9a-f]{32,128})$')
#: Tags a wheel's name may expand to (``py2.py3-none-any``: two).
_MAX_TAGS = 256
#: How much of an sdist is read for its PKG-INFO before asking the index.
FIRST_READ = 1 << 20


@dataclasses.dataclass(frozen=True, slots=True)
class DistFile:
    """One file of a project on an index or in a find-links place."""

    filename: str
    url: str
    version: str
    wheel_tags: frozenset[str] | None  # None: an sdist
    requires_python: str | None = None
    yanked: bool = False
    core_metadata: bool = False
    size: int | None = None
    #: The project, as the page or directory it is listed by names it.
    project: str = ''
    #: The source that listed it: the index URL or find-links place.
    origin: str = ''
    #: ``ALGORITHM=HEX`` as the source gives it (None: not given).
    hash: str | None = None
    #: The hash of its ``.metadata`` file, if the index gives one.
    metadata_hash: str | None = None
    #: Listed by a local source: may be read from this machine.
    local: bool = False

    @property
    def is_sdist(self) -> bool:
        return self.wheel_tags is None

    @property
    def bare_url(self) -> str:
        return self.url.split('#', 1)[0]


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
    if len(filename) > 255:
        return None
    extra.setdefault('project', key)
    if filename.endswith('.whl'):
        parts = filename[:-4].split('-')
        if len(parts) not in (5, 6) or _canonical(parts[0]) != key:
            return None
        version, pythons, abis, platforms = parts[1], *parts[-3:]
        if _version(version) is None:
            return None
        split = [pythons.split('.'), abis.split('.'), platforms.split('.')]
        if len(split[0]) * len(split[1]) * len(split[2]) > _MAX_TAGS:
            return None
        tags = frozenset(sys.intern(f'{p}-{a}-{pl}') for p in split[0]
                         for a in split[1] for pl in split[2])
        return DistFile(filename, url, version, tags, **extra)
    for suffix in _SDIST_SUFFIXES:
        if filename.endswith(suffix):
            project, _, version = filename[:-len(suffix)].rpartition('-')
            if not project or _canonical(project) != key or _version(version) is None:
                return None
            return DistFile(filename, url, version, None, **extra)
    return None


def _hash(text: str | None) -> str | None:
    if not text:
        return None
    found = _HASH.match(text.strip().lower())
    return f'{found.group(1)}={found.group(2)}' if found else None


@dataclasses.dataclass
class Page:
    """What a page lists: files, and the releases it names by a link
    that is refused (``(project, version, reason)``)."""

    files: list[DistFile] = dataclasses.field(default_factory=list)
    refused: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)


class _Collector:
    """Turns a page's links into the files of one project, keeping what
    is kept and refusing what must not be followed."""

    def __init__(self, url: str, name: str, origin: str, local: bool,
                 limits: Limits, keep: Any = None, reserve: Any = None) -> None:
        self.url, self.name, self.origin, self.local = url, name, origin, local
        self.limits, self.keep, self.reserve = limits, keep, reserve
        self.page = Page()
        self.seen = 0

    def add(self, href: str, filename: str | None, **extra: Any) -> None:
        full = urllib.parse.urljoin(self.url, href.strip())
        parts = urllib.parse.urlsplit(full)
        if filename is None:
            filename = urllib.parse.unquote(parts.path.rsplit('/', 1)[-1])
        extra.setdefault('hash', _hash(parts.fragment))
        found = dist_file(filename, full, self.name, origin=self.origin,
                          local=self.local and parts.scheme == 'file', **extra)
        if found is None:
            return
        if parts.scheme not in ('http', 'https') and not (
                self.local and parts.scheme == 'file'):
            self.page.refused.append((found.project, found.version, (
                f'the page {self.url} links it as {full[:200]}: a '
                f'{parts.scheme or "relative"} link on a remote page is not '
                'followed')))
            return
        self.seen += 1
        if self.seen > self.limits.page_files:
            raise Refused(f'more than {self.limits.page_files} files listed',
                          self.url)
        if found.wheel_tags is not None and self.keep is not None and not (
                found.wheel_tags & self.keep):
            return  # a wheel for none of the targets
        if self.reserve is not None:
            self.reserve(1)  # refused past the run's limit
        self.page.files.append(found)


class _Anchors(html.parser.HTMLParser):
    def __init__(self, collector: _Collector) -> None:
        super().__init__()
        self.collector = collector

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != 'a':
            return
        found = dict(attrs)
        href = found.get('href')
        if not href:
            return
        metadata = (found.get('data-core-metadata')
                    or found.get('data-dist-info-metadata'))
        self.collector.add(
            href, None,
            requires_python=found.get('data-requires-python') or None,
            yanked='data-yanked' in found,
            core_metadata=bool(metadata) and metadata != 'false',
            metadata_hash=_hash(metadata))


_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')


def load_json(body: bytes, limits: Limits, url: str) -> Any:
    """A JSON document, refused if it would cost too much memory (more
    than :attr:`Limits.json_values` values) or cannot be read."""
    try:
        text = body.decode('utf-8')
    except UnicodeDecodeError:
        raise Refused('a JSON document that is not UTF-8', url) from None
    bare = _STRINGS.sub('', text)
    values = sum(bare.count(c) for c in ',:[{')
    del bare
    if values > limits.json_values:
        raise Refused(f'a JSON document of more than {limits.json_values} '
                      'values', url)
    try:
        return json.loads(text)
    except RecursionError:
        raise Refused('a JSON document nested too deep', url) from None
    except ValueError as err:
        raise Refused(f'not valid JSON ({str(err)[:200]})', url) from None


def parse_page(body: bytes, content_type: str, url: str, name: str,
               origin: str = '', local: bool = False,
               limits: Limits | None = None, keep: Any = None,
               reserve: Any = None) -> Page:
    """The files a PEP 503 (HTML) or PEP 691 (JSON) project page lists.
    ``keep``: the wheel tags wanted (None: every wheel); ``reserve(n)``
    is called for each file kept (it raises past a run's limit)."""
    limits = limits or bounds.DEFAULT
    collector = _Collector(url, name, origin, local, limits, keep, reserve)
    if 'json' in content_type.lower():
        document = load_json(body, limits, url)
        items = document.get('files') if isinstance(document, dict) else None
        if not isinstance(items, list):
            raise Refused('a JSON page without a list of files', url)
        for item in items:
            if not isinstance(item, dict):
                continue
            href, filename = item.get('url'), item.get('filename')
            if not isinstance(href, str) or not isinstance(filename, str):
                continue
            hashes = item.get('hashes')
            digest = None
            if isinstance(hashes, dict) and isinstance(hashes.get('sha256'), str):
                digest = _hash(f'sha256={hashes["sha256"]}')
            metadata = item.get('core-metadata', item.get('dist-info-metadata'))
            metadata_hash = None
            if isinstance(metadata, dict) and isinstance(metadata.get('sha256'), str):
                metadata_hash = _hash(f'sha256={metadata["sha256"]}')
            size = item.get('size')
            python = item.get('requires-python')
            collector.add(
                href, filename, hash=digest,
                requires_python=python if isinstance(python, str) and python else None,
                yanked=bool(item.get('yanked')),
                size=size if type(size) is int else None,
                core_metadata=bool(metadata), metadata_hash=metadata_hash)
        return collector.page
    parser = _Anchors(collector)
    try:
        parser.feed(body.decode('utf-8', 'replace'))
        parser.close()
    except (ValueError, AssertionError, RecursionError) as err:
        raise Refused(f'an unreadable HTML page ({str(err)[:200]})', url) from None
    return collector.page


def file_path(url: str) -> str:
    return urllib.request.url2pathname(urllib.parse.urlsplit(url).path)


def open_local(path: str, url: str) -> int:
    """A descriptor of the regular file ``path`` (a FIFO, a device or a
    directory is refused: it could be read for ever)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, 'O_NONBLOCK', 0))
    except OSError as err:
        raise MetadataError(err.strerror or str(err), url) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise Refused('not a regular file', url)
    return fd


def read_local(path: str, url: str, limit: int) -> bytes:
    fd = open_local(path, url)
    with os.fdopen(fd, 'rb') as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise Refused(f'larger than {limit} bytes', url)
    return data


def _local_place(location: str) -> str | None:
    """The path of a local source (a path or a ``file:`` URL), else None."""
    if location.startswith('file:'):
        return file_path(location)
    if '://' in location:
        return None
    return location


class Index:
    """Reads pages, metadata files and sdists of one resolution's
    package sources (an index URL and find-links places), within the
    run's :class:`Deadline`."""

    def __init__(self, index_url: str | None, find_links: Iterable[str] = (),
                 deadline: Deadline | None = None,
                 keep: frozenset[str] | None = None) -> None:
        self.deadline = deadline or Deadline(None)
        self.limits = self.deadline.limits
        self.index_url = index_url.rstrip('/') if index_url else None
        self.local_index = (_local_place(self.index_url)
                            if self.index_url else None)
        self.find_links = tuple(find_links)
        #: The wheel tags of the run's targets: other wheels are dropped.
        self.keep = keep
        self.http = http.Client(self.deadline)
        self._lock = threading.Lock()
        self._pages: dict[str, list[DistFile]] = {}
        self._links: dict[str, Page] = {}
        self._held = 0
        self._held_lock = threading.Lock()
        #: ``(project, version)`` -> why a link to it was refused.
        self.refused: dict[tuple[str, str], str] = {}
        #: file: URLs listed by a local source.
        self._local_urls: set[str] = set()

    @property
    def bytes_read(self) -> int:
        return self.http.bytes_read

    @property
    def identity(self) -> str:
        """The sources, as a key: what one run's resolution sees."""
        return json.dumps([self.index_url, *self.find_links])

    def files(self, name: str) -> list[DistFile]:
        """Every file of project ``name`` (read once per run)."""
        key = canonicalize_name(name)
        with self._lock:
            if key in self._pages:
                return self._pages[key]
        page = Page()
        quota = _Quota(self)
        try:
            for place in self.find_links:
                found = self._find_links(place, key)
                page.files += found.files
                page.refused += found.refused
            if self.index_url:
                found = self._index_page(key, quota)
                page.files += found.files
                page.refused += found.refused
        except BaseException:
            quota.give(quota.taken)
            raise
        unique = list({f.url: f for f in page.files}.values())
        with self._lock:
            if key in self._pages:
                quota.give(quota.taken)
                return self._pages[key]
            quota.give(max(0, quota.taken - len(unique)))
            for project, version, reason in page.refused:
                self.refused.setdefault((project, version), reason)
            self._local_urls.update(f.bare_url for f in unique if f.local)
            self._pages[key] = unique
        return unique

    def pages(self) -> dict[str, list[DistFile]]:
        with self._lock:
            return dict(self._pages)

    def take(self, count: int) -> None:
        """Hold ``count`` more files; refused past the run's limit."""
        with self._held_lock:
            if self._held + count > self.limits.run_files:
                raise Refused(f'more than {self.limits.run_files} files listed '
                              'in all')
            self._held += count

    def give(self, count: int) -> None:
        with self._held_lock:
            self._held -= count

    def _index_page(self, key: str, quota: Any = None) -> Page:
        assert self.index_url is not None
        url = f'{self.index_url}/{key}/'
        try:
            if self.local_index is not None:
                place = Path(self.local_index) / key
                page = place / 'index.html'
                url = page.as_uri()
                if not place.is_dir() or not page.exists():
                    return Page()
                body = read_local(str(page), url, self.limits.page)
                return parse_page(body, 'text/html', url, key, self.index_url,
                                  True, self.limits, self.keep, quota)
            with self.http.fetch(url, {
                    'Accept': 'application/vnd.pypi.simple.v1+json, '
                              'text/html;q=0.1',
                    'Accept-Encoding': 'gzip'}) as (status, headers, body, final):
                if status == 404:
                    return Page()
                if status != 200:
                    raise MetadataError(f'HTTP {status}', final)
                return parse_page(body, headers.get('content-type', ''), final,
                                  key, self.index_url, False, self.limits,
                                  self.keep, quota)
        except MetadataError as err:
            raise err.about(key, url) from None

    def _find_links(self, place: str, key: str) -> Page:
        """The files of ``key`` a find-links place offers (as pip: a
        directory's files and the links of its HTML files; an HTML file's
        links; a URL's page)."""
        path = _local_place(place)
        if path is None:
            return self._filtered(self._links_page(place), key)
        found = Page()
        if os.path.isdir(path):
            for entry in sorted(Path(path).iterdir()):
                if entry.suffix.lower() in ('.html', '.htm'):
                    sub = self._filtered(self._links_page(entry.as_uri()), key)
                    found.files += sub.files
                    found.refused += sub.refused
                    continue
                try:
                    info = entry.stat()
                except OSError:
                    continue
                file = dist_file(entry.name, entry.resolve().as_uri(), key,
                                 origin=place, local=True,
                                 hash=f'stat={info.st_size}:{info.st_mtime_ns}')
                if file is not None:
                    found.files.append(file)
        elif os.path.isfile(path):
            if path.lower().endswith(('.html', '.htm')):
                return self._filtered(self._links_page(Path(path).as_uri()), key)
            file = dist_file(os.path.basename(path), Path(path).resolve().as_uri(),
                             key, origin=place, local=True)
            if file is not None:
                found.files.append(file)
        return found

    def _links_page(self, url: str) -> Page:
        """Every link of a find-links page (read once per run), for every
        project: filtered by :meth:`_filtered`."""
        with self._lock:
            if url in self._links:
                return self._links[url]
        page = Page()
        try:
            if url.startswith('file:'):
                body = read_local(file_path(url), url, self.limits.page)
                page = _all_links(body, url, True, self.limits, self.take)
            else:
                with self.http.fetch(url, {'Accept-Encoding': 'gzip'}) as (
                        status, _, body, final):
                    if status == 200:
                        page = _all_links(body, final, False, self.limits, self.take)
        except MetadataError:
            page = Page()  # as pip: a find-links place it cannot read is skipped
        with self._lock:
            self._links[url] = page
        return page

    def _filtered(self, page: Page, key: str) -> Page:
        files = [dataclasses.replace(f, project=key) for f in page.files
                 if _project_of(f.filename) == key]
        if self.keep is not None:
            files = [f for f in files
                     if f.wheel_tags is None or f.wheel_tags & self.keep]
        return Page(files, [r for r in page.refused if r[0] == key])

    # -- metadata ---------------------------------------------------------------

    def metadata(self, file: DistFile, budget: int | None = None
                 ) -> static.Metadata:
        """The metadata of an sdist, checked against the file
        (:func:`static.checked`): its ``.metadata`` file if the index
        offers one, the index's JSON API if it describes that release,
        else the sdist's own files (reading no more than ``budget`` bytes
        of it, if given)."""
        package = f'{file.project}=={file.version}'
        try:
            found = self._metadata(file, budget)
            return static.checked(found, file.project, file.version)
        except MetadataError as err:
            raise err.about(package, file.bare_url) from None

    def _metadata(self, file: DistFile, budget: int | None) -> static.Metadata:
        url = file.bare_url
        if url.startswith('file:'):
            if not file.local:
                raise Refused('a local file named by a remote source: not read')
            return self._local_sdist(file)
        if urllib.parse.urlsplit(url).scheme not in ('http', 'https'):
            raise Refused('not an http(s) URL: not read')
        if file.core_metadata:
            return self._metadata_file(file)
        # The sdist's own PKG-INFO first (it names the release as
        # installed), if it comes within the first megabyte; else the
        # index's JSON API; else the whole sdist (unless ``budget``).
        first = FIRST_READ if budget is None else min(budget, FIRST_READ)
        found: static.Metadata | None = None
        try:
            found = self._remote_sdist(file, first)
        except http.Spent:
            pass
        if found is not None and found.source != static.UNDECLARED:
            return found
        from_json = self._json_api(file)
        if from_json is not None:
            if found is not None:  # its name as the sdist spells it
                from_json = dataclasses.replace(from_json, name=found.name)
            return from_json
        if found is not None:
            return found
        if budget is not None and budget <= first:
            raise http.Spent(f'no PKG-INFO in the first {budget} bytes')
        return self._remote_sdist(file, None)

    def _local_sdist(self, file: DistFile) -> static.Metadata:
        url = file.bare_url
        fd = open_local(file_path(url), url)
        with os.fdopen(fd, 'rb') as handle:
            if file.filename.endswith('.zip'):
                size = os.fstat(handle.fileno()).st_size

                def read_at(offset: int, length: int) -> bytes:
                    self.deadline.check(url)
                    return os.pread(handle.fileno(), length, offset)

                return static.read_zip_sdist(read_at, size, file.filename,
                                             self.limits)
            limit = self.limits.archive

            def read(size: int) -> bytes:
                self.deadline.check(url)
                if handle.tell() > limit:
                    raise Refused(f'larger than {limit} bytes')
                return handle.read(size)

            return static.read_sdist(_Reader(read), file.filename, self.limits)

    def _remote_sdist(self, file: DistFile, budget: int | None) -> static.Metadata:
        url = file.bare_url
        if file.filename.endswith('.zip'):
            remote = http.RemoteFile(self.http, url, self.limits.archive)
            remote.tail(65536 + 22)  # kept: read_at serves it
            assert remote.size is not None
            return static.read_zip_sdist(remote.read_at, remote.size,
                                         file.filename, self.limits)
        with http.RemoteStream(self.http, url, budget, self.limits.archive) as raw:
            return static.read_sdist(_Reader(raw.read), file.filename, self.limits)

    def _metadata_file(self, file: DistFile) -> static.Metadata:
        """A PEP 658 ``.metadata`` file, its hash checked if given."""
        url = file.bare_url + '.metadata'
        algorithm, _, expected = (file.metadata_hash or '').partition('=')
        digest = hashlib.new(algorithm) if expected else None
        scanner = archive.HeaderScanner(self.limits, url)
        size = 0
        with self.http.open(url, {'Accept-Encoding': 'identity'}) as answer:
            if answer.status != 200:
                raise MetadataError(f'HTTP {answer.status}', url)
            while True:
                piece = answer.read1()
                if not piece:
                    break
                size += len(piece)
                if size > self.limits.member:
                    raise Refused(f'larger than {self.limits.member} bytes', url)
                if digest is not None:
                    digest.update(piece)
                scanner.feed(piece)
                if scanner.done and digest is None:
                    break
        scanner.close()
        if digest is not None and digest.hexdigest() != expected:
            raise Refused(f'its content does not have the {algorithm} hash '
                          'the index gives', url)
        return static.from_headers(scanner, static.INDEX_METADATA)

    def _json_api(self, file: DistFile) -> static.Metadata | None:
        """The index's JSON API (``/pypi/NAME/json``), when its ``info``
        is that very release and lists its dependencies."""
        if (not self.index_url or not self.index_url.endswith('/simple')
                or self.local_index is not None or file.origin != self.index_url):
            return None
        base = self.index_url[:-len('/simple')]
        url = f'{base}/pypi/{file.project}/json'
        try:
            with self.http.fetch(url, {'Accept-Encoding': 'gzip'}) as (
                    status, _, body, final):
                if status != 200:
                    return None
                return static.json_info(load_json(body, self.limits, final),
                                        file.version)
        except Refused:
            raise
        except MetadataError:
            return None

    def wheel_name(self, url: str) -> str | None:
        """The ``Name`` field of a wheel's metadata, reading as little
        of the wheel as the server lets: its zip directory and then the
        one member, by range requests (None: not read)."""
        bare = url.split('#', 1)[0]
        try:
            if bare.startswith('file:'):
                if not self._may_read(bare):
                    return None
                return self._local_wheel_name(bare)
            remote = http.RemoteFile(self.http, bare, self.limits.archive)
            tail = remote.tail(65536 + 22)
            assert remote.size is not None
            return _wheel_name(remote.read_at, remote.size, tail, self.limits, bare)
        except MetadataError:
            return None

    def _may_read(self, url: str) -> bool:
        """Whether a local file may be read: listed by a local source, or
        inside a local place the user named."""
        if url in self._local_urls:
            return True
        path = os.path.realpath(file_path(url))
        for place in (self.local_index, *map(_local_place, self.find_links)):
            if place is None:
                continue
            root = os.path.realpath(place)
            if os.path.isfile(root):
                root = os.path.dirname(root)
            if path.startswith(root.rstrip(os.sep) + os.sep):
                return True
        return False

    def _local_wheel_name(self, url: str) -> str | None:
        fd = open_local(file_path(url), url)
        with os.fdopen(fd, 'rb') as handle:
            size = os.fstat(handle.fileno()).st_size
            tail_size = min(size, 65536 + 22)

            def read_at(offset: int, length: int) -> bytes:
                return os.pread(handle.fileno(), length, offset)

            return _wheel_name(read_at, size, read_at(size - tail_size, tail_size),
                               self.limits, url)


class _Quota:
    """The files one page holds of the run's limit."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.taken = 0

    def __call__(self, count: int) -> None:
        self.index.take(count)
        self.taken += count

    def give(self, count: int) -> None:
        self.index.give(count)
        self.taken -= count


class _Reader:
    """A ``read(size)`` function as the file object :func:`static.read_sdist`
    reads."""

    def __init__(self, read: Any) -> None:
        self.read = read


def _wheel_name(read_at: archive.ReadAt, size: int, tail: bytes,
                limits: Limits, url: str) -> str | None:
    zipped = archive.Zip(read_at, size, tail, limits, url)
    members = [e for e in zipped.entries if _wheel_metadata_member(e.name)]
    if len(members) != 1:
        return None
    scanner = archive.scan_member(zipped.member(members[0]), limits, url)
    name = scanner.get('name')
    return name.strip() if name else None


def _wheel_metadata_member(member: str) -> bool:
    parts = member.split('/')
    return (len(parts) == 2 and parts[0].endswith('.dist-info')
            and parts[1] == 'METADATA')


def _project_of(filename: str) -> str | None:
    if filename.endswith('.whl'):
        return _canonical(filename.split('-', 1)[0])
    for suffix in _SDIST_SUFFIXES:
        if filename.endswith(suffix):
            project = filename[:-len(suffix)].rpartition('-')[0]
            return _canonical(project) if project else None
    return None


def _all_links(body: bytes, url: str, local: bool, limits: Limits,
               reserve: Any) -> Page:
    """Every dist file a find-links page links to, of any project."""
    page = Page()
    for_all = _AnyProject(url, local, limits, reserve)
    parser = _Anchors(for_all)
    try:
        parser.feed(body.decode('utf-8', 'replace'))
        parser.close()
    except (ValueError, AssertionError, RecursionError):
        return page
    return for_all.page


class _AnyProject(_Collector):
    def __init__(self, url: str, local: bool, limits: Limits, reserve: Any) -> None:
        super().__init__(url, '', url, local, limits, reserve=reserve)

    def add(self, href: str, filename: str | None, **extra: Any) -> None:
        full = urllib.parse.urljoin(self.url, href.strip())
        name = urllib.parse.unquote(urllib.parse.urlsplit(full).path.rsplit('/', 1)[-1])
        project = _project_of(name)
        if project:
            self.name = project
            super().add(href, filename, **extra)
