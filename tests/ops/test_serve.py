"""The run's own index (metadata/serve.py) and the read-ahead's walk
(metadata/closure.py), against indexes served on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest

from openstack_requirements.ops.constraints.metadata import closure, static
from openstack_requirements.ops.constraints.metadata.index import Index
from openstack_requirements.ops.constraints.metadata.pages import dist_file
from openstack_requirements.ops.constraints.metadata.serve import PageServer, page_json
from openstack_requirements.ops.constraints.metadata.store import Store
from tests import hostile_index
from tests.hostile_index import Route


@pytest.fixture
def served(monkeypatch):
    hostile_index.no_proxy(monkeypatch)
    with hostile_index.serve() as index:
        yield index


def _get(url: str) -> tuple[int, bytes]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_page_json_keeps_what_the_resolver_needs_and_only_the_index_files() -> None:
    index = 'https://example.org/simple'
    wheel = dist_file(
        'a-1.0-py3-none-any.whl',
        'https://files.example.org/a-1.0-py3-none-any.whl',
        'a',
        origin=index,
        hash='sha256=' + 'ab' * 32,
        core_metadata=True,
        metadata_hash='sha256=' + 'cd' * 32,
        requires_python='>=3.10',
        size=123,
        upload_time='2026-11-01T10:00:00.000000Z',
    )
    sdist = dist_file(
        'a-0.9.tar.gz',
        'https://files.example.org/a-0.9.tar.gz',
        'a',
        origin=index,
        yanked=True,
        yanked_reason='broken',
    )
    local = dist_file(
        'a-2.0-py3-none-any.whl', 'file:///wheels/a-2.0-py3-none-any.whl', 'a', origin='/wheels'
    )
    assert wheel and sdist and local
    page = json.loads(page_json('a', [wheel, sdist, local], index))
    assert page['meta'] == {'api-version': '1.1'}
    assert page['versions'] == ['0.9', '1.0']
    assert page['files'] == [
        {
            'filename': 'a-1.0-py3-none-any.whl',
            'url': 'https://files.example.org/a-1.0-py3-none-any.whl',
            'hashes': {'sha256': 'ab' * 32},
            'requires-python': '>=3.10',
            'core-metadata': {'sha256': 'cd' * 32},
            'size': 123,
            'upload-time': '2026-11-01T10:00:00.000000Z',
        },
        {
            'filename': 'a-0.9.tar.gz',
            'url': 'https://files.example.org/a-0.9.tar.gz',
            'hashes': {},
            'yanked': 'broken',
        },
    ]


def test_each_page_read_once_whoever_asks_and_errors_kept(served, tmp_path) -> None:
    """Eight clients ask for one page at once: the real index is asked
    once. A page the reader refuses is answered 502 and the error, naming
    the package and the URL, kept for the resolver to say. Only the run's
    path is served."""
    files = [hostile_index.wheel_bytes(tmp_path, 'beta', '1.0')]
    hostile_index.project(served, 'beta', files)
    served.page('slow', hostile_index.links(files), drip=0.001)
    served.add(
        '/simple/bad/', Route(b'{"files": 1}', headers={'Content-Type': 'application/json'})
    )
    index = Index(served.index)
    with PageServer(index) as pages:
        answers: list[tuple[int, bytes]] = []
        threads = [
            threading.Thread(target=lambda: answers.append(_get(f'{pages.url}/beta/')))
            for _ in range(8)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [status for status, _ in answers] == [200] * 8
        assert served.asked('/simple/beta/') == 1
        listed = json.loads(answers[0][1])['files']
        assert [f['filename'] for f in listed] == ['beta-1.0-py3-none-any.whl']
        assert listed[0]['url'] == f'{served.url}/files/beta-1.0-py3-none-any.whl'
        assert _get(f'{pages.url}/Beta/')[0] == 200 and served.asked('/simple/beta/') == 1
        assert _get(f'{pages.url}/missing/')[0] == 404
        status, body = _get(f'{pages.url}/bad/')
        assert status == 502
        error = pages.first_error()
        assert error is not None
        assert str(error) == f'bad: {served.index}/bad/: a JSON page without a list of files'
        assert body.decode().strip() == str(error)
        base = pages.url.rsplit('/', 2)[0]
        assert _get(f'{base}/other/simple/beta/')[0] == 404
        assert pages.asked == {'beta': 9, 'missing': 1, 'bad': 1}
    index.close()


def test_the_same_url_for_the_same_index_another_when_taken() -> None:
    """uv keeps an index's files under the index's URL: the same real
    index gets the same URL run after run; a second run at once gets
    another port."""
    first = Index('https://example.org/simple')
    with PageServer(first) as one:
        url = one.url
        with PageServer(Index('https://example.org/simple')) as two:
            assert two.url != url
            assert two.url.rsplit('/', 2)[1:] == url.rsplit('/', 2)[1:]
    with PageServer(Index('https://example.org/simple')) as again:
        assert again.url == url
    with PageServer(Index('https://mirror.example.org/simple')) as other:
        assert other.url != url


def _files(name: str, *releases: tuple[str, str | None]) -> list:
    """Wheels of ``name`` (version, Requires-Python)."""
    found = []
    for version, python in releases:
        filename = f'{name.replace("-", "_")}-{version}-py3-none-any.whl'
        found.append(
            dist_file(filename, f'https://f/{filename}', name, requires_python=python, origin='x')
        )
    return found


def test_the_walk_meets_the_closure_and_nothing_else() -> None:
    """Per target, the newest release the specifier and Requires-Python
    allow; markers per target; extras followed; nothing else read."""
    index = {
        'top': _files('top', ('1.0', None)),
        'old': _files('old', ('1.0', None), ('2.0', '>=3.13')),
        'new-only': _files('new-only', ('1.0', None)),
        'marked': _files('marked', ('1.0', None)),
        'extra-dep': _files('extra-dep', ('1.0', None)),
        'capped': _files('capped', ('1.0', None), ('3.0', None)),
        'never': _files('never', ('1.0', None)),
    }
    requires = {
        ('top', '1.0'): ['old', 'marked; python_version < "3.12"', 'capped<2', 'fancy[x]'],
        ('old', '1.0'): ['never; python_version >= "3.13"'],
        ('old', '2.0'): ['new-only'],
        ('capped', '3.0'): ['never'],
        ('fancy', '1.0'): ['extra-dep; extra == "x"', 'never; extra == "y"'],
    }
    index['fancy'] = _files('fancy', ('1.0', None))
    pages: list[str] = []

    def page_of(name: str):
        pages.append(name)
        return index.get(name, [])

    def metadata_of(file):
        return static.Metadata(
            file.project, file.version, tuple(requires.get((file.project, file.version), ()))
        )

    targets = [
        closure.Python(p, f'{p}.0', static.target_tags(p)) for p in ('3.11', '3.12', '3.13')
    ]
    met = closure.Walk(targets, page_of, metadata_of).run(
        closure.roots_of([('top', '', (), ''), ('skipped', '', (), 'python_version < "3"')])
    )
    assert met == {'top', 'old', 'new-only', 'marked', 'capped', 'fancy', 'extra-dep'}
    assert sorted(pages) == sorted(met)
    assert 'never' not in pages  # old 1.0 only below 3.13, capped<2, extra y not asked


def test_a_store_keeps_what_the_read_ahead_could_not_read_within_its_budget(tmp_path) -> None:
    path = tmp_path / 'store.json'
    file = dist_file(
        'big-1.0.tar.gz', 'https://f/big-1.0.tar.gz', 'big', origin='x', hash='sha256=' + '0' * 64
    )
    other = dist_file(
        'big-1.0.tar.gz', 'https://f/big-1.0.tar.gz', 'big', origin='x', hash='sha256=' + '1' * 64
    )
    assert file and other
    store = Store(path)
    store.spend(file)
    store.save()
    again = Store(path)
    assert again.spent(file)
    assert not again.spent(other)  # another file at that URL: read again


def test_pages_read_ahead_are_read_once_digested_and_held_within_a_budget(
    served, monkeypatch
) -> None:
    """``ahead`` reads many pages at once and holds them for ``get``, which
    asks nothing more; a page past the bytes held is read again when
    asked; a missing page has a digest of its own; the digests tell pages
    apart by content, not by name."""
    from openstack_requirements.ops.constraints.metadata import served as served_pages

    served.page('a', '<a href="/files/a-1.0.tar.gz">a-1.0.tar.gz</a>')
    served.page('b', '<a href="/files/a-1.0.tar.gz">a-1.0.tar.gz</a>')
    served.page('big', 'x' * 5000)
    monkeypatch.setattr(served_pages, 'HELD', 4000)
    with Index(served.index) as index:
        pages = index.served
        assert pages is not None
        digests = pages.ahead(['b', 'a', 'missing', 'big', 'a'])
        assert sorted(digests) == ['a', 'b', 'big', 'missing']
        assert digests['a'] == digests['b'] != digests['missing']
        assert None not in digests.values()
        assert [f.filename for f in index.files('a')] == ['a-1.0.tar.gz']
        assert index.files('missing') == []
        assert index.files('big') == []
        assert pages.digests == digests
    assert served.asked('/simple/a/') == served.asked('/simple/missing/') == 1
    assert served.asked('/simple/big/') == 2  # past the budget: not held
    assert index.pages_read == 5
