"""Which Debian packages hold a PyPI distribution.

dh-python, the tool Debian builds Python packages with, ships a map from
PyPI names to the binary packages holding them (``PyYAML python3-yaml``),
generated from the archive: ``cpython3_fallback`` in its ``dist``
directory (``$DH_PYTHON_DIST``, else ``/usr/share/dh-python/dist``). A line
is ``NAME [VERSIONS] DEPENDENCY [; RULES]``; the dependency's first word
is the package. Where the map is not installed, or does not name the
distribution, Debian's naming convention is looked up: the binary package
``python3-NAME`` (lower case, ``_`` as ``-``, a ``python-`` prefix
dropped, as dh-python guesses it), then the binaries of the source package
``python-NAME``, then those of the source package ``NAME``.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from pathlib import Path

from packaging.utils import canonicalize_name

from openstack_requirements.errors import FileError
from openstack_requirements.ops.files import read_text

DEFAULT_DIST = '/usr/share/dh-python/dist'
MAP_NAME = 'cpython3_fallback'

_MAP_LINE = re.compile(
    r'(?P<name>[^\s;]+)\s*'
    r'(?:-?\d\.\d+(?:-(?:\d\.\d+)?)?\s+)?'
    r'(?P<package>[a-z0-9][a-z0-9+.-]*)'
)


def default_map() -> Path | None:
    """dh-python's map, when installed."""
    path = Path(os.environ.get('DH_PYTHON_DIST') or DEFAULT_DIST) / MAP_NAME
    return path if path.is_file() else None


def read_map(path: str | os.PathLike[str]) -> dict[str, str]:
    """A map in dh-python's format: canonical PyPI name -> binary package
    (the first line naming a distribution wins, as in dh-python)."""
    found: dict[str, str] = {}
    for lineno, line in enumerate(read_text(path).splitlines(), 1):
        text = line.strip()
        if not text or text.startswith('#'):
            continue
        match = _MAP_LINE.match(text)
        if match is None:
            raise FileError(f'{path}:{lineno}: not a dh-python map line: {text}')
        found.setdefault(canonicalize_name(match['name']), match['package'])
    return found


def sensible(name: str) -> str:
    """The part of Debian package names dh-python guesses for a PyPI
    name: ``python-dateutil`` -> ``dateutil``, ``oslo.config`` ->
    ``oslo.config``, ``Flask_Cors`` -> ``flask-cors``."""
    guess = re.sub(r'[^A-Za-z0-9.]+', '-', name).lower()
    return guess.removeprefix('python-')


@dataclasses.dataclass(frozen=True)
class Candidates:
    """Where a distribution may be, in the order to look."""

    #: Binary packages: the map's, then ``python3-NAME``.
    binaries: tuple[str, ...]
    #: Source packages whose ``python3-`` binaries hold it.
    sources: tuple[str, ...]


def candidates(name: str, known: Mapping[str, str]) -> Candidates:
    """Where the PyPI distribution ``name`` may be, ``known`` being a
    dh-python map (:func:`read_map`)."""
    guess = sensible(name)
    binaries = [f'python3-{guess}']
    mapped = known.get(canonicalize_name(name))
    if mapped is not None and mapped not in binaries:
        binaries.insert(0, mapped)
    sources = [f'python-{guess}']
    if guess not in sources:
        sources.append(guess)
    return Candidates(tuple(binaries), tuple(sources))
