"""Metadata read from an index, kept between runs.

One JSON file in the uv cache directory. Everything in it is filed under
the source it came from (the index URL or find-links place that listed
the file; for wheel names, the run's sources), and each file under its
URL *and* the hash its source gave for it: a file served again with
other content (another hash) is read again, and what one index served is
never handed to a resolution of another. Each entry records the project
its file is listed under, and is checked again when read back
(:func:`.static.checked`): an entry that names another project, or that
a resolver could not read, is dropped, never kept.

A file without a hash (a page that gives none) is remembered for the run
only; a local file is filed under its size and modification time.
"""

from __future__ import annotations

import json
import os
import threading
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from openstack_requirements.errors import RequirementsError
from openstack_requirements.model.versions import parse_version
from openstack_requirements.ops.constraints.metadata.bounds import MetadataError
from openstack_requirements.ops.constraints.metadata.pages import DistFile
from openstack_requirements.ops.constraints.metadata.static import Metadata

#: The store's format; an older or newer file is started again.
#: 1: metadata by file URL. 2: by source, URL and hash, with the project
#: (wheels too, since the read-ahead walks their dependencies).
VERSION = 2
#: The code that reads what the store keeps (metadata/static.py and
#: archive.py, their comments and docstrings aside) as of VERSION: a change
#: to it fails tests/ops/test_store.py until this is brought up to date, and
#: VERSION is bumped too when what a read gives changes (entries written by
#: the older code would be handed on as if read by the new).
READER = '450eca0b3400fa8e'
#: A store file bigger than this is started again (it is a cache).
MAX_SIZE = 64 << 20


def file_id(file: DistFile) -> str | None:
    """How a file is filed: its URL and hash (a local file's: its size and
    modification time); None if nothing tells its content."""
    url = file.bare_url
    if file.hash:
        return f'{url} {file.hash}'
    if file.local and url.startswith('file:'):
        path = urllib.request.url2pathname(urllib.parse.urlsplit(url).path)
        try:
            info = os.stat(path)
        except OSError:
            return None
        return f'{url} stat={info.st_size}:{info.st_mtime_ns}'
    return None


class _Source:
    def __init__(self) -> None:
        self.metadata: dict[str, tuple[str, Metadata]] = {}
        #: Files refused: -> (project, reason).
        self.refused: dict[str, tuple[str, str]] = {}
        self.names: dict[str, str] = {}
        #: Files whose metadata is not within the read-ahead's budget.
        self.spent: set[str] = set()

    def as_json(self) -> dict[str, Any]:
        return {
            'metadata': {
                k: {'project': p, 'metadata': m.as_json()}
                for k, (p, m) in sorted(self.metadata.items())
            },
            'refused': {
                k: {'project': p, 'reason': r} for k, (p, r) in sorted(self.refused.items())
            },
            'names': dict(sorted(self.names.items())),
            'spent': sorted(self.spent),
        }


class Store:
    """Metadata of sdists and names of wheels, kept in ``path`` (None:
    for this run only)."""

    VERSION = VERSION

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._sources: dict[str, _Source] = {}
        #: Files without a hash: this run only.
        self._volatile: dict[tuple[str, str], tuple[str, Metadata]] = {}
        self._dirty = False
        #: The file's text as read (None: there was none).
        self._text: str | None = None
        if path is not None and path.is_file():
            self._load(path)

    def _load(self, path: Path) -> None:
        from openstack_requirements.ops import files

        try:
            if path.stat().st_size > MAX_SIZE:
                return
            self._text = files.read_text(path)
            data = json.loads(self._text)
        except (OSError, RequirementsError, ValueError, RecursionError):
            return  # a cache: start again
        if not isinstance(data, dict) or data.get('version') != VERSION:
            return
        sources = data.get('sources')
        if not isinstance(sources, dict):
            return
        for origin, stored in sources.items():
            if isinstance(stored, dict):
                self._sources[origin] = self._read_source(stored)

    def _read_source(self, stored: dict[str, Any]) -> _Source:
        source = _Source()
        for key, entry in (stored.get('metadata') or {}).items():
            try:
                project = canonicalize_name(str(entry['project']))
                metadata = Metadata.from_json(entry['metadata'])
            except (MetadataError, KeyError, TypeError, ValueError, AttributeError):
                self._dirty = True  # a bad entry is not kept
                continue
            if metadata.key != project:
                self._dirty = True
                continue
            source.metadata[str(key)] = (project, metadata)
        refused = stored.get('refused')
        if isinstance(refused, dict):
            for key, entry in refused.items():
                if isinstance(entry, dict):
                    source.refused[str(key)] = (
                        canonicalize_name(str(entry.get('project'))),
                        str(entry.get('reason'))[:500],
                    )
        names = stored.get('names')
        if isinstance(names, dict):
            source.names = {str(k): str(v) for k, v in names.items()}
        spent = stored.get('spent')
        if isinstance(spent, list):
            source.spent = {str(n) for n in spent}
        return source

    def _source(self, origin: str) -> _Source:
        found = self._sources.get(origin)
        if found is None:
            found = self._sources[origin] = _Source()
        return found

    # -- sdist metadata -------------------------------------------------------------

    def get(self, file: DistFile) -> Metadata | None:
        """What was read of ``file`` from its source, if it is still what
        that source lists (same URL and hash) and names its project."""
        key = file_id(file)
        with self._lock:
            if key is None:
                found = self._volatile.get((file.origin, file.bare_url))
            else:
                source = self._sources.get(file.origin)
                found = source.metadata.get(key) if source else None
        if found is None:
            return None
        project, metadata = found
        if project != file.project or parse_version(metadata.version) != (
            parse_version(file.version)
        ):
            return None
        return metadata

    def put(self, file: DistFile, metadata: Metadata) -> None:
        """Keep what was read of ``file`` (checked by the caller)."""
        key = file_id(file)
        with self._lock:
            if key is None:
                self._volatile[(file.origin, file.bare_url)] = (file.project, metadata)
                return
            self._source(file.origin).metadata[key] = (file.project, metadata)
            self._dirty = True

    def forget(self, file: DistFile) -> None:
        """Drop what was kept of ``file`` (a resolver could not read it)."""
        key = file_id(file)
        with self._lock:
            self._volatile.pop((file.origin, file.bare_url), None)
            source = self._sources.get(file.origin)
            if key is not None and source is not None and key in source.metadata:
                del source.metadata[key]
                self._dirty = True

    def refuse(self, file: DistFile, reason: str) -> None:
        """Remember that ``file`` (as its source lists it now) is refused."""
        key = file_id(file)
        with self._lock:
            source = self._sources.get(file.origin)
            if source is not None:
                source.metadata.pop(key or '', None)
            if key is None:
                return
            self._source(file.origin).refused[key] = (file.project, reason)
            self._dirty = True

    def refusal(self, file: DistFile) -> str | None:
        """Why ``file`` was refused by an earlier run, if it was."""
        key = file_id(file)
        with self._lock:
            source = self._sources.get(file.origin)
            found = source.refused.get(key) if source and key else None
        return found[1] if found and found[0] == file.project else None

    def spend(self, file: DistFile) -> None:
        """Remember that ``file``'s metadata is not within the read-ahead's
        budget (it is read whole only if the resolver wants it)."""
        key = file_id(file)
        if key is None:
            return
        with self._lock:
            self._source(file.origin).spent.add(key)
            self._dirty = True

    def spent(self, file: DistFile) -> bool:
        key = file_id(file)
        with self._lock:
            source = self._sources.get(file.origin)
            return bool(key and source and key in source.spent)

    def name(self, identity: str, url: str, digest: str | None) -> str | None:
        """The ``Name`` a wheel's metadata spells, as read before."""
        if not digest:
            return None
        with self._lock:
            source = self._sources.get(identity)
            return source.names.get(f'{url} {digest}') if source else None

    def put_name(self, identity: str, url: str, digest: str | None, name: str) -> None:
        if not digest:
            return
        with self._lock:
            self._source(identity).names[f'{url} {digest}'] = name
            self._dirty = True

    def save(self) -> None:
        if self.path is None or not self._dirty:
            return
        from openstack_requirements.ops import files

        with self._lock:
            text = json.dumps(
                {
                    'version': VERSION,
                    'sources': {k: v.as_json() for k, v in sorted(self._sources.items())},
                },
                indent=0,
            )
            self._dirty = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        changes = files.Changeset()
        changes.add(self.path, self._text, text + '\n')
        try:
            changes.write()
        except RequirementsError:
            pass  # another run saved it meanwhile: a cache, keep theirs
