"""Dependencies of a source distribution, read without building it.

A release that offers only an sdist (for some Python) tells its
dependencies in the sdist itself: ``PKG-INFO`` (static per PEP 643 from
Metadata-Version 2.2 unless ``Requires-Dist`` is listed as ``Dynamic``;
older files often carry ``Requires-Dist`` all the same), or setuptools'
``*.egg-info/requires.txt``. The index may offer them too: a PEP 658/714
``.metadata`` file, or a JSON API whose ``info`` describes the latest
release (see :mod:`.index`). Reading them needs no build backend, no
compiler and no system library; :func:`read_sdist` stops reading an sdist
once it has what it needs, so a big one is seldom downloaded whole, and
reads within :class:`~.bounds.Limits` (:mod:`.archive`).

What is read is what the index serves: :func:`checked` refuses metadata
that names another project or release than the file it came from, or
that a resolver could not read (a malformed or direct-reference
``Requires-Dist``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from typing import IO, TYPE_CHECKING, Any, Protocol

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from openstack_requirements.cache import bounded
from openstack_requirements.model.versions import parse_version as _version
from openstack_requirements.ops.constraints.metadata import archive, bounds, zipped
from openstack_requirements.ops.constraints.metadata.bounds import (
    Limits,
    MetadataError,
    Refused,
)

if TYPE_CHECKING:
    from openstack_requirements.ops.constraints.metadata.pages import DistFile

__all__ = ['MetadataError', 'Refused']

#: Where metadata is read from, as said on stderr.
STATIC = 'PKG-INFO, static (PEP 643)'
PKG_INFO = 'PKG-INFO'
EGG_INFO = 'egg-info requires.txt'
INDEX_METADATA = "the index's .metadata file"
INDEX_JSON = "the index's JSON API"
UNDECLARED = 'PKG-INFO, which declares no dependencies'

#: A project or extra name (PEP 508), as uv checks it.
_NAME = re.compile(r'^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$', re.IGNORECASE)


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
        """Metadata kept by an earlier run, checked again (:func:`checked`)."""
        found = cls(
            str(data['name']),
            str(data['version']),
            tuple(str(r) for r in data.get('requires_dist') or ()),
            str(data['requires_python']) if data.get('requires_python') else None,
            tuple(str(e) for e in data.get('provides_extras') or ()),
            str(data.get('source', PKG_INFO)),
        )
        return checked(found, found.name, found.version)

    def toml(self) -> str:
        """A ``[[dependency-metadata]]`` table of a uv settings file."""
        lines = [
            '[[dependency-metadata]]',
            f'name = {toml_string(self.name)}',
            f'version = {toml_string(self.version)}',
            'requires-dist = [' + ', '.join(toml_string(r) for r in self.requires_dist) + ']',
        ]
        if self.requires_python:
            lines.append(f'requires-python = {toml_string(self.requires_python)}')
        if self.provides_extras:
            lines.append(
                'provides-extras = ['
                + ', '.join(toml_string(e) for e in self.provides_extras)
                + ']'
            )
        return '\n'.join(lines) + '\n'


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string (JSON's escapes are not all TOML's:
    a character outside the BMP must not become a surrogate pair)."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append('\\' + char)
        elif code < 0x20 or code == 0x7F:
            out.append(f'\\u{code:04X}')
        elif 0xD800 <= code <= 0xDFFF:
            out.append('\\uFFFD')
        else:
            out.append(char)
    out.append('"')
    return ''.join(out)


def checked(metadata: Metadata, project: str, version: str) -> Metadata:
    """``metadata``, if it is that of ``project`` ``version`` and a
    resolver can read it; else :class:`Refused` says why."""
    from packaging.requirements import InvalidRequirement, Requirement

    if not _NAME.match(metadata.name):
        raise Refused(f'its metadata has a bad Name {metadata.name[:100]!r}')
    if canonicalize_name(metadata.name) != canonicalize_name(project):
        raise Refused(f'its metadata names {metadata.name[:100]!r}, not {project}')
    mine, theirs = _version(metadata.version), _version(version)
    if mine is None or theirs is None or mine != theirs:
        raise Refused(f'its metadata says version {metadata.version[:100]!r}, not {version}')
    for line in metadata.requires_dist:
        try:
            requirement = Requirement(line)
        except InvalidRequirement as err:
            first = str(err).splitlines()[0][:200]
            raise Refused(f'a bad Requires-Dist {line[:200]!r} ({first})') from None
        if requirement.url:
            raise Refused(
                f'a Requires-Dist with a direct reference '
                f'{line[:200]!r} (an index may not name one)'
            )
    if metadata.requires_python:
        try:
            SpecifierSet(metadata.requires_python)
        except InvalidSpecifier:
            raise Refused(f'a bad Requires-Python {metadata.requires_python[:200]!r}') from None
    for extra in metadata.provides_extras:
        if not _NAME.match(extra):
            raise Refused(f'a bad Provides-Extra {extra[:100]!r}')
    return metadata


# -- reading metadata files ---------------------------------------------------


def parse_core_metadata(
    text: str | bytes, source: str = PKG_INFO, limits: Limits | None = None
) -> Metadata:
    """``PKG-INFO``/``METADATA`` text (RFC 822 headers) as metadata; the
    source says ``static`` when PEP 643 makes ``Requires-Dist`` so."""
    return from_headers(archive.scan_headers(text, limits or bounds.DEFAULT, source), source)


def from_headers(headers: archive.HeaderScanner, source: str = PKG_INFO) -> Metadata:
    name = (headers.get('name') or '').strip()
    version = (headers.get('version') or '').strip()
    if not name or not version:
        raise Refused('metadata without Name or Version')
    dynamic = {d.strip().lower() for d in headers.get_all('dynamic')}
    if (
        source == PKG_INFO
        and _metadata_version(headers) >= (2, 2)
        and not (dynamic & {'requires-dist', 'requires-python'})
    ):
        source = STATIC
    return Metadata(
        name,
        version,
        tuple(r.strip() for r in headers.get_all('requires-dist')),
        (headers.get('requires-python') or '').strip() or None,
        tuple(e.strip() for e in headers.get_all('provides-extra')),
        source,
    )


def _metadata_version(headers: archive.HeaderScanner) -> tuple[int, ...]:
    text = str(headers.get('metadata-version') or '1.0')
    if len(text) > 20:
        return (1, 0)
    try:
        return tuple(int(p) for p in text.split('.'))
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
    return len(parts) == 3 and parts[1].endswith('.egg-info') and parts[2] == 'requires.txt'


def _egg_info_dir(name: str) -> bool:
    parts = name.strip('/').split('/')
    return len(parts) >= 2 and parts[1].endswith('.egg-info')


class Readable(Protocol):
    def read(self, size: int, /) -> bytes: ...


class Reader:
    """A ``read(size)`` function as a :class:`Readable`."""

    def __init__(self, read: Callable[[int], bytes]) -> None:
        self.read = read


def read_sdist(
    stream: IO[bytes] | Readable, filename: str, limits: Limits | None = None
) -> Metadata:
    """The metadata of a tar sdist read from ``stream`` (a zip:
    :func:`read_zip_sdist`, or here if ``stream`` is seekable).

    The tar is read in order, inflated in pieces, and left as soon as
    ``PKG-INFO`` is static (or lists ``Requires-Dist``) and, failing that,
    once the ``egg-info`` directory has been passed.
    """
    limits = limits or bounds.DEFAULT
    if filename.endswith('.zip'):
        seekable: Any = stream  # a zip is read by its end: seekable
        seekable.seek(0, 2)
        size = seekable.tell()

        def read_at(offset: int, length: int) -> bytes:
            seekable.seek(offset)
            return bytes(seekable.read(length))

        return read_zip_sdist(read_at, size, filename, limits)
    found = _Found(limits)
    inflated = archive.Inflated(stream.read, limits.inflated, filename)
    try:
        for entry in archive.tar_members(inflated, limits, filename):
            if _top_member(entry.name, 'PKG-INFO') and entry.kind == 'file':
                found.pkg_info = from_headers(archive.scan_member(entry, limits, filename))
                if found.enough():
                    break
            elif _egg_requires(entry.name) and entry.kind == 'file':
                found.requires = archive.read_text(entry, limits.fields, filename)
            elif _egg_info_dir(entry.name):
                found.egg_info = True
            elif found.egg_info and found.pkg_info is not None:
                break  # past the egg-info directory
    except MetadataError:
        # Cut short: only what is complete without the rest will do.
        if found.pkg_info is None or not (found.enough() or found.requires):
            raise
    return found.result(filename)


def read_zip_sdist(read_at: zipped.ReadAt, size: int, filename: str, limits: Limits) -> Metadata:
    """The metadata of a zip sdist, read by ``read_at(offset, length)``
    through its central directory."""
    tail_size = min(size, 65536 + 22)
    opened = zipped.Zip(read_at, size, read_at(size - tail_size, tail_size), limits, filename)
    found = _Found(limits)
    for entry in opened.entries:
        if _top_member(entry.name, 'PKG-INFO'):
            found.pkg_info = from_headers(
                archive.scan_member(opened.member(entry), limits, filename)
            )
        elif _egg_requires(entry.name):
            found.requires = archive.read_text(opened.member(entry), limits.fields, filename)
        elif _egg_info_dir(entry.name):
            found.egg_info = True
    return found.result(filename)


class _Found:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.pkg_info: Metadata | None = None
        self.requires: str | None = None
        self.egg_info = False

    def enough(self) -> bool:
        parsed = self.pkg_info
        return parsed is not None and (parsed.source == STATIC or bool(parsed.requires_dist))

    def result(self, filename: str) -> Metadata:
        parsed = self.pkg_info
        if parsed is None:
            raise Refused(f'{filename}: no PKG-INFO in the sdist')
        if parsed.source == STATIC or parsed.requires_dist:
            return parsed
        if self.requires is not None:
            requires, extras = requires_txt(self.requires)
            return dataclasses.replace(
                parsed,
                requires_dist=tuple(requires),
                provides_extras=tuple(dict.fromkeys((*parsed.provides_extras, *extras))),
                source=EGG_INFO,
            )
        if self.egg_info:  # setuptools wrote no requires.txt: none
            return parsed
        # Nothing declared, and no egg-info to tell: none, unless the
        # index knows better (see Index.metadata).
        return dataclasses.replace(parsed, source=UNDECLARED)


def json_info(document: Any, version: str) -> Metadata | None:
    """The release a JSON API document's ``info`` describes, if it is
    ``version`` and lists its dependencies."""
    info = document.get('info') if isinstance(document, dict) else None
    if (
        not isinstance(info, dict)
        or _version(str(info.get('version'))[:100]) != _version(version)
        or not isinstance(info.get('requires_dist'), list)
        or not info['requires_dist']
        or 'Requires-Dist' in (info.get('dynamic') or ())
        or not isinstance(info.get('name'), str)
    ):
        return None
    extras = info.get('provides_extra')
    return Metadata(
        info['name'],
        version,
        tuple(str(r) for r in info['requires_dist']),
        str(info['requires_python']) if info.get('requires_python') else None,
        tuple(str(e) for e in extras) if isinstance(extras, list) else (),
        INDEX_JSON,
    )


def compatible(file: DistFile, tags: frozenset[str]) -> bool:
    return file.wheel_tags is not None and bool(file.wheel_tags & tags)


@bounded(64)
def target_tags(python: str) -> frozenset[str]:
    """The wheel tags CPython ``X.Y`` accepts on this platform."""
    from packaging import tags

    major, minor = (int(p) for p in python.split('.')[:2])
    platforms = list(tags.platform_tags())
    found = set(tags.cpython_tags((major, minor), platforms=platforms))
    found |= set(tags.compatible_tags((major, minor), f'cp{major}{minor}', platforms=platforms))
    return frozenset(str(t) for t in found)


def sdist_order(file: DistFile) -> tuple[bool, str]:
    """The order in which a release's sdists are taken: ``.tar.gz``
    first, then by name."""
    return not file.filename.endswith('.tar.gz'), file.filename


def by_version(files: Iterable[DistFile]) -> list[tuple[Version, list[DistFile]]]:
    """The files not yanked, grouped by release, newest first."""
    found: dict[Version, list[DistFile]] = {}
    for file in files:
        if file.yanked:
            continue
        version = _version(file.version)
        if version is not None:
            found.setdefault(version, []).append(file)
    return sorted(found.items(), reverse=True)


def sdist_only_versions(
    files: Iterable[DistFile],
    tags: frozenset[str],
    grouped: list[tuple[Version, list[DistFile]]] | None = None,
) -> list[tuple[Version, DistFile]]:
    """The releases with an sdist and no wheel for ``tags``, newest
    first, with their sdist (``grouped``: :func:`by_version` of
    ``files``, if already made)."""
    found = []
    for version, group in grouped if grouped is not None else by_version(files):
        if any(compatible(f, tags) for f in group):
            continue
        sdists = [f for f in group if f.is_sdist]
        if sdists:
            sdists.sort(key=sdist_order)
            found.append((version, sdists[0]))
    return found


@bounded(4096)
def accepts(requires_python: str | None, release: str) -> bool:
    """Whether Python ``release`` meets ``requires_python`` (an
    unreadable one: yes, as a resolver judges it)."""
    if not requires_python:
        return True
    try:
        return SpecifierSet(requires_python).contains(release, prereleases=True)
    except InvalidSpecifier:
        return True


#: An sdist this big costs a resolver dearly to download and unpack (salt:
#: 76 MB, unpacking to 300): reach further back among such releases.
BIG_SDIST = 2_000_000


def read_ahead_candidates(
    files: Iterable[DistFile],
    targets: Iterable[tuple[frozenset[str], str]],
    count: int,
    big_count: int | None = None,
) -> list[DistFile]:
    """The sdists a resolver may want the metadata of: for each target
    (its wheel tags, its release), the newest ``count`` final releases it
    accepts (``Requires-Python``) that have no wheel for it, newer than
    its newest release with a wheel; ``big_count`` of them when the
    newest sdist is big (a resolver backtracking through a package
    offering only sdists would download each)."""
    files = list(files)
    grouped = by_version(files)
    chosen: dict[str, DistFile] = {}
    for tags, release in targets:
        newest_wheel = next(
            (
                version
                for version, group in grouped
                if any(compatible(f, tags) and accepts(f.requires_python, release) for f in group)
            ),
            None,
        )
        taken = 0
        limit = count
        for version, sdist in sdist_only_versions(files, tags, grouped):
            if not taken and (sdist.size or 0) > BIG_SDIST:
                limit = max(count, big_count or count)
            if taken >= limit or (newest_wheel is not None and version < newest_wheel):
                break
            if version.is_prerelease or not accepts(sdist.requires_python, release):
                continue
            taken += 1
            chosen.setdefault(sdist.url, sdist)
    return list(chosen.values())


_BUILD_FAILURE = re.compile(r'Failed to (?:download and )?build `([A-Za-z0-9._-]+)==([^`\s]+)`')


def build_failure(stderr: str) -> tuple[str, str] | None:
    """``(name, version)`` of the sdist uv failed to build, if that is why
    it failed."""
    match = _BUILD_FAILURE.search(stderr)
    return (match.group(1), match.group(2)) if match else None
