"""The metadata store: filed by source, URL and hash; checked when read."""

from __future__ import annotations

import ast
import hashlib
import json
from pathlib import Path

from openstack_requirements.ops.constraints.metadata import store as store_module
from openstack_requirements.ops.constraints.metadata.pages import dist_file
from openstack_requirements.ops.constraints.metadata.static import Metadata
from openstack_requirements.ops.constraints.metadata.store import Store

URL = 'http://a.test/files/p-1.0.tar.gz'
CLEAN = Metadata('p', '1.0', ('six',))


def sdist(
    origin: str = 'http://a.test/simple',
    digest: str | None = 'sha256=' + 'a' * 64,
    url: str = URL,
    name: str = 'p',
):
    found = dist_file(url.rsplit('/', 1)[1], url, name, origin=origin, hash=digest)
    assert found is not None
    return found


def kept(path, *entries) -> Store:
    """A store with ``entries`` (file, metadata) saved, as read back."""
    store = Store(path)
    for file, metadata in entries:
        store.put(file, metadata)
    store.save()
    return Store(path)


def test_kept_by_source_url_and_hash(tmp_path) -> None:
    path = tmp_path / 'store.json'
    again = kept(path, (sdist(), CLEAN))
    assert again.get(sdist()) == CLEAN
    # the same URL served with other content: read again
    assert again.get(sdist(digest='sha256=' + 'b' * 64)) is None
    # another index with the same file URL: never handed over
    assert again.get(sdist(origin='http://b.test/simple')) is None
    # the format is versioned next to the code writing it
    assert json.loads(path.read_text())['version'] == store_module.VERSION == 2


def test_a_file_without_hash_is_kept_for_the_run_only(tmp_path) -> None:
    path = tmp_path / 'store.json'
    first = Store(path)
    first.put(sdist(digest=None), CLEAN)
    assert first.get(sdist(digest=None)) == CLEAN
    first.save()
    assert Store(path).get(sdist(digest=None)) is None


def test_bad_entries_are_dropped_when_read_back(tmp_path) -> None:
    """An entry that names another project than the file's, or that a
    resolver could not read, is not kept (written by hand here: a store
    of an older version, or edited)."""
    path = tmp_path / 'store.json'
    kept(
        path,
        (sdist(), CLEAN),
        (
            sdist(url='http://a.test/files/q-1.0.tar.gz', name='q', digest='sha256=' + 'c' * 64),
            Metadata('q', '1.0'),
        ),
    )
    data = json.loads(path.read_text())
    entries = data['sources']['http://a.test/simple']['metadata']
    for key, entry in entries.items():
        if key.startswith(URL):
            entry['metadata']['requires_dist'] = ['six>=1.*']
        else:
            entry['metadata']['name'] = 'goodpkg'
    path.write_text(json.dumps(data))
    again = Store(path)
    assert again.get(sdist()) is None
    assert (
        again.get(
            sdist(url='http://a.test/files/q-1.0.tar.gz', name='q', digest='sha256=' + 'c' * 64)
        )
        is None
    )
    again.save()
    assert json.loads(path.read_text())['sources']['http://a.test/simple']['metadata'] == {}


def test_an_older_format_is_started_again(tmp_path) -> None:
    path = tmp_path / 'store.json'
    path.write_text(json.dumps({'version': 1, 'entries': {URL: CLEAN.as_json()}}))
    assert Store(path).get(sdist()) is None
    path.write_text('[' * 100000)
    assert Store(path).get(sdist()) is None


def test_a_refused_file_is_forgotten(tmp_path) -> None:
    path = tmp_path / 'store.json'
    again = kept(path, (sdist(), CLEAN))
    again.forget(sdist())
    again.save()
    assert Store(path).get(sdist()) is None


def reader_fingerprint(*paths: Path) -> str:
    """The code of ``paths`` without comments and docstrings."""
    digest = hashlib.sha256()
    for path in paths:
        tree = ast.parse(path.read_text(encoding='utf-8'))
        for node in ast.walk(tree):
            body = getattr(node, 'body', None)
            if (
                isinstance(body, list)
                and body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                body[0] = ast.Pass()
        digest.update(ast.dump(tree).encode())
    return digest.hexdigest()[:16]


def test_the_store_format_follows_the_reading_code() -> None:
    """Changed sdist reading: bump store.VERSION if a read now gives
    something else, and set store.READER to the new fingerprint."""
    here = Path(store_module.__file__).parent
    found = reader_fingerprint(here / 'static.py', here / 'archive.py')
    assert found == store_module.READER, (
        f'metadata/static.py or archive.py changed: bump store.VERSION if what a read '
        f'gives changed, and set store.READER = {found!r}'
    )
