"""generate-constraints --exclude-newer and --pylock through the real App,
with real uv on a JSON index (PEP 691 v1.1, upload times) on 127.0.0.1."""

from __future__ import annotations

import datetime
import hashlib
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.pylock import Pylock

from openstack_requirements.ops.constraints.resolvers.uv_env import uv_binary
from tests import resolver_index

# resolver tests: they run uv
pytestmark = pytest.mark.slow

NOW = datetime.datetime.now(datetime.UTC)


def _ago(days: float) -> str:
    return (NOW - datetime.timedelta(days=days)).strftime('%Y-%m-%dT%H:%M:%S.%fZ')


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """top needs alpha, oslo.thing and beta; each has a release of last
    month and one of yesterday (beta's has no upload time)."""
    wheels = tmp_path / 'wheels'
    make = resolver_index.make_wheel
    make(wheels, 'top', '1.0', requires=['alpha', 'oslo.thing', 'beta'])
    for name in ('alpha', 'oslo.thing'):
        make(wheels, name, '1.0')
        make(wheels, name, '2.0')
    resolver_index.make_sdist(wheels, 'alpha', '1.0')
    make(wheels, 'beta', '1.0')
    make(wheels, 'beta', '1.1')
    make(wheels, 'needs-new', '1.0', requires=['oslo.thing>=2'])
    old, new = _ago(30), _ago(1)
    times = {
        'top-1.0-py3-none-any.whl': old,
        'alpha-1.0-py3-none-any.whl': old,
        'alpha-1.0.tar.gz': old,
        'alpha-2.0-py3-none-any.whl': new,
        'oslo_thing-1.0-py3-none-any.whl': old,
        'oslo_thing-2.0-py3-none-any.whl': new,
        'beta-1.0-py3-none-any.whl': old,
        'needs_new-1.0-py3-none-any.whl': old,
        # beta 1.1: no upload time
    }
    return wheels, times


@pytest.fixture
def gen(run_app, tmp_path, tmp_path_factory, monkeypatch, world):
    monkeypatch.setenv(
        'UV_CACHE_DIR', str(tmp_path_factory.getbasetemp() / f'uv-cache-{__name__}')
    )
    reqs = resolver_index.write_requirements(tmp_path / 'global.txt', ['top'])
    wheels, times = world
    with resolver_index.serve_simple_index(wheels, upload_times=times) as index:

        def run(*args: str, requirements: Path = reqs):
            return run_app(
                'generate-constraints', '-r', str(requirements), '--index-url', index.url, *args
            )

        run.index = index  # type: ignore[attr-defined]
        yield run


def _pins(text: str) -> dict[str, str]:
    return dict(
        line.split('===', 1) for line in text.splitlines() if line and not line.startswith('#')
    )


def test_a_cool_down_with_exempt_projects_stated_in_the_header(gen, tmp_path) -> None:
    out = tmp_path / 'upper-constraints.txt'
    out.write_text('# WARNING: keep me\n#\nalpha===0.5\n')
    args = ('-p', '3.12', '--output', str(out), '--order', 'name')
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    result = gen(*args, '--exclude-newer', '7d', '--exclude-newer-exempt', 'oslo.*')
    assert result.code == 0, result.stderr
    text = out.read_text()
    # alpha 2.0 is a day old; oslo.thing 2.0 too, but exempt; beta 1.1 has
    # no upload time (as uv: left out)
    assert _pins(text) == {'alpha': '1.0', 'beta': '1.0', 'oslo.thing': '2.0', 'top': '1.0'}
    header = text.split('alpha===')[0]
    assert header.startswith('# WARNING: keep me\n#\n# --exclude-newer ')
    stated = header.splitlines()[2].split()
    assert stated[3:] == ['(7d', 'before', 'the', 'run)', '--exclude-newer-exempt', "'oslo-*'"]
    cut = datetime.datetime.fromisoformat(stated[2])
    assert (
        before - datetime.timedelta(days=7)
        <= cut
        <= before - datetime.timedelta(days=7, seconds=-60)
    )

    # the stated cut-off again, over the file: the same file
    again = gen(*args, '--exclude-newer', stated[2], '--exclude-newer-exempt', 'oslo-*')
    assert again.code == 0, again.stderr
    assert _pins(out.read_text()) == _pins(text)
    assert out.read_text().count('# --exclude-newer ') == 1
    # a later cut-off: alpha 2.0 is in; beta 1.1 still has no upload time
    later = gen(*args, '--exclude-newer', '2999-01-01')
    assert _pins(out.read_text())['alpha'] == '2.0', later.stderr
    assert _pins(out.read_text())['oslo.thing'] == '2.0'
    assert _pins(out.read_text())['beta'] == '1.0'
    assert '# --exclude-newer 2999-01-01T00:00:00Z\nalpha===' in out.read_text()
    # without the option: everything, and no stale line
    assert gen(*args).code == 0
    assert _pins(out.read_text())['beta'] == '1.1'
    assert out.read_text().startswith('# WARNING: keep me\n#\nalpha===2.0\n')


def test_pylock_per_python_from_the_same_resolution(gen, tmp_path, world, monkeypatch) -> None:
    from openstack_requirements.ops.constraints.resolvers.uv import UvResolver

    uv_runs: list[list[str]] = []
    real_run = UvResolver.run

    def counted(self, argv, *args, **kwargs):
        uv_runs.append(argv)
        return real_run(self, argv, *args, **kwargs)

    monkeypatch.setattr(UvResolver, 'run', counted)
    wheels, times = world
    locks = tmp_path / 'locks'
    locks.mkdir()
    args = ('-p', '3.11', '-p', '3.12', '--version-map', '3.12:3.13', '--exclude-newer', '7d')
    assert gen(*args).code == 0
    assert len(uv_runs) == 2
    result = gen(*args, '--pylock', str(locks))
    assert result.code == 0, result.stderr
    assert len(uv_runs) == 4  # no run more
    assert sorted(p.name for p in locks.iterdir()) == ['pylock.py311.toml', 'pylock.py312.toml']
    assert '--pylock: no lock for Python 3.13: its pins are the resolution for 3.12' in (
        result.stderr
    )
    pins = _pins(result.stdout)
    for name in ('pylock.py311.toml', 'pylock.py312.toml'):
        data = tomllib.loads((locks / name).read_text())
        Pylock.from_dict(data).validate()
        assert {p['name']: p['version'] for p in data['packages']} == {
            'alpha': '1.0', 'beta': '1.0', 'oslo-thing': '1.0', 'top': '1.0'
        }  # fmt: skip
        assert pins == {'alpha': '1.0', 'beta': '1.0', 'oslo.thing': '1.0', 'top': '1.0'}
        for package in data['packages']:
            files = [*package.get('wheels', ()), *[package[k] for k in ('sdist',) if k in package]]
            assert files
            for entry in files:
                filename = entry['url'].rsplit('/', 1)[-1]
                assert entry['url'] == gen.index.url.replace('/simple', '/files/') + filename
                body = (wheels / filename).read_bytes()
                assert entry['hashes'] == {'sha256': hashlib.sha256(body).hexdigest()}
                assert entry['size'] == len(body)
                # the index's, to the second (as uv writes it)
                uploaded = datetime.datetime.fromisoformat(times[filename])
                assert abs(entry['upload-time'] - uploaded) < datetime.timedelta(seconds=1)
        assert 'sdist' in next(p for p in data['packages'] if p['name'] == 'alpha')
    # an installer takes it: uv, for the Python running this (3.11+)
    python = f'{sys.version_info[0]}{sys.version_info[1]}'
    if (locks / f'pylock.py{python}.toml').exists():
        venv = tmp_path / 'venv'
        subprocess.run([uv_binary(), 'venv', '--no-config', '-q', str(venv)], check=True)
        done = subprocess.run(
            [uv_binary(), 'pip', 'install', '--no-config', '--dry-run', '--python',
             str(venv / 'bin' / 'python'), '-r', str(locks / f'pylock.py{python}.toml')],
            capture_output=True, text=True,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert 'alpha==1.0' in done.stderr and 'oslo-thing==1.0' in done.stderr


def test_options_that_cannot_be_honoured_are_one_line(gen, tmp_path) -> None:
    out = tmp_path / 'out.txt'
    cases = [
        (['--exclude-newer', 'soon'], '--exclude-newer soon: expected a date'),
        (['--exclude-newer-exempt', 'oslo-*'], '--exclude-newer-exempt: given without'),
        (['--resolver', 'pip', '--exclude-newer', '7d'], '--exclude-newer: the pip resolver'),
        (['--resolver', 'pip', '--pylock', str(tmp_path)], '--pylock: the pip resolver'),
        (['--pylock', str(tmp_path / 'none')], f'{tmp_path / "none"}: no such directory'),
    ]
    for args, message in cases:
        result = gen('-p', '3.12', '--output', str(out), *args)
        assert result.code == 1, (args, result.stderr)
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert not out.exists()
    assert gen.index.counts == {}  # nothing was read


def test_an_exempt_project_uv_was_not_told_of(gen, tmp_path) -> None:
    """needs-new needs oslo.thing>=2, a day old: a project nothing read
    before uv ran; uv's failure names it, and it is exempt."""
    reqs = resolver_index.write_requirements(tmp_path / 'new.txt', ['needs-new'])
    args = ('-p', '3.12', '--exclude-newer', '7d')
    cut = gen(*args, requirements=reqs)
    assert cut.code == 1 and 'oslo-thing' in cut.stderr
    exempt = gen(*args, '--exclude-newer-exempt', 'oslo-*', requirements=reqs)
    assert exempt.code == 0, exempt.stderr
    assert _pins(exempt.stdout) == {'needs-new': '1.0', 'oslo.thing': '2.0'}
