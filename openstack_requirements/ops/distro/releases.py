"""Releases of a distribution: the package indexes read under one name,
and a PyPI distribution found in them.

An index is named by its release: ``NAME=FILE`` names it; else the suite
in its path (``dists/SUITE/`` of a mirror, ``_dists_SUITE_`` of apt's
lists), updates and security suites (``trixie-updates``,
``trixie-security``) counted as their release (a system of that release
installs from them); else the file's name. A directory stands for every
``Packages`` and ``Sources`` index in it, named as apt names its lists.
By default the indexes are the machine's apt lists.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from packaging.markers import default_environment

from openstack_requirements.errors import FileError
from openstack_requirements.ops.distro import debian, names
from openstack_requirements.ops.distro.indexes import Index, read_index

APT_LISTS = Path('/var/lib/apt/lists')
#: Suites a system of the release installs from, as the release.
FOLDED = ('-updates', '-security')
#: An index among apt's lists (a file name).
_INDEX_NAME = re.compile(r'(?:^|_)(?:Packages|Sources)(?:\.(?:gz|xz|bz2|lz4|zst))?$')
_APT_SUITE = re.compile(r'_dists_([^_]+)_')
_COMPRESSED = ('.gz', '.xz', '.bz2', '.lz4', '.zst')


@dataclasses.dataclass(frozen=True)
class Found:
    """Where a release has a distribution."""

    #: The binary package; ``src:NAME`` when only a Sources index has it.
    package: str
    version: str


@dataclasses.dataclass
class Release:
    """The indexes of one release."""

    name: str
    indexes: list[Index]

    def find(self, where: names.Candidates) -> Found | None:
        """The first of ``where`` the release has, newest version of its
        indexes: a binary package of a Packages index, else the source
        building it in a Sources index; else a source package's
        ``python3-`` binaries (the first by name), else the source."""
        for binary in where.binaries:
            found = self._binary(binary) or self._building(binary)
            if found is not None:
                return found
        for source in where.sources:
            found = self._python_binary(source) or self._source(source)
            if found is not None:
                return found
        return None

    def _binary(self, name: str) -> Found | None:
        return _newest(
            Found(b.name, b.version)
            for index in self.indexes
            if (b := index.binary(name)) is not None
        )

    def _building(self, binary: str) -> Found | None:
        return _newest(
            Found(f'src:{s.name}', s.version)
            for index in self.indexes
            if (s := index.source_building(binary)) is not None
        )

    def _python_binary(self, source: str) -> Found | None:
        built = sorted(
            (
                b
                for index in self.indexes
                for b in index.built_from(source)
                if b.name.startswith('python3-')
            ),
            key=lambda b: b.name,
        )
        return self._binary(built[0].name) if built else None

    def _source(self, name: str) -> Found | None:
        return _newest(
            Found(f'src:{s.name}', s.version)
            for index in self.indexes
            if (s := index.source(name)) is not None
            and any(b.startswith('python3-') for b in s.binaries)
        )

    @functools.cached_property
    def environment(self) -> dict[str, str]:
        """The marker environment of a Linux system of this release: its
        Python (the ``python3`` package, else the ``python3-defaults``
        source), else this interpreter's."""
        env = {k: str(v) for k, v in default_environment().items()}
        env.update(
            sys_platform='linux',
            platform_system='Linux',
            os_name='posix',
            platform_python_implementation='CPython',
            implementation_name='cpython',
        )
        found = self._binary('python3') or self._source_any('python3-defaults')
        version = debian.python_version(found.version) if found else None
        if version is not None and len(version.release) >= 2:
            major, minor = version.release[:2]
            env.update(
                python_version=f'{major}.{minor}',
                python_full_version=version.base_version,
                implementation_version=version.base_version,
            )
        return env

    def _source_any(self, name: str) -> Found | None:
        return _newest(
            Found(f'src:{s.name}', s.version)
            for index in self.indexes
            if (s := index.source(name)) is not None
        )


def _newest(found: Iterable[Found]) -> Found | None:
    best = None
    for item in found:
        if best is None or debian.compare(item.version, best.version) > 0:
            best = item
    return best


@dataclasses.dataclass
class Distributions:
    """The releases of a run, and the PyPI-to-Debian map they are read
    with."""

    releases: list[Release]
    known: Mapping[str, str] = dataclasses.field(default_factory=dict)
    #: Lookups already made: (release, PyPI name) -> where.
    _found: dict[tuple[str, str], Found | None] = dataclasses.field(
        default_factory=dict, repr=False
    )

    def find(self, release: Release, name: str) -> Found | None:
        """The package of ``release`` holding the PyPI distribution ``name``."""
        key = (release.name, name)
        if key not in self._found:
            self._found[key] = release.find(names.candidates(name, self.known))
        return self._found[key]


def release_name(path: str | os.PathLike[str]) -> str:
    """The release an index file belongs to, told by its path."""
    place = Path(path)
    match = _APT_SUITE.search(place.name)
    if match is not None:
        suite = match.group(1)
    elif 'dists' in place.parts[:-1]:
        parts = place.parts
        suite = parts[len(parts) - 1 - parts[::-1].index('dists') + 1]
    else:
        return _uncompressed_name(place.name)
    for folded in FOLDED:
        if suite.endswith(folded) and len(suite) > len(folded):
            return suite.removesuffix(folded)
    return suite


def apt_indexes(directory: str | os.PathLike[str]) -> list[Path]:
    """The Packages and Sources indexes of a directory: apt's lists
    (``..._Packages.lz4``) or a mirror's (``Packages.xz``; of one index
    there in several compressions, the first by name)."""
    place = Path(directory)
    try:
        entries = sorted(place.iterdir())
    except FileNotFoundError:
        raise FileError(f'{place}: no such directory') from None
    except OSError as err:
        raise FileError(f'{place}: {err.strerror}') from None
    found: dict[str, Path] = {}
    for path in entries:
        if _INDEX_NAME.search(path.name) and path.is_file():
            found.setdefault(_uncompressed_name(path.name), path)
    if not found:
        raise FileError(
            f'{place}: no Packages or Sources index (run apt-get update, or name the index files)'
        )
    return list(found.values())


def _uncompressed_name(name: str) -> str:
    for suffix in _COMPRESSED:
        name = name.removesuffix(suffix)
    return name


def index_files(specs: Sequence[str]) -> list[tuple[str, Path]]:
    """``(release, path)`` for each of ``specs`` (``[NAME=]PATH``, a path
    being a file or a directory of apt's lists); the apt lists when none
    are given."""
    if not specs:
        specs = [str(APT_LISTS)]
    chosen: list[tuple[str, Path]] = []
    for spec in specs:
        name, equals, where = spec.partition('=')
        if not equals or not name or os.path.lexists(spec):
            name, where = '', spec
        path = Path(where)
        paths = apt_indexes(path) if path.is_dir() else [path]
        chosen.extend((name or release_name(p), p) for p in paths)
    return chosen


def load(
    specs: Sequence[str] = (), map_file: str | os.PathLike[str] | None = None
) -> Distributions:
    """The releases of the indexes ``specs`` (see :func:`index_files`),
    in the order first named, read with ``map_file`` (default:
    dh-python's map when installed)."""
    files = index_files(specs)
    with ThreadPoolExecutor(max_workers=min(4, len(files))) as pool:
        # decompression lets go of the interpreter lock: files in parallel
        read = list(pool.map(read_index, [p for _, p in files]))
    releases: dict[str, Release] = {}
    for (name, _), index in zip(files, read, strict=True):
        releases.setdefault(name, Release(name, [])).indexes.append(index)
    if map_file is None:
        map_file = names.default_map()
    known = names.read_map(map_file) if map_file is not None else {}
    return Distributions(list(releases.values()), known)
