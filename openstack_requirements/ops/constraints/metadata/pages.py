"""Index pages: the files a PEP 503 (HTML) or PEP 691 (JSON) page lists.

A page is read within :class:`~.bounds.Limits`: a JSON document with too
many values, or a page listing too many files (or more than the run may
hold in all), is :class:`~.bounds.Refused`; a link that is not
``http(s)`` on a page served over HTTP (a ``file:`` link) is not listed,
and the release it names is refused, for a resolver following it would
read a file of this machine.
"""

from __future__ import annotations

import dataclasses
import html.parser
import json
import re
import sys
import urllib.parse
from typing import Any

from packaging.utils import canonicalize_name

from openstack_requirements.cache import bounded
from openstack_requirements.model.versions import parse_version as _version
from openstack_requirements.ops.constraints.metadata import bounds
from openstack_requirements.ops.constraints.metadata.bounds import Limits, Refused

_SDIST_SUFFIXES = ('.tar.gz', '.tgz', '.tar.bz2', '.tar.xz', '.zip', '.tar')
_HASH = re.compile(r'^(sha256|sha384|sha512|sha224|sha1|md5)=([0-9a-f]{32,128})$')
#: Tags a wheel's name may expand to (``py2.py3-none-any``: two).
_MAX_TAGS = 256


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
    #: Why it was yanked, if the index says (PEP 592).
    yanked_reason: str | None = None
    #: When it was uploaded, as the index gives it (PEP 700; JSON only).
    upload_time: str | None = None

    @property
    def is_sdist(self) -> bool:
        return self.wheel_tags is None

    @property
    def bare_url(self) -> str:
        return self.url.split('#', 1)[0]


@bounded(4096)
def _canonical(name: str) -> str:
    return canonicalize_name(name)


def dist_file(filename: str, url: str, name: str, **extra: Any) -> DistFile | None:
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
        tags = frozenset(
            sys.intern(f'{p}-{a}-{pl}') for p in split[0] for a in split[1] for pl in split[2]
        )
        return DistFile(filename, url, version, tags, **extra)
    for suffix in _SDIST_SUFFIXES:
        if filename.endswith(suffix):
            project, _, version = filename[: -len(suffix)].rpartition('-')
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

    def __init__(
        self,
        url: str,
        name: str,
        origin: str,
        local: bool,
        limits: Limits,
        keep: Any = None,
        reserve: Any = None,
    ) -> None:
        self.url, self.name, self.origin, self.local = url, name, origin, local
        self.limits, self.keep, self.reserve = limits, keep, reserve
        self.page = Page()
        self.seen = 0

    def add(self, href: str, filename: str | None, **extra: Any) -> None:
        if filename is not None and self.keep is not None and not _may_keep(filename, self.keep):
            self.skip()  # a wheel for none of the targets
            return
        href = href.strip()
        if href.startswith(('https://', 'http://')) and '#' not in href:
            # the common case, without the cost of urljoin and urlsplit
            full, scheme, fragment = href, href[: href.index(':')], ''
        else:
            full = urllib.parse.urljoin(self.url, href)
            parts = urllib.parse.urlsplit(full)
            scheme, fragment = parts.scheme, parts.fragment
            if filename is None:
                filename = urllib.parse.unquote(parts.path.rsplit('/', 1)[-1])
        if filename is None:
            filename = urllib.parse.unquote(full.rsplit('/', 1)[-1])
        extra.setdefault('hash', _hash(fragment))
        found = dist_file(
            filename,
            full,
            self.name,
            origin=self.origin,
            local=self.local and scheme == 'file',
            **extra,
        )
        if found is None:
            return
        if scheme not in ('http', 'https') and not (self.local and scheme == 'file'):
            self.page.refused.append(
                (
                    found.project,
                    found.version,
                    (
                        f'the page {self.url} links it as {full[:200]}: a '
                        f'{scheme or "relative"} link on a remote page is not '
                        'followed'
                    ),
                )
            )
            return
        self.skip()
        if (
            found.wheel_tags is not None
            and self.keep is not None
            and not (found.wheel_tags & self.keep)
        ):
            return  # a wheel for none of the targets
        if self.reserve is not None:
            self.reserve(1)  # refused past the run's limit
        self.page.files.append(found)

    def skip(self) -> None:
        """Count a file listed (past the page's limit: refused)."""
        self.seen += 1
        if self.seen > self.limits.page_files:
            raise Refused(f'more than {self.limits.page_files} files listed', self.url)


def _may_keep(filename: str, keep: frozenset[str]) -> bool:
    """False for a wheel whose tags are none of ``keep`` (read from its
    name alone, cheaply: a big page lists thousands of such wheels)."""
    if not filename.endswith('.whl'):
        return True
    parts = filename[:-4].split('-')
    if len(parts) not in (5, 6):
        return True  # not a wheel name: judged as any other link
    return _tags_kept('-'.join(parts[-3:]), keep)


@bounded(4096)
def _tags_kept(tags: str, keep: frozenset[str]) -> bool:
    pythons, abis, platforms = (p.split('.') for p in tags.split('-'))
    if len(pythons) * len(abis) * len(platforms) > _MAX_TAGS:
        return True  # dist_file rejects it
    return any(f'{p}-{a}-{pl}' in keep for p in pythons for a in abis for pl in platforms)


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
        metadata = found.get('data-core-metadata') or found.get('data-dist-info-metadata')
        self.collector.add(
            href,
            None,
            requires_python=found.get('data-requires-python') or None,
            yanked='data-yanked' in found,
            yanked_reason=found.get('data-yanked') or None,
            core_metadata=bool(metadata) and metadata != 'false',
            metadata_hash=_hash(metadata),
        )


def load_json(body: bytes, limits: Limits, url: str) -> Any:
    """A JSON document, refused if it would cost too much memory (more
    than :attr:`Limits.json_values` values) or cannot be read."""
    # Separators inside strings count too: an over-count, never an
    # under-count, and counted in C (a regex removing the strings first
    # took seconds over a run's pages).
    values = sum(body.count(c) for c in (b',', b':', b'[', b'{'))
    if values > limits.json_values:
        raise Refused(f'a JSON document of more than {limits.json_values} values', url)
    try:
        text = body.decode('utf-8')
    except UnicodeDecodeError:
        raise Refused('a JSON document that is not UTF-8', url) from None
    try:
        return json.loads(text)
    except RecursionError:
        raise Refused('a JSON document nested too deep', url) from None
    except ValueError as err:
        raise Refused(f'not valid JSON ({str(err)[:200]})', url) from None


def parse_page(
    body: bytes,
    content_type: str,
    url: str,
    name: str,
    origin: str = '',
    local: bool = False,
    limits: Limits | None = None,
    keep: Any = None,
    reserve: Any = None,
) -> Page:
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
            if keep is not None and not _may_keep(filename, keep):
                collector.skip()  # a wheel for none of the targets
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
            yanked = item.get('yanked')
            uploaded = item.get('upload-time')
            collector.add(
                href,
                filename,
                hash=digest,
                requires_python=python if isinstance(python, str) and python else None,
                yanked=bool(yanked),
                yanked_reason=yanked[:500] if isinstance(yanked, str) and yanked else None,
                upload_time=uploaded[:40] if isinstance(uploaded, str) else None,
                size=size if type(size) is int else None,
                core_metadata=bool(metadata),
                metadata_hash=metadata_hash,
            )
        return collector.page
    parser = _Anchors(collector)
    try:
        parser.feed(body.decode('utf-8', 'replace'))
        parser.close()
    except (ValueError, AssertionError, RecursionError) as err:
        raise Refused(f'an unreadable HTML page ({str(err)[:200]})', url) from None
    return collector.page


def project_of(filename: str) -> str | None:
    if filename.endswith('.whl'):
        return _canonical(filename.split('-', 1)[0])
    for suffix in _SDIST_SUFFIXES:
        if filename.endswith(suffix):
            project = filename[: -len(suffix)].rpartition('-')[0]
            return _canonical(project) if project else None
    return None


def all_links(body: bytes, url: str, local: bool, limits: Limits, reserve: Any) -> Page:
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
        project = project_of(name)
        if project:
            self.name = project
            super().add(href, filename, **extra)
