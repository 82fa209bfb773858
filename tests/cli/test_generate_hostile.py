"""generate-constraints against an index that misbehaves on purpose:
the real App and real uv, the index served on 127.0.0.1 (small bombs,
small limits: the limits are what is tested; ``tox -e hostile`` runs the
big ones)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from openstack_requirements.ops.constraints.metadata import bounds
from tests import bombs, hostile_index, resolver_index
from tests.hostile_index import Route
from tests.ops.test_index_hostile import SMALL

pytestmark = pytest.mark.slow  # real uv, and subprocesses


@pytest.fixture
def env(tmp_path, monkeypatch):
    """Small limits, no proxy, a cache and a temporary directory of the
    test's own."""
    monkeypatch.setattr(bounds, 'DEFAULT', SMALL)
    hostile_index.no_proxy(monkeypatch)
    monkeypatch.setenv('UV_CACHE_DIR', str(tmp_path / 'cache'))
    temporary = tmp_path / 'tmp'
    temporary.mkdir()
    monkeypatch.setenv('TMPDIR', str(temporary))
    import tempfile

    monkeypatch.setattr(tempfile, 'tempdir', str(temporary))
    return tmp_path


@pytest.fixture
def served():
    with hostile_index.serve() as index:
        yield index


def gen(run_app, tmp_path: Path, index_url: str, *names: str, extra=()):
    reqs = resolver_index.write_requirements(tmp_path / 'global.txt', names)
    return run_app(
        'generate-constraints',
        '-r',
        str(reqs),
        '-p',
        '3.12',
        '--index-url',
        index_url,
        '--order',
        'name',
        '--timeout',
        '120',
        *extra,
    )


def pins(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if not line.startswith('#')]


def wheels(index, directory: Path, *specs) -> None:
    for name, version, requires in specs:
        index_files = [hostile_index.wheel_bytes(directory, name, version, requires)]
        hostile_index.project(index, name, index_files)


def test_store_never_poisons_a_later_run_or_another_index(run_app, env, served) -> None:
    """Run 1 reads an sdist-only release depending on evil-dep. Then the
    same URL serves a clean file (another hash): read again. Another
    index serving a clean file of that release: never given run 1's
    entry. A wheel of that release: its own metadata, never the sdist's."""
    wheels(served, env / 'w', ('beta', '1.0', ()), ('evil-dep', '1.0', ()))
    bad = hostile_index.sdist_bytes(env / 'bad', 'poison', '1.0', ['evil-dep'])
    hostile_index.project(served, 'poison', [bad])
    first = gen(run_app, env, served.index, 'poison')
    assert first.code == 0, first.stderr
    assert pins(first.stdout) == ['evil-dep===1.0', 'poison===1.0']

    clean = hostile_index.sdist_bytes(env / 'clean', 'poison', '1.0', ['beta'])
    hostile_index.project(served, 'poison', [clean])
    second = gen(run_app, env, served.index, 'poison')
    assert pins(second.stdout) == ['beta===1.0', 'poison===1.0'], second.stderr

    with hostile_index.serve() as other:
        wheels(other, env / 'w2', ('beta', '1.0', ()), ('evil-dep', '1.0', ()))
        hostile_index.project(other, 'poison', [bad])
        gen(run_app, env, other.index, 'poison')  # poisoned there
    with hostile_index.serve() as third:
        wheels(third, env / 'w3', ('beta', '1.0', ()), ('evil-dep', '1.0', ()))
        hostile_index.project(third, 'poison', [clean])
        assert pins(gen(run_app, env, third.index, 'poison').stdout) == [
            'beta===1.0',
            'poison===1.0',
        ]

    hostile_index.project(
        served, 'poison', [bad, hostile_index.wheel_bytes(env / 'w', 'poison', '1.0', ['beta'])]
    )
    assert pins(gen(run_app, env, served.index, 'poison').stdout) == ['beta===1.0', 'poison===1.0']


@pytest.mark.parametrize(
    'pkg_info, reason',
    [
        (
            b'Metadata-Version: 2.2\nName: goodpkg\nVersion: 2.0\nRequires-Dist: evil-dep\n\n',
            "its metadata names 'goodpkg', not evilpkg",
        ),
        (
            b'Metadata-Version: 2.2\nName: evilpkg\nVersion: 2.0\nRequires-Dist: beta>=1.*\n\n',
            "a bad Requires-Dist 'beta>=1.*'",
        ),
    ],
)
def test_metadata_not_of_its_file_refused(run_app, env, served, pkg_info, reason) -> None:
    """evilpkg 2.0 (sdist only) is refused: uv resolves without it (the
    older wheel) and never downloads it; goodpkg keeps its own metadata;
    a second run is the same (nothing bad was kept); stderr says why in
    one line, and no uv settings error shows."""
    wheels(
        served,
        env / 'w',
        ('beta', '1.0', ()),
        ('evil-dep', '1.0', ()),
        ('goodpkg', '2.0', ('beta',)),
    )
    sdist = bombs.tar_gz(env / 'evilpkg-2.0.tar.gz', 'evilpkg', '2.0', pkg_info=pkg_info)
    hostile_index.project(
        served,
        'evilpkg',
        [
            ('evilpkg-2.0.tar.gz', sdist.read_bytes()),
            hostile_index.wheel_bytes(env / 'w', 'evilpkg', '1.0', ['beta']),
        ],
    )
    for _ in range(2):
        result = gen(run_app, env, served.index, 'evilpkg', 'goodpkg')
        assert result.code == 0, result.stderr
        assert pins(result.stdout) == ['beta===1.0', 'evilpkg===1.0', 'goodpkg===2.0']
        assert f'  evilpkg==2.0: {served.url}/files/evilpkg-2.0.tar.gz: {reason}' in result.stderr
        assert 'TOML' not in result.stderr
    assert served.asked('/files/evilpkg-2.0.tar.gz', ours=False) == 0


def test_a_bomb_is_refused_and_never_handed_to_uv(run_app, env, served) -> None:
    bomb = bombs.tar_gz(env / 'bomb-2.0.tar.gz', 'bomb', '2.0', zeros_before=8 << 20)
    wheels(served, env / 'w', ('beta', '1.0', ()))
    hostile_index.project(
        served,
        'bomb',
        [('bomb-2.0.tar.gz', bomb), hostile_index.wheel_bytes(env / 'w', 'bomb', '1.0', ['beta'])],
    )
    result = gen(run_app, env, served.index, 'bomb')
    assert result.code == 0, result.stderr
    assert pins(result.stdout) == ['beta===1.0', 'bomb===1.0']
    assert (
        f'  bomb==2.0: {served.url}/files/bomb-2.0.tar.gz: bomb-2.0.tar.gz: '
        f'inflates to more than {SMALL.inflated} bytes\n'
    ) in result.stderr
    assert served.asked('/files/bomb-2.0.tar.gz', ours=False) == 0


def test_a_local_file_linked_from_a_remote_page_is_never_used(run_app, env, served) -> None:
    local = hostile_index.sdist_bytes(env / 'local', 'loc', '2.0', ['evil-dep'])
    (env / 'loc-2.0.tar.gz').write_bytes(local[1])
    wheels(served, env / 'w', ('beta', '1.0', ()), ('evil-dep', '1.0', ()))
    name, data = hostile_index.wheel_bytes(env / 'w', 'loc', '1.0', ['beta'])
    served.add(f'/files/{name}', Route(data))
    served.page(
        'loc',
        hostile_index.links([(name, data)]).replace(
            '</body>', f'<a href="{(env / "loc-2.0.tar.gz").as_uri()}">loc-2.0.tar.gz</a></body>'
        ),
    )
    result = gen(run_app, env, served.index, 'loc')
    assert result.code == 0, result.stderr
    assert pins(result.stdout) == ['beta===1.0', 'loc===1.0']
    assert 'a file link on a remote page is not followed' in result.stderr


def timed(run_app, env: Path, index_url: str, name: str | Path, timeout: int):
    """generate-constraints of ``name`` (or of a requirements file) under
    ``--timeout``; it must end within a few seconds of it."""
    reqs = (
        name
        if isinstance(name, Path)
        else resolver_index.write_requirements(env / 'global.txt', [name])
    )
    start = time.monotonic()
    result = run_app(
        'generate-constraints',
        '-r',
        str(reqs),
        '-p',
        '3.12',
        '--index-url',
        index_url,
        '--timeout',
        str(timeout),
    )
    assert time.monotonic() - start < timeout + 6
    return result


def test_a_slow_drip_ends_the_run_at_the_timeout(run_app, env, served) -> None:
    served.page('slow', 'x' * 10000, drip=0.5)
    result = timed(run_app, env, served.index, 'slow', 3)
    assert (result.code, result.stderr) == (
        1,
        (f'slow: {served.index}/slow/: timed out: the run may take 3 s (--timeout)\n'),
    )


def _uv_waits_on_a_file(served, directory: Path) -> Path:
    """An input over which uv waits on a file sent a byte a second: the
    wheel of ``dep`` 1.0, which ``pin`` forces and which the read-ahead,
    meeting the input's bare ``dep`` first, never reads (it reads 2.0).
    uv reads pages only from the run's own index, so a file is what it
    can wait on. The requirements file."""
    wheels(served, directory / 'w', ('pin', '1.0', ('dep<2',)))
    old = hostile_index.wheel_bytes(directory / 'w', 'dep', '1.0')
    new = hostile_index.wheel_bytes(directory / 'w', 'dep', '2.0')
    hostile_index.project(served, 'dep', [old, new])
    served.add(f'/files/{old[0]}', Route(old[1], drip=1))
    return resolver_index.write_requirements(directory / 'global.txt', ['dep', 'pin'])


def test_the_timeout_ends_uv_too(run_app, env, served) -> None:
    """uv waits on a file sent a byte a second: the run's deadline ends
    it, in one line."""
    result = timed(run_app, env, served.index, _uv_waits_on_a_file(served, env), 4)
    assert served.asked('/files/dep-1.0-py3-none-any.whl', ours=True) == 0
    assert (result.code, result.stderr.splitlines()[-1]) == (
        1,
        'uv: Python 3.12: timed out: the whole run may take 4 s (--timeout)',
    )


def test_malformed_pages_one_line_when_required_ignored_when_not(run_app, env, served) -> None:
    json_page = {'Content-Type': 'application/vnd.pypi.simple.v1+json'}
    served.add(
        '/simple/deep/', Route(b'{"files": ' + b'[' * 3000 + b']' * 3000 + b'}', headers=json_page)
    )
    wheels(served, env / 'w', ('beta', '1.0', ()))
    # a page of a package outside the input's closure: never read
    served.add(
        '/simple/pbr/',
        Route(b'{"files": [{"url": 1}], "x": ' + b'9' * 5000 + b'}', headers=json_page),
    )
    assert pins(gen(run_app, env, served.index, 'beta').stdout) == ['beta===1.0']
    assert served.asked('/simple/pbr/') == 0
    result = gen(run_app, env, served.index, 'deep')
    assert (result.code, result.stderr.splitlines()[-1]) == (
        1,
        (f'deep: {served.index}/deep/: a JSON document nested too deep'),
    )
    assert result.stderr.count('\n') == 1


def test_a_build_uv_tries_leaves_nothing_behind(run_app, env, served) -> None:
    """uv backtracks to ``hidden`` 1.0 (sdist only; ``pinner`` forces it,
    the read-ahead read the newest ones) and tries to build it: its lock
    file goes to the run's scratch directory, removed with it."""
    wheels(served, env / 'w', ('gamma', '1.0', ()), ('pinner', '1.0', ('hidden<2',)))
    hostile_index.project(
        served,
        'hidden',
        [
            hostile_index.sdist_bytes(
                env / 's', 'hidden', version, ['gamma'], metadata_version='1.2', egg_info=True
            )
            for version in ('1.0', '2.0', '3.0', '4.0', '5.0')
        ],
    )
    result = gen(run_app, env, served.index, 'hidden', 'pinner')
    assert result.code == 0, result.stderr
    assert pins(result.stdout) == ['gamma===1.0', 'hidden===1.0', 'pinner===1.0']
    assert served.asked('/files/hidden-1.0.tar.gz', ours=False) == 1  # uv tried
    assert os.listdir(env / 'tmp') == []


def test_local_file_index_and_find_links(run_app, env) -> None:
    """A PEP 503 tree of directories holding index.html, as pip reads a
    file index, with a release that has only an sdist."""
    root = env / 'simple'
    specs = {
        'beta': [resolver_index.make_wheel(root / 'beta', 'beta', '1.0')],
        'sd': [resolver_index.make_sdist(root / 'sd', 'sd', '1.0', ['beta'])],
        'top': [resolver_index.make_wheel(root / 'top', 'top', '1.0', requires=['sd'])],
    }
    for name, paths in specs.items():
        (root / name / 'index.html').write_text(
            ''.join(f'<a href="{p.name}">{p.name}</a>\n' for p in paths)
        )
    result = gen(run_app, env, root.as_uri(), 'top')
    assert result.code == 0, result.stderr
    assert pins(result.stdout) == ['beta===1.0', 'sd===1.0', 'top===1.0']
    reqs = resolver_index.write_requirements(env / 'global.txt', ['sd'])
    links = run_app(
        'generate-constraints',
        '-r',
        str(reqs),
        '-p',
        '3.12',
        '--no-index',
        '--find-links',
        (root / 'sd').as_uri() + '/',
        '--find-links',
        str(root / 'beta'),
        '--order',
        'name',
    )
    assert links.code == 0, links.stderr
    assert pins(links.stdout) == ['beta===1.0', 'sd===1.0']


@pytest.mark.parametrize('sent, status', [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_interrupted_run_leaves_no_scratch(tmp_path, sent, status) -> None:
    """Stopped while uv waits on a file: uv is ended and the scratch
    directory removed."""
    with hostile_index.serve() as served:
        reqs = _uv_waits_on_a_file(served, tmp_path)
        temporary = tmp_path / 'tmp'
        temporary.mkdir()
        environ = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(('PIP_', 'UV_'))
            and k.lower() not in ('http_proxy', 'https_proxy', 'all_proxy', 'no_proxy')
        }
        environ.update(TMPDIR=str(temporary), UV_CACHE_DIR=str(tmp_path / 'cache'))
        with subprocess.Popen(
            [
                sys.executable,
                '-m',
                'openstack_requirements.cli.app',
                'generate-constraints',
                '-r',
                str(reqs),
                '-p',
                '3.12',
                '--index-url',
                served.index,
            ],
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        ) as process:
            try:
                assert hostile_index.wait_for(
                    lambda: served.asked('/files/dep-1.0-py3-none-any.whl', ours=False) > 0, 60
                )
                assert len(os.listdir(temporary)) == 1  # osr-uv-...
                process.send_signal(sent)
                _, stderr = process.communicate(timeout=30)
            finally:
                if process.poll() is None:
                    process.kill()
                    process.communicate()
    assert process.returncode == status, stderr
    assert os.listdir(temporary) == []
