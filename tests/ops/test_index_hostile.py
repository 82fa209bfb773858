"""The index reader against an index that misbehaves on purpose.

Small limits (:data:`SMALL`) and small bombs: what is tested is that each
limit holds, and that the error names the package and the URL in one
line. ``tox -e hostile`` runs the same attacks at full size.
"""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import pytest

from openstack_requirements.ops.constraints.metadata import bounds, static, wheels
from openstack_requirements.ops.constraints.metadata.index import Index
from tests import bombs, hostile_index
from tests.hostile_index import Route

SMALL = bounds.Limits(
    page=64 << 10,
    json_values=5000,
    page_files=500,
    run_files=2000,
    fields=4096,
    member=64 << 10,
    archive=1 << 20,
    inflated=1 << 20,
    members=1000,
    directory=16 << 10,
    whole_file=256 << 10,
    shared=16 << 10,
    idle=5,
)


@pytest.fixture(autouse=True)
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bounds, 'DEFAULT', SMALL)
    hostile_index.no_proxy(monkeypatch)


@pytest.fixture
def served():
    with hostile_index.serve() as index:
        yield index


@pytest.fixture
def opened():
    """Readers of an index, their connections closed at the end."""
    made: list[Index] = []

    def make(*args, **kwargs) -> Index:
        made.append(Index(*args, **kwargs))
        return made[-1]

    yield make
    for index in made:
        index.close()


def one_line(err: BaseException) -> str:
    text = str(err)
    assert '\n' not in text
    return text


def sdist_of(index: Index, name: str):
    (found,) = [f for f in index.files(name) if f.is_sdist]
    return found


def test_sdist_inflating_past_the_limit(opened, served, tmp_path) -> None:
    path = bombs.tar_gz(tmp_path / 'bomb-1.0.tar.gz', 'bomb', '1.0', zeros_before=8 << 20)
    hostile_index.project(served, 'bomb', [('bomb-1.0.tar.gz', path)])
    index = opened(served.index)
    with pytest.raises(bounds.Refused) as caught:
        index.metadata(sdist_of(index, 'bomb'))
    assert one_line(caught.value) == (
        f'bomb==1.0: {served.url}/files/bomb-1.0.tar.gz: bomb-1.0.tar.gz: '
        f'inflates to more than {SMALL.inflated} bytes'
    )


@pytest.mark.parametrize(
    'pkg_info, zeros, message',
    [
        (
            b'Metadata-Version: 2.1\nName: big\nVersion: 1.0\nDescription: ',
            1 << 20,
            f'headers longer than {SMALL.member} bytes',
        ),
        (
            b'Metadata-Version: 2.1\nName: big\nVersion: 1.0\nRequires-Dist: a' + b'a' * 8192,
            0,
            f'a field longer than {SMALL.fields} bytes',
        ),
    ],
)
def test_pkg_info_too_big(opened, served, tmp_path, pkg_info, zeros, message) -> None:
    path = bombs.tar_gz(
        tmp_path / 'big-1.0.tar.gz', 'big', '1.0', pkg_info=pkg_info, pkg_info_zeros=zeros
    )
    hostile_index.project(served, 'big', [('big-1.0.tar.gz', path)])
    index = opened(served.index)
    with pytest.raises(bounds.Refused, match=message):
        index.metadata(sdist_of(index, 'big'))


def test_a_long_description_is_skipped_not_kept(opened, served, tmp_path) -> None:
    """Headers end at the first empty line; a description in the body of
    any size is never read."""
    pkg_info = b'Metadata-Version: 2.1\nName: long\nVersion: 1.0\nRequires-Dist: six\n\n'
    path = bombs.tar_gz(
        tmp_path / 'long-1.0.tar.gz',
        'long',
        '1.0',
        pkg_info=pkg_info,
        pkg_info_zeros=SMALL.member * 4,
    )
    hostile_index.project(served, 'long', [('long-1.0.tar.gz', path)])
    index = opened(served.index)
    assert index.metadata(sdist_of(index, 'long')).requires_dist == ('six',)


def test_page_inflating_past_the_limit(opened, served) -> None:
    served.add(
        '/simple/gz/',
        Route(
            bombs.gzip_zeros(4 << 20, b'<html>'),
            headers={'Content-Type': 'text/html', 'Content-Encoding': 'gzip'},
        ),
    )
    with pytest.raises(bounds.Refused) as caught:
        opened(served.index).files('gz')
    assert one_line(caught.value) == (
        f'gz: {served.index}/gz/: larger than {SMALL.page} bytes inflated'
    )
    assert served.sent('/simple/gz/') < 64 << 10  # 4 MB inflate from 4 kB


def test_wheel_metadata_bomb_and_a_server_ignoring_ranges(opened, served, tmp_path) -> None:
    """A wheel's Name is read from its METADATA: one that inflates past
    the limit is not read; a big wheel from a server that ignores Range
    requests is not downloaded."""
    path = bombs.wheel(tmp_path / 'w-1.0-py3-none-any.whl', 'w', '1.0', metadata_zeros=8 << 20)
    served.add('/files/w.whl', Route(path=path))
    served.add(
        '/files/huge.whl',
        Route(stream=hostile_index.zeros(512 << 20), length=512 << 20, ranges=False),
    )
    index = opened(served.index)
    assert index.wheel_name(f'{served.url}/files/w.whl') is None
    data = path.read_bytes()
    with pytest.raises(bounds.Refused, match=f'inflates to more than {SMALL.member}'):
        wheels.headers_of(lambda o, n: data[o : o + n], len(data), data, SMALL, 'w.whl')
    assert index.wheel_name(f'{served.url}/files/huge.whl') is None
    assert served.sent('/files/huge.whl') < 32 << 20  # socket buffers at most


def test_sdist_from_a_server_ignoring_ranges_is_read_to_its_pkg_info(
    opened, served, tmp_path
) -> None:
    path = bombs.tar_gz(
        tmp_path / 'nr-1.0.tar.gz',
        'nr',
        '1.0',
        pkg_info=(b'Metadata-Version: 2.2\nName: nr\nVersion: 1.0\nRequires-Dist: six\n\n'),
    )
    data = path.read_bytes()
    tail = os.urandom(8 << 20)  # never read: PKG-INFO comes first
    hostile_index.project(served, 'nr', [('nr-1.0.tar.gz', data + tail)], ranges=False)
    index = opened(served.index)
    assert index.metadata(sdist_of(index, 'nr')).requires_dist == ('six',)
    assert served.sent('/files/nr-1.0.tar.gz') < 4 << 20


@pytest.mark.parametrize('drip_headers', [False, True])
def test_a_slow_drip_is_cut_at_the_deadline(opened, served, drip_headers) -> None:
    served.page(
        'slow',
        '<a href="/files/slow-1.0.tar.gz">slow-1.0.tar.gz</a>' * 50,
        drip=0.2,
        drip_headers=drip_headers,
    )
    deadline = bounds.Deadline(time.monotonic() + 1.5, seconds=1.5)
    start = time.monotonic()
    with pytest.raises(bounds.TimedOut) as caught:
        opened(served.index, deadline=deadline).files('slow')
    assert time.monotonic() - start < 3
    assert one_line(caught.value) == (
        f'slow: {served.index}/slow/: timed out: the run may take 1.5 s (--timeout)'
    )


def test_cancel_stops_a_read_at_once(opened, served) -> None:
    served.page('stuck', 'x' * 1000, drip=5)
    deadline = bounds.Deadline(None)
    index = opened(served.index, deadline=deadline)
    import threading

    timer = threading.Timer(0.5, deadline.cancel)
    timer.start()
    start = time.monotonic()
    with pytest.raises(bounds.TimedOut, match='interrupted'):
        index.files('stuck')
    assert time.monotonic() - start < 3


def test_no_local_file_from_a_remote_index(opened, served, tmp_path) -> None:
    """A redirect to file: is not followed; a file: link on a remote page
    is not listed, its release refused; a local FIFO it names is never
    opened."""
    secret = bombs.tar_gz(tmp_path / 'loc-2.0.tar.gz', 'loc', '2.0')
    fifo = tmp_path / 'loc-3.0.tar.gz'
    os.mkfifo(fifo)
    served.add(
        '/files/loc-1.0.tar.gz',
        Route(status=302, headers={'Location': secret.as_uri(), 'Content-Length': '0'}),
    )
    served.page(
        'loc',
        '\n'.join(
            [
                '<a href="/files/loc-1.0.tar.gz">loc-1.0.tar.gz</a>',
                f'<a href="{secret.as_uri()}">loc-2.0.tar.gz</a>',
                f'<a href="{fifo.as_uri()}">loc-3.0.tar.gz</a>',
            ]
        ),
    )
    index = opened(served.index)
    files = index.files('loc')
    assert [f.filename for f in files] == ['loc-1.0.tar.gz']
    assert set(index.refused) == {('loc', '2.0'), ('loc', '3.0')}
    assert 'is not followed' in index.refused[('loc', '2.0')]
    with pytest.raises(bounds.Refused) as caught:
        index.metadata(files[0])
    assert one_line(caught.value) == (
        f'loc==1.0: {served.url}/files/loc-1.0.tar.gz: redirected to '
        f'{secret.as_uri()}: not followed'
    )


@pytest.mark.parametrize(
    'body, content_type, message',
    [
        (
            b'{"files": ' + b'[' * 3000 + b']' * 3000 + b'}',
            'application/vnd.pypi.simple.v1+json',
            'a JSON document nested too deep',
        ),
        (
            b'{"files": [{"filename": "j-1.0.tar.gz", "size": ' + b'9' * 5000 + b'}]}',
            'application/vnd.pypi.simple.v1+json',
            'not valid JSON',
        ),
        (
            b'{"files": [' + b'{},' * 3000 + b'{}]}',
            'application/vnd.pypi.simple.v1+json',
            f'a JSON document of more than {SMALL.json_values} values',
        ),
        (
            b'{"files": 3}',
            'application/vnd.pypi.simple.v1+json',
            'a JSON page without a list of files',
        ),
    ],
)
def test_malformed_pages_one_line(opened, served, body, content_type, message) -> None:
    served.add('/simple/j/', Route(body, headers={'Content-Type': content_type}))
    with pytest.raises(bounds.Refused) as caught:
        opened(served.index).files('j')
    assert one_line(caught.value).startswith(f'j: {served.index}/j/: {message}')


def test_a_json_entry_without_url_is_skipped(opened, served) -> None:
    served.add(
        '/simple/j/',
        Route(
            json.dumps(
                {
                    'files': [
                        {'filename': 'j-1.0.tar.gz'},
                        'junk',
                        {
                            'filename': 'j-2.0.tar.gz',
                            'url': '/files/j-2.0.tar.gz',
                            'size': 'big',
                            'hashes': {'sha256': 'zz'},
                        },
                    ]
                }
            ).encode(),
            headers={'Content-Type': 'application/vnd.pypi.simple.v1+json'},
        ),
    )
    (found,) = opened(served.index).files('j')
    assert (found.filename, found.size, found.hash) == ('j-2.0.tar.gz', None, None)


@pytest.mark.parametrize(
    'route, message',
    [
        (
            Route(b'x' * 100, status=206, headers={'Content-Range': 'bytes 0-99/*'}),
            'a partial answer of unknown size',
        ),
        (
            Route(b'x' * 100, status=206, headers={'Content-Range': 'bytes 0-*/100'}),
            'a partial answer without a valid Content-Range',
        ),
        (
            Route(b'x' * 100, headers={'Content-Length': '1000'}, cut=100, ranges=False),
            'the server closed the connection before the end',
        ),
        (
            Route(b'x' * 100, headers={'Content-Encoding': 'br'}),
            "a file sent with Content-Encoding 'br'",
        ),
    ],
)
def test_malformed_answers_for_a_zip(opened, served, route, message) -> None:
    served.add('/files/z-1.0.zip', route)
    served.page('z', '<a href="/files/z-1.0.zip">z-1.0.zip</a>')
    index = opened(served.index)
    with pytest.raises(bounds.MetadataError) as caught:
        index.metadata(index.files('z')[0])
    assert one_line(caught.value).startswith(f'z==1.0: {served.url}/files/z-1.0.zip: {message}')


@pytest.mark.parametrize(
    'pkg_info, message',
    [
        (
            b'Metadata-Version: 2.2\nName: goodpkg\nVersion: 1.0\n\n',
            "its metadata names 'goodpkg', not evilpkg",
        ),
        (
            b'Metadata-Version: 2.2\nName: evilpkg\nVersion: 6.6\n\n',
            "its metadata says version '6.6', not 1.0",
        ),
        (
            b'Metadata-Version: 2.2\nName: evilpkg\nVersion: 1.0\nRequires-Dist: a>=1.*\n\n',
            "a bad Requires-Dist 'a>=1.*'",
        ),
        (
            b'Metadata-Version: 2.2\nName: evilpkg\nVersion: 1.0\n'
            b'Requires-Dist: a @ file:///etc/passwd\n\n',
            "a Requires-Dist with a direct reference 'a @ file:///etc/passwd'",
        ),
        (
            b'Metadata-Version: 2.2\nName: evilpkg\nVersion: 1.0\nProvides-Extra: a b\n\n',
            "a bad Provides-Extra 'a b'",
        ),
    ],
)
def test_metadata_held_against_the_file(opened, served, tmp_path, pkg_info, message) -> None:
    path = bombs.tar_gz(tmp_path / 'evilpkg-1.0.tar.gz', 'evilpkg', '1.0', pkg_info=pkg_info)
    hostile_index.project(served, 'evilpkg', [('evilpkg-1.0.tar.gz', path)])
    index = opened(served.index)
    with pytest.raises(bounds.Refused) as caught:
        index.metadata(sdist_of(index, 'evilpkg'))
    assert one_line(caught.value).startswith(
        f'evilpkg==1.0: {served.url}/files/evilpkg-1.0.tar.gz: {message}'
    )


def test_pax_header_and_member_count_limits(tmp_path) -> None:
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode='w:gz', format=tarfile.PAX_FORMAT) as archive:
        entry = tarfile.TarInfo('p-1.0/PKG-INFO')
        entry.pax_headers = {'comment': 'x' * 8192}
        data = b'Metadata-Version: 2.2\nName: p\nVersion: 1.0\n\n'
        entry.size = len(data)
        archive.addfile(entry, io.BytesIO(data))
    with pytest.raises(bounds.Refused, match='an extended tar header of'):
        static.read_sdist(io.BytesIO(buffer.getvalue()), 'p-1.0.tar.gz')
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode='w:gz') as archive:
        for number in range(SMALL.members + 1):
            archive.addfile(tarfile.TarInfo(f'p-1.0/{number}'), io.BytesIO())
    with pytest.raises(bounds.Refused, match=f'more than {SMALL.members} members'):
        static.read_sdist(io.BytesIO(buffer.getvalue()), 'p-1.0.tar.gz')


def test_too_many_files_on_a_page(opened, served) -> None:
    served.page(
        'many',
        ''.join(f'<a href="/f/many-1.{n}.tar.gz">x</a>' for n in range(SMALL.page_files + 1)),
    )
    with pytest.raises(bounds.Refused, match=f'more than {SMALL.page_files} files'):
        opened(served.index).files('many')


def test_local_index_of_directories(opened, tmp_path) -> None:
    """A file index as pip reads it: each project a directory holding an
    index.html (issue: ``[Errno 21] Is a directory``); find-links to such
    a directory reads its index.html and its files."""
    root = tmp_path / 'simple'
    (root / 'sd').mkdir(parents=True)
    sdist = bombs.tar_gz(
        root / 'sd' / 'sd-1.0.tar.gz',
        'sd',
        '1.0',
        pkg_info=(b'Metadata-Version: 2.1\nName: sd\nVersion: 1.0\nRequires-Dist: beta\n\n'),
    )
    elsewhere = bombs.tar_gz(tmp_path / 'sd-2.0.tar.gz', 'sd', '2.0')
    (root / 'sd' / 'index.html').write_text(
        '<a href="sd-1.0.tar.gz">sd-1.0.tar.gz</a>\n'
        '<a href="../../sd-2.0.tar.gz">sd-2.0.tar.gz</a>\n'
    )
    for where in (root.as_uri(), str(root), root.as_uri() + '/'):
        index = opened(where)
        files = index.files('sd')
        assert [f.filename for f in files] == ['sd-1.0.tar.gz', 'sd-2.0.tar.gz']
        assert all(f.local for f in files)
        assert index.metadata(files[0]).requires_dist == ('beta',)
    assert opened(root.as_uri()).files('absent') == []
    links = opened(None, [(root / 'sd').as_uri() + '/'])
    assert {f.url for f in links.files('sd')} == {sdist.as_uri(), elsewhere.as_uri()}


def test_a_fifo_in_a_local_place_is_not_read(opened, tmp_path) -> None:
    os.mkfifo(tmp_path / 'ff-1.0.tar.gz')
    index = opened(None, [str(tmp_path)])
    (found,) = index.files('ff')
    with pytest.raises(bounds.Refused, match='not a regular file'):
        index.metadata(found)


def test_zip_sdist_by_ranges(opened, served, tmp_path) -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as archive:
        archive.writestr('zz-1.0/big.bin', os.urandom(600_000))
        archive.writestr('zz-1.0/PKG-INFO', 'Metadata-Version: 1.1\nName: zz\nVersion: 1.0\n')
        archive.writestr('zz-1.0/zz.egg-info/requires.txt', 'decorator\n')
    hostile_index.project(served, 'zz', [('zz-1.0.zip', buffer.getvalue())])
    index = opened(served.index)
    assert index.metadata(index.files('zz')[0]).requires_dist == ('decorator',)
    assert served.sent('/files/zz-1.0.zip') < 200_000  # its end only


def test_pep_658_metadata_file_checked_against_its_hash(opened, served) -> None:
    import hashlib

    good = b'Metadata-Version: 2.1\nName: m\nVersion: 1.0\nRequires-Dist: six\n\n'
    digest = hashlib.sha256(good).hexdigest()
    served.page(
        'm', f'<a href="/files/m-1.0.tar.gz" data-core-metadata="sha256={digest}">m-1.0.tar.gz</a>'
    )
    served.add('/files/m-1.0.tar.gz.metadata', Route(good))
    index = opened(served.index)
    assert index.metadata(index.files('m')[0]).requires_dist == ('six',)
    served.add('/files/m-1.0.tar.gz.metadata', Route(good.replace(b'six', b'evil')))
    index = opened(served.index)
    with pytest.raises(bounds.Refused, match='does not have the sha256 hash'):
        index.metadata(index.files('m')[0])


def test_toml_strings_are_toml() -> None:
    tomllib = pytest.importorskip('tomllib')
    entry = static.Metadata('a', '1.0', ('b; extra == "\U0001f600\\\u0007"',)).toml()
    assert tomllib.loads(entry)['dependency-metadata'][0]['requires-dist'] == [
        'b; extra == "\U0001f600\\\u0007"'
    ]


def test_sizes_held(tmp_path: Path) -> None:
    """The bombs here are small: what is tested is the limits."""
    assert SMALL.inflated < 8 << 20 and SMALL.member < 1 << 20


def test_through_an_http_proxy(opened, served, monkeypatch) -> None:
    """The environment's proxy is used (the request names the whole URL),
    with its credentials."""
    import base64
    import http.server
    import threading
    import urllib.request

    seen: list[tuple[str, str]] = []

    class Proxy(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            seen.append((self.path, self.headers.get('Proxy-Authorization', '')))
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            with opener.open(self.path) as answer:
                body = answer.read()
            self.send_response(200)
            self.send_header('Content-Type', 'text/html')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Proxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        served.page('px', '<a href="/files/px-1.0.tar.gz">px-1.0.tar.gz</a>')
        monkeypatch.setenv('http_proxy', f'http://me:s%40cret@127.0.0.1:{server.server_port}')
        (found,) = opened(served.index).files('px')
    finally:
        server.shutdown()
        server.server_close()
    assert found.url == f'{served.url}/files/px-1.0.tar.gz'
    token = base64.b64encode(b'me:s@cret').decode()
    assert seen == [(f'{served.index}/px/', f'Basic {token}')]


def test_a_spent_budget_ends_the_stream_at_once(served, tmp_path, monkeypatch) -> None:
    """Reading a file for its first ``budget`` bytes stops there: never
    the rest of the range in flight a byte at a time (it cost minutes of
    CPU on big sdists of the real index)."""
    from openstack_requirements.ops.constraints.metadata import http, ranges

    path = tmp_path / 'big-1.0.tar.gz'
    path.write_bytes(os.urandom(3 << 20))
    served.add('/files/big.tar.gz', Route(path=path))
    reads = []
    original = http._Raw.readinto

    def counted(self, buffer):
        reads.append(len(buffer))
        return original(self, buffer)

    monkeypatch.setattr(http._Raw, 'readinto', counted)
    deadline = bounds.Deadline(time.monotonic() + 60, seconds=60)
    client = http.Client(deadline)
    stream = ranges.RemoteStream(client, f'{served.url}/files/big.tar.gz', 1 << 20, 8 << 20)
    got = 0
    with pytest.raises(ranges.Spent):
        while True:
            piece = stream.read(65536)
            assert piece
            got += len(piece)
    stream.close()
    assert got == 1 << 20
    assert len(reads) < 1000  # a few per 64 KiB; one a byte was 786,432 more
