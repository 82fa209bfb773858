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
import hashlib
import json
import os
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterable
from typing import Any

from packaging.utils import canonicalize_name

from openstack_requirements.ops.constraints.cutoff import ExcludeNewer
from openstack_requirements.ops.constraints.metadata import (
    archive,
    http,
    pages,
    ranges,
    static,
    wheels,
)
from openstack_requirements.ops.constraints.metadata.bounds import (
    Deadline,
    MetadataError,
    Quota,
    Refused,
    TimedOut,
)
from openstack_requirements.ops.constraints.metadata.links import FindLinks
from openstack_requirements.ops.constraints.metadata.local import (
    file_path,
    local_place,
    open_local,
)
from openstack_requirements.ops.constraints.metadata.pages import (
    DistFile,
    Page,
    parse_page,
)
from openstack_requirements.ops.constraints.metadata.served import ServedPages

#: How much of an sdist is read for its PKG-INFO before asking the index.
FIRST_READ = 1 << 20


class Index:
    """Reads pages, metadata files and sdists of one resolution's
    package sources (an index URL and find-links places), within the
    run's :class:`Deadline`."""

    def __init__(
        self,
        index_url: str | None,
        find_links: Iterable[str] = (),
        deadline: Deadline | None = None,
        keep: frozenset[str] | None = None,
        cutoff: ExcludeNewer | None = None,
    ) -> None:
        self.deadline = deadline or Deadline(None)
        self.limits = self.deadline.limits
        self.index_url = index_url.rstrip('/') if index_url else None
        self.local_index = local_place(self.index_url) if self.index_url else None
        self.find_links = tuple(find_links)
        #: The wheel tags of the run's targets: other wheels are dropped.
        self.keep = keep
        #: ``--exclude-newer``: the index's files it drops are not listed.
        self.cutoff = cutoff
        self.http = http.Client(self.deadline)
        self._lock = threading.Lock()
        self._pages: dict[str, list[DistFile]] = {}
        self._reading: dict[str, threading.Lock] = {}
        #: The index's pages as served (their digests kept).
        self.served = (
            ServedPages(self.index_url, self.local_index, self.http, self.limits)
            if self.index_url
            else None
        )
        self.links = FindLinks(self.http, self.limits, keep, self.take)
        self._held = 0
        self._held_lock = threading.Lock()
        #: ``(project, version)`` -> why a link to it was refused.
        self.refused: dict[tuple[str, str], str] = {}
        #: file: URLs listed by a local source.
        self._local_urls: set[str] = set()

    def close(self) -> None:
        """Close the connections kept alive."""
        self.http.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def bytes_read(self) -> int:
        return self.http.bytes_read

    @property
    def pages_read(self) -> int:
        """Pages asked of the index this run."""
        return self.served.count if self.served is not None else 0

    @property
    def identity(self) -> str:
        """The sources, as a key: what one run's resolution sees."""
        return json.dumps([self.index_url, *self.find_links])

    def files(self, name: str) -> list[DistFile]:
        """Every file of project ``name``, read once per run: a caller
        asking while another reads it waits for that read."""
        key = canonicalize_name(name)
        with self._lock:
            if key in self._pages:
                return self._pages[key]
            reading = self._reading.setdefault(key, threading.Lock())
        with reading:
            return self._files(key)

    def _files(self, key: str) -> list[DistFile]:
        with self._lock:
            if key in self._pages:
                return self._pages[key]
        page = Page()
        quota = Quota(self.take, self.give)
        try:
            for place in self.find_links:
                found = self.links.files(place, key)
                page.files += found.files
                page.refused += found.refused
            if self.index_url:
                found = self._index_page(key, quota)
                page.files += self._cut(key, found.files)
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

    def _cut(self, key: str, files: list[DistFile]) -> list[DistFile]:
        """The index's ``files`` of project ``key`` not cut off by
        ``--exclude-newer`` (the upload time of find-links files is not
        known: they are not cut off)."""
        cutoff = self.cutoff
        if cutoff is None or cutoff.is_exempt(key):
            return files
        return [f for f in files if not cutoff.drops(f.upload_time)]

    def pages(self) -> dict[str, list[DistFile]]:
        with self._lock:
            return dict(self._pages)

    def take(self, count: int) -> None:
        """Hold ``count`` more files; refused past the run's limit."""
        with self._held_lock:
            if self._held + count > self.limits.run_files:
                raise Refused(f'more than {self.limits.run_files} files listed in all')
            self._held += count

    def give(self, count: int) -> None:
        with self._held_lock:
            self._held -= count

    def _index_page(self, key: str, quota: Any = None) -> Page:
        assert self.served is not None
        url = self.served.url_of(key)
        try:
            answer = self.served.get(key)
            if answer.status == 404:
                return Page()
            if answer.status != 200:
                raise MetadataError(f'HTTP {answer.status}', answer.url)
            return parse_page(
                answer.body,
                answer.content_type,
                answer.url,
                key,
                self.served.index_url,
                answer.local,
                self.limits,
                self.keep,
                quota,
            )
        except MetadataError as err:
            raise err.about(key, url) from None

    # -- metadata ---------------------------------------------------------------

    def metadata(self, file: DistFile, budget: int | None = None) -> static.Metadata:
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
            return self.metadata_file(file)
        # The sdist's own PKG-INFO first (it names the release as
        # installed), if it comes within the first megabyte; else the
        # index's JSON API; else the whole sdist (unless ``budget``).
        first = FIRST_READ if budget is None else min(budget, FIRST_READ)
        found: static.Metadata | None = None
        try:
            found = self._remote_sdist(file, first)
        except ranges.Spent:
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
            raise ranges.Spent(f'no PKG-INFO in the first {budget} bytes')
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

                return static.read_zip_sdist(read_at, size, file.filename, self.limits)
            limit = self.limits.archive

            def read(size: int) -> bytes:
                self.deadline.check(url)
                if handle.tell() > limit:
                    raise Refused(f'larger than {limit} bytes')
                return handle.read(size)

            return static.read_sdist(static.Reader(read), file.filename, self.limits)

    def _remote_sdist(self, file: DistFile, budget: int | None) -> static.Metadata:
        url = file.bare_url
        if file.filename.endswith('.zip'):
            remote = ranges.RemoteFile(self.http, url, self.limits.archive)
            remote.tail(65536 + 22)  # kept: read_at serves it
            assert remote.size is not None
            return static.read_zip_sdist(remote.read_at, remote.size, file.filename, self.limits)
        with ranges.RemoteStream(self.http, url, budget, self.limits.archive) as raw:
            return static.read_sdist(static.Reader(raw.read), file.filename, self.limits)

    def metadata_file(self, file: DistFile) -> static.Metadata:
        """What a release's PEP 658 ``.metadata`` file says."""
        return static.from_headers(self.metadata_headers(file), static.INDEX_METADATA)

    def metadata_headers(
        self, file: DistFile, kept: frozenset[str] = archive.KEPT_FIELDS
    ) -> archive.HeaderScanner:
        """The ``kept`` header fields of a PEP 658 ``.metadata`` file,
        its hash checked if given."""
        url = file.bare_url + '.metadata'
        algorithm, _, expected = (file.metadata_hash or '').partition('=')
        digest = hashlib.new(algorithm) if expected else None
        scanner = archive.HeaderScanner(self.limits, url, kept)
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
            raise Refused(f'its content does not have the {algorithm} hash the index gives', url)
        return scanner

    def _json_api(self, file: DistFile) -> static.Metadata | None:
        """The index's JSON API (``/pypi/NAME/json``), when its ``info``
        is that very release and lists its dependencies."""
        if (
            not self.index_url
            or not self.index_url.endswith('/simple')
            or self.local_index is not None
            or file.origin != self.index_url
        ):
            return None
        base = self.index_url[: -len('/simple')]
        url = f'{base}/pypi/{file.project}/json'
        try:
            with self.http.fetch(url, {'Accept-Encoding': 'gzip'}) as (status, _, body, final):
                if status != 200:
                    return None
                return static.json_info(pages.load_json(body, self.limits, final), file.version)
        except TimedOut:
            raise
        except MetadataError:  # the JSON API is a help, not the file
            return None

    def wheel_name(self, url: str) -> str | None:
        """The ``Name`` field of a wheel's metadata (None: not read)."""
        headers = self._wheel_headers(url)
        name = headers.get('name') if headers is not None else None
        return name.strip() if name else None

    def wheel_metadata(self, url: str) -> static.Metadata | None:
        """A wheel's own ``.dist-info/METADATA`` (None: not read), as
        bounded as every other read."""
        headers = self._wheel_headers(url)
        if headers is None:
            return None
        try:
            return static.from_headers(headers, wheels.WHEEL_METADATA)
        except MetadataError:
            return None

    def _wheel_headers(self, url: str) -> archive.HeaderScanner | None:
        """The headers of a wheel's metadata, reading as little of the
        wheel as the server lets: its zip directory and then the one
        member, by range requests (None: not read)."""
        bare = url.split('#', 1)[0]
        try:
            if bare.startswith('file:'):
                if not self._may_read(bare):
                    return None
                return wheels.local_headers(bare, self.limits)
            return wheels.remote_headers(self.http, bare, self.limits)
        except MetadataError:
            return None

    def _may_read(self, url: str) -> bool:
        """Whether a local file may be read: listed by a local source, or
        inside a local place the user named."""
        if url in self._local_urls:
            return True
        path = os.path.realpath(file_path(url))
        for place in (self.local_index, *map(local_place, self.find_links)):
            if place is None:
                continue
            root = os.path.realpath(place)
            if os.path.isfile(root):
                root = os.path.dirname(root)
            if path.startswith(root.rstrip(os.sep) + os.sep):
                return True
        return False
