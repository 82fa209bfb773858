"""``--pylock DIR``: a PEP 751 lock file per Python, from the resolution
the constraints come from.

The uv resolver asks uv for a ``pylock.toml`` anyway (its pins are read
from it); that text is kept, completed from the index's pages (a file's
upload time, size or sha256 that uv left out and the page gives), its
index URLs turned back from the URL uv was given into the user's index,
checked with ``packaging.pylock`` and written beside the others.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from openstack_requirements.errors import RequirementsError
from openstack_requirements.ops.constraints.cutoff import parse_upload_time
from openstack_requirements.ops.constraints.metadata.pages import DistFile
from openstack_requirements.ops.constraints.pins import python_key

_PYTHON = re.compile(r'^(\d+)\.(\d+)$')


def file_name(python: str) -> str:
    """``pylock.py312.toml`` for Python 3.12: PEP 751 names a lock file
    ``pylock.NAME.toml`` with no dot in NAME."""
    found = _PYTHON.match(python)
    if found is None:
        raise RequirementsError(f'--pylock: no lock file name for Python {python}')
    return f'pylock.py{found.group(1)}{found.group(2)}.toml'


def real_url(url: str, seen: str, real: str) -> str:
    """``url`` as the user's index ``real`` serves it, when it points at
    ``seen``, the index URL uv was given (a local proxy in front of
    ``real``): under it, the same place under ``real``; elsewhere on its
    host, the same place relative to ``real``. Any other URL (a file's, on
    its origin) as it is."""
    base = seen.rstrip('/')
    if url == base or url.startswith(base + '/'):
        return real.rstrip('/') + url[len(base) :]
    there, here = urllib.parse.urlsplit(url), urllib.parse.urlsplit(base)
    if (there.scheme, there.netloc) != (here.scheme, here.netloc):
        return url
    relative = posixpath.relpath(there.path or '/', here.path or '/')
    if there.path.endswith('/') and not relative.endswith('/'):
        relative += '/'
    joined = urllib.parse.urljoin(real.rstrip('/') + '/', relative)
    return urllib.parse.urlunsplit(
        urllib.parse.urlsplit(joined)._replace(query=there.query, fragment=there.fragment)
    )


def complete(
    text: str,
    seen: str | None,
    real: str | None,
    files_of: Callable[[str], Sequence[DistFile]],
) -> str:
    """uv's ``pylock.toml`` text with the index URLs of ``seen`` made
    ``real``'s, and each file's missing upload time, size and sha256
    filled in from the index's page (``files_of(name)``; read only for a
    package that misses some)."""
    import tomlkit

    document = tomlkit.parse(text)
    for package in document.get('packages', ()):
        name = str(package.get('name', ''))
        if seen and real and isinstance(package.get('index'), str):
            package['index'] = real_url(str(package['index']), seen, real)
        entries: list[Any] = list(package.get('wheels', ()))
        entries += [package[key] for key in ('sdist', 'archive') if key in package]
        known: dict[str, DistFile] | None = None
        for entry in entries:
            url = entry.get('url')
            if seen and real and isinstance(url, str):
                entry['url'] = url = real_url(url, seen, real)
            if all(key in entry for key in ('upload-time', 'size', 'hashes')):
                continue
            if known is None:
                known = _by_file_name(files_of(name)) if name else {}
            found = known.get(_file_name(entry))
            if found is not None:
                _fill(entry, found)
    return tomlkit.dumps(document)


def _by_file_name(files: Sequence[DistFile]) -> dict[str, DistFile]:
    return {f.filename: f for f in files}


def _file_name(entry: Any) -> str:
    name = entry.get('name')
    if isinstance(name, str) and name:
        return name
    url = entry.get('url') or entry.get('path') or ''
    return urllib.parse.unquote(urllib.parse.urlsplit(str(url)).path.rsplit('/', 1)[-1])


def _fill(entry: Any, found: DistFile) -> None:
    if 'upload-time' not in entry:
        when = parse_upload_time(found.upload_time)
        if when is not None:
            entry['upload-time'] = when
    if 'size' not in entry and found.size is not None:
        entry['size'] = found.size
    algorithm, _, digest = (found.hash or '').partition('=')
    if 'hashes' not in entry and digest and algorithm in hashlib.algorithms_guaranteed:
        entry['hashes'] = {algorithm: digest}  # not a local file's stat=SIZE:MTIME


def check(text: str, path: str) -> None:
    """Fail (one line naming ``path``) unless ``text`` is a lock file
    ``packaging.pylock`` accepts, every file in it with a URL and a
    hash."""
    import tomllib

    try:
        from packaging.pylock import Pylock, PylockValidationError
    except ImportError:  # packaging < 25.1
        raise RequirementsError('--pylock needs packaging >= 25.1 (packaging.pylock)') from None
    try:
        lock = Pylock.from_dict(tomllib.loads(text))
    except (ValueError, PylockValidationError) as err:
        raise RequirementsError(f'{path}: not a valid PEP 751 lock file: {err}') from None
    for package in lock.packages:
        files: list[Any] = list(package.wheels or ())
        files += [f for f in (package.sdist, package.archive) if f is not None]
        if not files:
            raise RequirementsError(
                f'{path}: {package.name} {package.version}: no file to install'
            )
        for file in files:
            if not file.url or not file.hashes:
                raise RequirementsError(
                    f'{path}: {package.name} {package.version}: a file without a URL or a hash'
                )


def paths(directory: str, pythons: Sequence[str]) -> dict[str, str]:
    """Where the lock file of each of ``pythons`` goes, by Python."""
    return {python: os.path.join(directory, file_name(python)) for python in pythons}


def changes(directory: str, locks: Mapping[str, str]) -> list[tuple[str, str | None, str]]:
    """``(path, old text or None, new text)`` for each Python's lock file,
    every one checked first (nothing is written if one fails)."""
    from openstack_requirements.ops import files

    planned = []
    for python, path in paths(directory, sorted(locks, key=python_key)).items():
        text = locks[python]
        check(text, path)
        old = files.read_text(path) if os.path.exists(path) else None
        planned.append((path, old, text))
    return planned
