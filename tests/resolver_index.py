"""Tiny wheels written by hand, for resolver tests without a network.

A wheel here is a zip holding only ``METADATA``, ``WHEEL`` and ``RECORD``:
enough for pip and uv to resolve (they read the metadata), never meant to
be installed for real. Point a resolver at the directory with
``--find-links DIR --no-index``, or serve it as a simple index on
127.0.0.1 with :func:`serve_simple_index`.
"""

from __future__ import annotations

import base64
import collections
import contextlib
import hashlib
import html
import http.server
import json
import os
import re
import shutil
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name


def _dist_name(name: str) -> str:
    return re.sub(r'[-_.]+', '_', name).lower()


def _record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return 'sha256=' + base64.urlsafe_b64encode(digest).rstrip(b'=').decode()


def make_wheel(
    directory: str | Path,
    name: str,
    version: str,
    requires_python: str | None = None,
    requires: Iterable[str] = (),
) -> Path:
    """Write ``name-version-py3-none-any.whl`` into ``directory``.

    ``requires`` are PEP 508 lines (``'dep>=1; python_version < "3.12"'``),
    written as ``Requires-Dist``; ``requires_python`` as
    ``Requires-Python``. Returns the wheel's path.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    dist = _dist_name(name)
    info = f'{dist}-{version}.dist-info'
    metadata = ['Metadata-Version: 2.1', f'Name: {name}', f'Version: {version}']
    if requires_python:
        metadata.append(f'Requires-Python: {requires_python}')
    metadata.extend(f'Requires-Dist: {r}' for r in requires)
    files = {
        f'{info}/METADATA': '\n'.join(metadata) + '\n\n',
        f'{info}/WHEEL': (
            'Wheel-Version: 1.0\nGenerator: resolver_index\n'
            'Root-Is-Purelib: true\nTag: py3-none-any\n\n'
        ),
    }
    record = [
        f'{path},{_record_hash(text.encode())},{len(text.encode())}'
        for path, text in files.items()
    ]
    record.append(f'{info}/RECORD,,')
    files[f'{info}/RECORD'] = '\n'.join(record) + '\n'
    path = directory / f'{dist}-{version}-py3-none-any.whl'
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as archive:
        for member, text in files.items():
            archive.writestr(member, text)
    return path


#: What the setup.py of :func:`make_sdist` prints when it runs: a build
#: that needs a system library this machine does not have.
MISSING_HEADER = 'fatal error: systemd/sd-journal.h: No such file or directory'


def make_sdist(
    directory: str | Path,
    name: str,
    version: str,
    requires: Iterable[str] = (),
    requires_python: str | None = None,
    metadata_version: str = '2.1',
    egg_info: bool = False,
    ran: Path | None = None,
) -> Path:
    """Write ``name-version.tar.gz``: an sdist whose build always fails
    (its setup.py exits with a missing-header error, after touching
    ``ran`` if given) and whose dependencies are declared in its
    ``PKG-INFO``, or with ``egg_info`` only in
    ``NAME.egg-info/requires.txt`` (as old setuptools wrote them)."""
    import io
    import tarfile

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    base = f'{_dist_name(name)}-{version}'
    info = [f'Metadata-Version: {metadata_version}', f'Name: {name}', f'Version: {version}']
    if requires_python:
        info.append(f'Requires-Python: {requires_python}')
    if not egg_info:
        info.extend(f'Requires-Dist: {r}' for r in requires)
    members = {f'{base}/PKG-INFO': '\n'.join(info) + '\n\n'}
    touch = f'open({str(ran)!r}, "w").close()\n' if ran else ''
    members[f'{base}/setup.py'] = (
        'import sys\n' + touch + f'sys.exit("src/journal.c:1:10: {MISSING_HEADER}")\n'
    )
    if egg_info:
        egg = f'{base}/{_dist_name(name)}.egg-info'
        members[f'{egg}/PKG-INFO'] = members[f'{base}/PKG-INFO']
        members[f'{egg}/requires.txt'] = ''.join(r + '\n' for r in requires)
    path = directory / f'{base}.tar.gz'
    with tarfile.open(path, 'w:gz') as archive:
        for member, text in members.items():
            data = text.encode()
            entry = tarfile.TarInfo(member)
            entry.size = len(data)
            archive.addfile(entry, io.BytesIO(data))
    return path


#: A package: ``(name, version, requires_python, requires)``.
Spec = tuple[str, str, str | None, Sequence[str]]


def make_index(directory: str | Path, packages: Iterable[Spec]) -> Path:
    """Write one wheel per package spec; returns ``directory``."""
    directory = Path(directory)
    for name, version, requires_python, requires in packages:
        make_wheel(directory, name, version, requires_python, requires)
    return directory


def write_requirements(path: str | Path, lines: Iterable[str]) -> Path:
    path = Path(path)
    path.write_text(''.join(line + '\n' for line in lines))
    return path


#: A small world whose resolution differs across Python 3.10 to 3.13:
#:
#: ====== ======== ======== ======== ========
#: name   3.10     3.11     3.12     3.13
#: ====== ======== ======== ======== ========
#: alpha  1.0      2.0      2.0      3.0
#: beta   1.0      1.0      1.0      1.0
#: gamma  1.0      1.0      -        -
#: delta  1.9      1.9      1.10     1.10
#: eps    2.0      1.0      2.0      2.0
#: Deny.Me 1.0     1.0      1.0      1.0
#: ====== ======== ======== ======== ========
WORLD: tuple[Spec, ...] = (
    (
        'top',
        '1.0',
        '>=3.10',
        (
            'alpha',
            'beta',
            'gamma; python_version < "3.12"',
            'delta',
            'eps<2; python_version == "3.11"',
            'eps; python_version != "3.11"',
            'Deny.Me',
        ),
    ),
    ('alpha', '1.0', None, ()),
    ('alpha', '2.0', '>=3.11', ()),
    ('alpha', '3.0', '>=3.13', ()),
    ('beta', '1.0', None, ()),
    ('gamma', '1.0', None, ()),
    ('delta', '1.9', None, ()),
    ('delta', '1.10', '>=3.12', ()),
    ('eps', '1.0', None, ()),
    ('eps', '2.0', None, ()),
    ('Deny.Me', '1.0', None, ()),
    # a conflict: top-conflict needs beta<1, and beta 1.0 is the only beta
    ('conflict', '1.0', None, ('beta<1',)),
)

#: What WORLD resolves to from ``top``, per Python.
EXPECTED: Mapping[str, Mapping[str, str]] = {
    '3.10': {
        'top': '1.0',
        'alpha': '1.0',
        'beta': '1.0',
        'gamma': '1.0',
        'delta': '1.9',
        'eps': '2.0',
        'deny-me': '1.0',
    },
    '3.11': {
        'top': '1.0',
        'alpha': '2.0',
        'beta': '1.0',
        'gamma': '1.0',
        'delta': '1.9',
        'eps': '1.0',
        'deny-me': '1.0',
    },
    '3.12': {
        'top': '1.0',
        'alpha': '2.0',
        'beta': '1.0',
        'delta': '1.10',
        'eps': '2.0',
        'deny-me': '1.0',
    },
    '3.13': {
        'top': '1.0',
        'alpha': '3.0',
        'beta': '1.0',
        'delta': '1.10',
        'eps': '2.0',
        'deny-me': '1.0',
    },
}


class SimpleIndex:
    """A PEP 503 simple index of a wheel directory, served on 127.0.0.1."""

    def __init__(
        self,
        wheels: str | Path,
        root: Path,
        core_metadata: bool = False,
        upload_times: Mapping[str, str] | None = None,
        requires_python: bool = False,
        yanked: frozenset[str] = frozenset(),
    ) -> None:
        self.wheels = Path(wheels)
        self.root = root
        #: With it, pages are PEP 691 JSON (v1.1), each file with its
        #: size and, if named here (file name -> RFC 3339 time), its
        #: upload time.
        self.upload_times = upload_times
        #: Whether each wheel's METADATA is served beside it (PEP 658).
        self.core_metadata = core_metadata
        #: Whether each link carries its wheel's Requires-Python, as
        #: PyPI's do (``data-requires-python``, PEP 503).
        self.requires_python = requires_python
        #: The file names served as yanked (``data-yanked``, PEP 592).
        self.yanked = yanked
        self.url = ''
        #: The paths requested so far by the resolver.
        self.requests: list[str] = []
        #: The paths openstack-requirements itself asked for (to read a
        #: wheel's metadata name or an sdist's PKG-INFO).
        self.ours: list[str] = []
        #: How many times each path was asked for, by anyone.
        self.counts: collections.Counter[str] = collections.Counter()
        self.publish()

    def publish(self) -> None:
        """(Re)write the pages from the wheels now in the directory; they
        are served as modified, so clients that revalidate see them."""
        files = self.root / 'files'
        files.mkdir(parents=True, exist_ok=True)
        projects: dict[str, list[str]] = {}
        found = [*self.wheels.glob('*.whl'), *self.wheels.glob('*.tar.gz')]
        for wheel in sorted(found):
            shutil.copy(wheel, files / wheel.name)
            name = canonicalize_name(wheel.name.split('-', 1)[0])
            projects.setdefault(name, []).append(wheel.name)
        later = time.time() + 10 * (1 + len(self.requests))
        for name, wheel_names in projects.items():
            page = self.root / 'simple' / name
            page.mkdir(parents=True, exist_ok=True)
            # as real indexes do, with each file's hash (pylock output needs
            # them; without, uv would download every file to hash it)
            links = ''.join(
                f'<a href="../../files/{w}#sha256='
                f'{hashlib.sha256((files / w).read_bytes()).hexdigest()}"'
                f'{self._metadata_file(files / w)}{self._requires_python(files / w)}'
                f'{" data-yanked" if w in self.yanked else ""}>{w}</a>\n'
                for w in wheel_names
            )
            (page / 'index.html').write_text(f'<html><body>\n{links}</body></html>\n')
            os.utime(page / 'index.html', (later, later))
            if self.upload_times is not None:
                (page / 'index.json').write_text(self._json_page(name, files, wheel_names))

    def _json_page(self, name: str, files: Path, names: Sequence[str]) -> str:
        """A PEP 691 page (v1.1: sizes, upload times) of ``names``."""
        assert self.upload_times is not None
        entries = []
        for filename in names:
            data = (files / filename).read_bytes()
            entry: dict[str, Any] = {
                'filename': filename,
                'url': f'../../files/{filename}',
                'hashes': {'sha256': hashlib.sha256(data).hexdigest()},
                'size': len(data),
            }
            if filename in self.upload_times:
                entry['upload-time'] = self.upload_times[filename]
            entries.append(entry)
        document = {'meta': {'api-version': '1.1'}, 'name': name, 'files': entries}
        return json.dumps(document)

    def _requires_python(self, path: Path) -> str:
        """With :attr:`requires_python`, a wheel's Requires-Python as its
        link's attribute."""
        if not self.requires_python or path.suffix != '.whl':
            return ''
        with zipfile.ZipFile(path) as archive:
            member = next(n for n in archive.namelist() if n.endswith('.dist-info/METADATA'))
            text = archive.read(member).decode()
        for line in text.splitlines():
            if line.startswith('Requires-Python:'):
                value = html.escape(line.split(':', 1)[1].strip())
                return f' data-requires-python="{value}"'
        return ''

    def _metadata_file(self, path: Path) -> str:
        """With :attr:`core_metadata`, write a wheel's METADATA beside it as
        ``FILE.metadata``; the attribute its link then carries."""
        if not self.core_metadata or path.suffix != '.whl':
            return ''
        with zipfile.ZipFile(path) as archive:
            member = next(n for n in archive.namelist() if n.endswith('.dist-info/METADATA'))
            data = archive.read(member)
        Path(f'{path}.metadata').write_bytes(data)
        return f' data-core-metadata="sha256={hashlib.sha256(data).hexdigest()}"'


@contextlib.contextmanager
def serve_simple_index(
    wheels: str | Path,
    core_metadata: bool = False,
    upload_times: Mapping[str, str] | None = None,
    requires_python: bool = False,
    yanked: frozenset[str] = frozenset(),
) -> Iterator[SimpleIndex]:
    """The wheels of ``wheels`` as a simple index on 127.0.0.1 (with
    ``core_metadata``, each wheel's METADATA beside it, PEP 658; with
    ``upload_times``, PEP 691 JSON pages giving them); pages are sent with
    ``Cache-Control: max-age=0`` so a cache revalidates them."""
    root = Path(tempfile.mkdtemp(prefix='simple-index-'))
    index = SimpleIndex(wheels, root, core_metadata, upload_times, requires_python, yanked)
    lock = threading.Lock()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            agent = self.headers.get('User-Agent', '')
            (index.ours if agent.startswith('openstack-requirements') else index.requests).append(
                self.path
            )
            with lock:
                index.counts[self.path] += 1
            page = root / self.path.lstrip('/') / 'index.json'
            if index.upload_times is not None and self.path.endswith('/') and page.is_file():
                body = page.read_bytes()
                self.send_response(200)
                self.send_header('Content-Type', 'application/vnd.pypi.simple.v1+json')
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

        def end_headers(self) -> None:
            self.send_header('Cache-Control', 'max-age=0')
            super().end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    index.url = f'http://127.0.0.1:{server.server_port}/simple'
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield index
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(root, ignore_errors=True)
