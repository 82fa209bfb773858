"""The files of index pages the health report read, kept for a while.

An index page changes when a release is uploaded or yanked; PyPI lets
its simple pages be cached for ten minutes. A second report within
``max_age`` seconds reads the files it kept instead of the pages: one
JSON file, filed by index URL and project, each entry with the time it
was read. The file carries its format's version; a file of another
version, unreadable or too big, is started again (it is a cache).
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from pathlib import Path
from typing import Any

from openstack_requirements.errors import RequirementsError
from openstack_requirements.ops import files as files_module
from openstack_requirements.ops.constraints.metadata.pages import DistFile

#: The format written; 1: files by index URL and project, with the time read.
VERSION = 1
MAX_SIZE = 256 << 20
#: How long a page is kept by default (PyPI's Cache-Control max-age).
MAX_AGE = 600.0


def default_path() -> Path:
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    return Path(base) / 'openstack-requirements' / 'health-pages.json'


class PageCache:
    """The pages one report may reuse (``max_age`` 0: none, none kept)."""

    def __init__(
        self, path: Path | None, index_url: str, max_age: float, now: float | None = None
    ) -> None:
        self.path, self.index_url, self.max_age = path, index_url, max_age
        self.now = time.time() if now is None else now
        self._data: dict[str, Any] = {'version': VERSION, 'indexes': {}}
        self._fresh: dict[str, list[DistFile]] = {}
        #: The file's text as read (the writer checks it is unchanged).
        self._text: str | None = None
        if path is None or max_age <= 0:
            return
        try:
            if path.stat().st_size <= MAX_SIZE:
                self._text = path.read_text()
                found = json.loads(self._text)
                if isinstance(found, dict) and found.get('version') == VERSION:
                    self._data = found
        except (OSError, ValueError):
            pass

    @property
    def _pages(self) -> dict[str, Any]:
        pages = self._data['indexes'].setdefault(self.index_url, {})
        assert isinstance(pages, dict)
        return pages

    def get(self, key: str) -> list[DistFile] | None:
        if self.max_age <= 0:
            return None
        entry = self._pages.get(key)
        try:
            if not entry or self.now - float(entry['read']) > self.max_age:
                return None
            return [_file(item) for item in entry['files']]
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, key: str, files: list[DistFile]) -> None:
        if self.max_age > 0:
            self._fresh[key] = files

    def save(self) -> None:
        if self.path is None or self.max_age <= 0 or not self._fresh:
            return
        pages = self._pages
        for key, files in self._fresh.items():
            pages[key] = {'read': self.now, 'files': [_item(f) for f in files]}
        for key in [
            k
            for k, v in pages.items()
            if not isinstance(v, dict) or self.now - float(v.get('read', 0)) > self.max_age
        ]:
            del pages[key]
        changes = files_module.Changeset()
        changes.add(self.path, self._text, json.dumps(self._data))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            changes.write()
        except (OSError, RequirementsError):
            pass  # a cache: the report stands without it (or another run's)


_FIELDS = tuple(f.name for f in dataclasses.fields(DistFile))


def _item(file: DistFile) -> dict[str, Any]:
    found = {name: getattr(file, name) for name in _FIELDS}
    found['wheel_tags'] = None if file.wheel_tags is None else sorted(file.wheel_tags)
    return found


def _file(item: dict[str, Any]) -> DistFile:
    tags = item.get('wheel_tags')
    return DistFile(**{**item, 'wheel_tags': None if tags is None else frozenset(tags)})
