"""A simple index (PEP 691 JSON, or PEP 503 HTML) served on 127.0.0.1
for the health report's tests, counting what is asked of it."""

from __future__ import annotations

import collections
import contextlib
import hashlib
import html
import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

from tests.indexserver import stamp


class Project:
    """One project: its releases, each ``version -> options``: ``age``
    (days), ``yanked`` (False, True or a reason), ``python`` (its
    Requires-Python), ``metadata`` (the METADATA a ``.metadata`` file
    serves)."""

    def __init__(self, name: str, html_only: bool = False) -> None:
        self.name, self.html_only = name, html_only
        self.releases: dict[str, dict[str, Any]] = {}

    def release(
        self,
        version: str,
        age: float = 30,
        yanked: bool | str = False,
        python: str | None = None,
        metadata: str | None = None,
    ) -> Project:
        self.releases[version] = {
            'age': age,
            'yanked': yanked,
            'python': python,
            'metadata': metadata,
        }
        return self

    def filename(self, version: str) -> str:
        return f'{self.name.replace("-", "_")}-{version}-py3-none-any.whl'

    def json_page(self) -> bytes:
        files = []
        for version, options in self.releases.items():
            entry: dict[str, Any] = {
                'filename': self.filename(version),
                'url': f'../../files/{self.filename(version)}',
                'hashes': {'sha256': '0' * 64},
                'upload-time': stamp(options['age']),
                'yanked': options['yanked'],
            }
            if options['python']:
                entry['requires-python'] = options['python']
            if options['metadata'] is not None:
                digest = hashlib.sha256(options['metadata'].encode()).hexdigest()
                entry['core-metadata'] = {'sha256': digest}
            files.append(entry)
        return json.dumps(
            {'meta': {'api-version': '1.1'}, 'name': self.name, 'files': files}
        ).encode()

    def html_page(self) -> bytes:
        links = []
        for version, options in self.releases.items():
            extra = ''
            if options['python']:
                extra += f' data-requires-python="{html.escape(options["python"])}"'
            if options['yanked']:
                reason = options['yanked'] if isinstance(options['yanked'], str) else ''
                extra += f' data-yanked="{html.escape(reason)}"'
            links.append(
                f'<a href="../../files/{self.filename(version)}"{extra}>'
                f'{self.filename(version)}</a>'
            )
        return ('<!DOCTYPE html><html><body>' + '\n'.join(links) + '</body></html>').encode()


class Index:
    def __init__(self) -> None:
        self.projects: dict[str, Project] = {}
        self.requests: collections.Counter[str] = collections.Counter()
        self.url = ''

    def add(self, project: Project) -> Project:
        self.projects[project.name] = project
        return project

    def answer(self, path: str, accept: str) -> tuple[int, str, bytes]:
        parts = path.strip('/').split('/')
        if len(parts) == 2 and parts[0] == 'simple' and parts[1] in self.projects:
            project = self.projects[parts[1]]
            if 'json' in accept and not project.html_only:
                return 200, 'application/vnd.pypi.simple.v1+json', project.json_page()
            return 200, 'text/html', project.html_page()
        if len(parts) == 2 and parts[0] == 'files' and parts[1].endswith('.metadata'):
            for project in self.projects.values():
                for version, options in project.releases.items():
                    if (
                        project.filename(version) + '.metadata' == parts[1]
                        and options['metadata'] is not None
                    ):
                        return 200, 'text/plain', options['metadata'].encode()
        return 404, 'text/plain', b'not found'


@contextlib.contextmanager
def serve() -> Iterator[Index]:
    state = Index()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            state.requests[self.path] += 1
            status, kind, body = state.answer(self.path, self.headers.get('Accept', ''))
            self.send_response(status)
            self.send_header('Content-Type', kind)
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f'http://127.0.0.1:{server.server_address[1]}/simple'
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
