"""health against an index on 127.0.0.1: one row per finding, each page
read once."""

from __future__ import annotations

import html.parser
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import health_index
from tests.indexserver import PROXY_VARIABLES

LICENCED = (
    'Metadata-Version: 2.4\nName: licensed\nVersion: 1.0\n'
    'License-Expression: Apache-2.0\n\nA long description.\n'
)
GLOBAL = """\
fresh  # Apache-2.0
yanked  # MIT
oldpy  # MIT
dormant  # MIT
dead  # MIT
major  # BSD
stale!=0.5,!=9.0,>=1.0,<50  # MIT
licensed  # MIT
htmlonly  # MIT
missing  # MIT
"""
UPPER = """\
fresh===2.0
yanked===1.0
oldpy===1.0
dormant===1.0
dead===1.0
major===1.0
stale===1.0
licensed===1.0
htmlonly===1.0
missing===1.0
"""


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for var in PROXY_VARIABLES:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'cache'))
    (tmp_path / 'global-requirements.txt').write_text(GLOBAL)
    (tmp_path / 'upper-constraints.txt').write_text(UPPER)
    with health_index.serve() as index:
        add = index.add
        add(health_index.Project('fresh')).release('1.0', 400).release('2.0', 10)
        add(health_index.Project('yanked')).release(
            '1.0', 100, yanked='broken on Python 3.12'
        ).release('0.9', 200)
        add(health_index.Project('oldpy')).release('1.0', 50, python='>=3.8,<3.12')
        add(health_index.Project('dormant')).release('1.0', 3 * 365 + 10)
        add(health_index.Project('dead')).release('1.0', 5 * 365 + 10)
        add(health_index.Project('major')).release('1.0', 60).release('2.0', 30)
        add(health_index.Project('stale')).release('1.0', 20).release('1.1', 10)
        add(health_index.Project('licensed')).release('1.0', 10, metadata=LICENCED)
        add(health_index.Project('htmlonly', html_only=True)).release(
            '1.0', 10, yanked='use 1.1', python='>=3.13'
        )
        index.source = tmp_path
        yield index


def rows(result: Any) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r['Package'], r['Check'] + ':' + r['Message'][:40]): r for r in result.json()}


def by_package(result: Any) -> dict[str, list[tuple[str, str, str]]]:
    found: dict[str, list[tuple[str, str, str]]] = {}
    for row in result.json():
        found.setdefault(row['Package'], []).append(
            (row['Check'], row['Severity'], row['Message'])
        )
    return found


def test_one_row_per_finding(world: Any, run_app: Callable[..., Any]) -> None:
    result = run_app(
        'health', '--source', str(world.source), '--index-url', world.url, '-f', 'json'
    )
    assert result.code == 1, result
    found = by_package(result)
    assert 'fresh' not in found  # nothing to report: no row
    assert found['yanked'] == [
        ('yanked', 'error', 'the pinned 1.0 is yanked: broken on Python 3.12')
    ]
    assert found['oldpy'] == [
        (
            'requires-python',
            'error',
            'the pinned 1.0 requires Python >=3.8,<3.12: it cannot install on 3.12, 3.13, 3.14',
        )
    ]
    assert found['dormant'] == [('inactive', 'warning', found['dormant'][0][2])]
    assert found['dormant'][0][2].startswith('no release for 3 years')
    assert found['dead'][0][:2] == ('inactive', 'error')
    assert found['dead'][0][2].startswith('no release for 5 years')
    assert found['major'] == [('behind', 'warning', 'pinned 1.0, the newest is 2.0 (major 2)')]
    line = 'stale!=0.5,!=9.0,>=1.0,<50  # MIT'
    assert found['stale'] == [
        ('stale', 'warning', f'!=0.5 excludes a version below the minimum >=1.0: {line}'),
        ('stale', 'warning', f'!=9.0 excludes a version above every release (1.1): {line}'),
        ('stale', 'warning', f'the cap <50 is above every release (1.1): {line}'),
    ]
    assert found['licensed'] == [
        ('licence', 'warning', 'listed as MIT, the pinned release declares Apache-2.0')
    ]
    assert sorted(found['htmlonly']) == [
        (
            'requires-python',
            'error',
            'the pinned 1.0 requires Python >=3.13: it cannot install on 3.11, 3.12',
        ),
        ('yanked', 'error', 'the pinned 1.0 is yanked: use 1.1'),
    ]
    assert found['missing'] == [('index', 'error', 'not on the index')]
    assert {r['File'] for r in result.json()} == {'global-requirements.txt'}
    assert found.keys() == {
        'yanked',
        'oldpy',
        'dormant',
        'dead',
        'major',
        'stale',
        'licensed',
        'htmlonly',
        'missing',
    }


def test_each_page_read_once(world: Any, run_app: Callable[..., Any]) -> None:
    run_app('health', '--source', str(world.source), '--index-url', world.url, '-f', 'json')
    pages = {p: n for p, n in world.requests.items() if p.startswith('/simple/')}
    assert pages == {
        f'/simple/{name}/': 1
        for name in (
            'fresh',
            'yanked',
            'oldpy',
            'dormant',
            'dead',
            'major',
            'stale',
            'licensed',
            'htmlonly',
            'missing',
        )
    }
    # the only other request: the one metadata file the index offers
    assert sum(world.requests.values()) == len(pages) + 1


def test_pages_kept_for_max_age(world: Any, run_app: Callable[..., Any]) -> None:
    first = run_app(
        'health',
        '--source',
        str(world.source),
        '--index-url',
        world.url,
        '-f',
        'json',
        '--no-licences',
    )
    read = sum(world.requests.values())
    again = run_app(
        'health',
        '--source',
        str(world.source),
        '--index-url',
        world.url,
        '-f',
        'json',
        '--no-licences',
    )
    assert again.json() == first.json()
    assert sum(world.requests.values()) == read  # no page read again
    run_app(
        'health',
        '--source',
        str(world.source),
        '--index-url',
        world.url,
        '-f',
        'json',
        '--no-licences',
        '--max-age',
        '0',
    )
    assert sum(world.requests.values()) == 2 * read


def test_pythons_and_all(world: Any, run_app: Callable[..., Any]) -> None:
    result = run_app(
        'health',
        '--source',
        str(world.source),
        '--index-url',
        world.url,
        '-p',
        '3.11',
        '--all',
        '-f',
        'json',
        '--no-licences',
    )
    table = {r['Package']: r for r in result.json()}
    assert len(table) == 10
    assert table['fresh']['Pinned'] == '2.0' and table['fresh']['Newest'] == '2.0'
    assert table['fresh']['Severity'] == ''
    assert table['oldpy']['Findings'] == ''  # 3.11 is admitted
    assert table['major']['Newest'] == '2.0'
    assert table['licensed']['Findings'] == ''  # its metadata not read
    assert table['htmlonly']['Last upload'] == ''  # HTML gives no dates
    assert table['dead']['Severity'] == 'error'


def test_osv_records(world: Any, run_app: Callable[..., Any], tmp_path: Path) -> None:
    records = tmp_path / 'osv'
    records.mkdir()
    (records / 'PYSEC-2099-1.json').write_text(
        json.dumps(
            {
                'id': 'PYSEC-2099-1',
                'aliases': ['CVE-2099-0001'],
                'affected': [
                    {
                        'package': {'ecosystem': 'PyPI', 'name': 'Fresh'},
                        'ranges': [
                            {
                                'type': 'ECOSYSTEM',
                                'events': [{'introduced': '1.5'}, {'fixed': '2.1'}],
                            }
                        ],
                    }
                ],
            }
        )
    )
    (records / 'PYSEC-2099-2.json').write_text(
        json.dumps(
            {
                'id': 'PYSEC-2099-2',
                'affected': [
                    {'package': {'ecosystem': 'PyPI', 'name': 'major'}, 'versions': ['0.9']}
                ],
            }
        )
    )
    result = run_app(
        'health',
        '--source',
        str(world.source),
        '--index-url',
        world.url,
        '--osv',
        str(records),
        '-f',
        'json',
    )
    found = by_package(result)
    assert found['fresh'] == [
        (
            'vulnerable',
            'warning',
            'the pinned 2.0 is affected by PYSEC-2099-1, CVE-2099-0001 (fixed in: 2.1)',
        )
    ]
    assert [c for c, _, _ in found['major']] == ['behind']


def test_unused_with_projects(world: Any, run_app: Callable[..., Any], tmp_path: Path) -> None:
    root = tmp_path / 'root'
    (root / 'openstack' / 'nova').mkdir(parents=True)
    (root / 'openstack' / 'nova' / 'requirements.txt').write_text('fresh>=1.0\nmajor>=1.0\n')
    (tmp_path / 'projects.txt').write_text('openstack/nova\n')
    result = run_app(
        'health',
        '--source',
        str(world.source),
        '--index-url',
        world.url,
        '--root',
        str(root),
        '--projects',
        str(tmp_path / 'projects.txt'),
        '--all',
        '-f',
        'json',
    )
    table = {r['Package']: r for r in result.json()}
    assert table['fresh']['Users'] == 1 and table['fresh']['Findings'] == ''
    assert table['major']['Users'] == 1
    assert table['stale']['Users'] == 0
    assert 'unused: no project uses it' in table['stale']['Findings']


class _Page(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, list[str]]] = []
        self.heads: list[str] = []
        self.tags: list[str] = []
        self.text: dict[str, str] = {}
        self._where: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        if tag == 'tr' and 'tbody' in self._where:
            self.rows.append((found.get('class') or '', []))
        if found.get('id'):
            self.text[found['id'] or ''] = ''
        self._where.append(tag if not found.get('id') else f'{tag}#{found["id"]}')
        if tag in ('link', 'meta', 'input'):
            self._where.pop()

    def handle_endtag(self, tag: str) -> None:
        if self._where:
            self._where.pop()

    def handle_data(self, data: str) -> None:
        where = self._where[-1] if self._where else ''
        if where == 'th':
            self.heads.append(data)
        elif where == 'td' and self.rows:
            self.rows[-1][1].append(data)
        if '#' in where:
            self.text[where.split('#', 1)[1]] += data


def test_html_page(
    world: Any, run_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the page shows the process's command line
    monkeypatch.setattr(sys, 'argv', ['/usr/bin/openstack-requirements', 'health', '-f', 'html'])
    result = run_app(
        'health', '--source', str(world.source), '--index-url', world.url, '-f', 'html'
    )
    page = _Page()
    page.feed(result.stdout)
    assert page.heads == ['Check', 'Severity', 'File', 'Line', 'Package', 'Message']
    as_json = run_app(
        'health', '--source', str(world.source), '--index-url', world.url, '-f', 'json'
    ).json()
    assert len(page.rows) == len(as_json)
    for (kind, cells), row in zip(page.rows, as_json, strict=True):
        assert kind == row['Severity']
        assert cells[4] == row['Package'] and cells[5] == row['Message']
    assert page.text['command'] == 'openstack-requirements health -f html'
    assert page.text['date'][:2] == '20'
    # self-contained: nothing the page would fetch
    assert 'src=' not in result.stdout and 'href=' not in result.stdout
    assert {'style', 'script', 'table', 'input'} <= set(page.tags)
