"""The files find-links places offer, read as pip reads them: a
directory's files and the links of its HTML files, an HTML file's links,
a URL's page; each page read once a run, its links filtered per project
(and to the run's wheel tags)."""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable
from pathlib import Path

from openstack_requirements.ops.constraints.metadata import http, pages
from openstack_requirements.ops.constraints.metadata.bounds import Limits, MetadataError
from openstack_requirements.ops.constraints.metadata.local import (
    file_path,
    local_place,
    read_local,
)
from openstack_requirements.ops.constraints.metadata.pages import Page, dist_file


class FindLinks:
    """Reads find-links places through ``client``; ``take`` holds the
    files listed (the run's limit), ``keep`` the wheel tags kept."""

    def __init__(
        self,
        client: http.Client,
        limits: Limits,
        keep: frozenset[str] | None,
        take: Callable[[int], None],
    ) -> None:
        self.http = client
        self.limits = limits
        self.keep = keep
        self.take = take
        self._lock = threading.Lock()
        self._links: dict[str, Page] = {}

    def files(self, place: str, key: str) -> Page:
        """The files of ``key`` a find-links place offers (as pip: a
        directory's files and the links of its HTML files; an HTML file's
        links; a URL's page)."""
        path = local_place(place)
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
                file = dist_file(
                    entry.name,
                    entry.resolve().as_uri(),
                    key,
                    origin=place,
                    local=True,
                    hash=f'stat={info.st_size}:{info.st_mtime_ns}',
                )
                if file is not None:
                    found.files.append(file)
        elif os.path.isfile(path):
            if path.lower().endswith(('.html', '.htm')):
                return self._filtered(self._links_page(Path(path).as_uri()), key)
            file = dist_file(
                os.path.basename(path),
                Path(path).resolve().as_uri(),
                key,
                origin=place,
                local=True,
            )
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
                page = pages.all_links(body, url, True, self.limits, self.take)
            else:
                with self.http.fetch(url, {'Accept-Encoding': 'gzip'}) as (status, _, body, final):
                    if status == 200:
                        page = pages.all_links(body, final, False, self.limits, self.take)
        except MetadataError:
            page = Page()  # as pip: a find-links place it cannot read is skipped
        with self._lock:
            self._links[url] = page
        return page

    def _filtered(self, page: Page, key: str) -> Page:
        files = [
            dataclasses.replace(f, project=key)
            for f in page.files
            if pages.project_of(f.filename) == key
        ]
        if self.keep is not None:
            files = [f for f in files if f.wheel_tags is None or f.wheel_tags & self.keep]
        return Page(files, [r for r in page.refused if r[0] == key])
