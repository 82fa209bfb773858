"""Real uv and real pip against a local index of hand-made wheels."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from openstack_requirements.errors import RequirementsError
from openstack_requirements.ops import constraints
from openstack_requirements.ops.constraints import resolvers
from openstack_requirements.ops.constraints.resolvers import uv as uv_driver
from openstack_requirements.ops.constraints.resolvers import uv_output
from tests import resolver_index
from tests.helpers import interpreter

# resolver tests: all but three run uv or pip
pytestmark = pytest.mark.slow

PYTHONS = ('3.10', '3.11', '3.12', '3.13')


@pytest.fixture
def uv_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        'UV_CACHE_DIR', str(tmp_path_factory.getbasetemp() / f'uv-cache-{__name__}')
    )


def options(world: Path) -> resolvers.ResolverOptions:
    return resolvers.ResolverOptions(find_links=(str(world),), no_index=True, timeout=120)


def versions(pins) -> dict[str, str]:
    return {key: pin.version for key, pin in pins.items()}


@pytest.mark.usefixtures('uv_cache')
def test_uv_resolves_every_python_without_interpreters(world, tmp_path) -> None:
    reqs = resolver_index.write_requirements(tmp_path / 'r.txt', ['top'])
    targets = [resolvers.Target(p) for p in PYTHONS]
    results = resolvers.resolve_all(resolvers.load('uv'), reqs, targets, options(world))
    assert {p: versions(r) for p, r in results.items()} == resolver_index.EXPECTED


@pytest.mark.parametrize('python', PYTHONS)
def test_pip_resolves_with_each_interpreter(world, tmp_path, python) -> None:
    found = interpreter(python)
    if found is None:
        pytest.skip(f'no Python {python} here')
    reqs = resolver_index.write_requirements(tmp_path / 'r.txt', ['top'])
    pins = resolvers.load('pip').resolve(reqs, resolvers.Target(python, found), options(world))
    assert versions(pins) == resolver_index.EXPECTED[python]
    assert pins['deny-me'].name == 'Deny.Me'  # pip reports the metadata name


@pytest.mark.usefixtures('uv_cache')
@pytest.mark.parametrize('name', ['uv', 'pip'])
def test_conflict_explained(world, tmp_path, name) -> None:
    resolver = resolvers.load(name)
    target = resolvers.Target('3.11', interpreter('3.11'))
    reqs = resolver_index.write_requirements(tmp_path / 'r.txt', ['top', 'conflict'])
    with pytest.raises(resolvers.ResolutionError) as err:
        resolver.resolve(reqs, target, options(world))
    text = err.value.render()
    assert text.startswith(f'{name}: resolution failed for Python 3.11:\n')
    assert 'beta<1' in text


@pytest.mark.usefixtures('uv_cache')
def test_uv_never_downloads_an_interpreter(world, tmp_path) -> None:
    reqs = resolver_index.write_requirements(tmp_path / 'r.txt', ['beta'])
    # No Python 3.8 here: uv resolves for it all the same, downloading none.
    pins = resolvers.load('uv').resolve(reqs, resolvers.Target('3.8'), options(world))
    assert versions(pins) == {'beta': '1.0'}
    argv = uv_driver.command(reqs, resolvers.Target('3.8'), options(world))
    assert '--no-python-downloads' in argv and '--no-config' in argv


def test_resolver_isolated_from_user_configuration(monkeypatch) -> None:
    monkeypatch.setenv('UV_INDEX_URL', 'http://example.invalid/simple')
    monkeypatch.setenv('UV_CACHE_DIR', '/somewhere')
    monkeypatch.setenv('PIP_FIND_LINKS', '/opt/wheels')
    env = uv_driver.environment(resolvers.ResolverOptions())
    assert 'UV_INDEX_URL' not in env and env['UV_CACHE_DIR'] == '/somewhere'
    assert env['UV_NO_CONFIG'] == '1' and env['UV_PYTHON_DOWNLOADS'] == 'never'
    from openstack_requirements.ops.constraints.resolvers import pip as pip_driver

    env = pip_driver.environment()
    assert 'PIP_FIND_LINKS' not in env and env['PIP_CONFIG_FILE'] == os.devnull


def test_unknown_resolver_and_interpreter() -> None:
    with pytest.raises(RequirementsError, match="unknown resolver 'poetry' \\(known: pip, uv\\)"):
        resolvers.load('poetry')
    with pytest.raises(RequirementsError, match='python9.9: no such Python interpreter'):
        resolvers.target_for('python9.9')


@pytest.mark.usefixtures('uv_cache')
def test_merged_constraints_reproduce_each_resolution(world, tmp_path) -> None:
    """Installing with the merged file as constraints gives, for each
    Python, exactly what was resolved for it: uv for every Python, pip for
    each interpreter this machine has."""
    reqs = resolver_index.write_requirements(tmp_path / 'r.txt', ['top'])
    targets = [resolvers.Target(p) for p in PYTHONS]
    results = resolvers.resolve_all(resolvers.load('uv'), reqs, targets, options(world))
    merged = tmp_path / 'uc.txt'
    merged.write_text(constraints.render(constraints.merge(results)))
    loose = resolver_index.write_requirements(
        tmp_path / 'loose.txt', ['top', 'alpha', 'delta', 'eps', 'beta']
    )
    checked = 0
    for python in PYTHONS:
        argv = uv_driver.command(loose, resolvers.Target(python), options(world))
        done = subprocess.run(
            [*argv, '-c', str(merged)],
            capture_output=True,
            text=True,
            env=uv_driver.environment(options(world)),
            check=True,
        )
        assert versions(uv_output.parse_pins(done.stdout, python)) == versions(results[python])
        found = interpreter(python)
        if found is None:
            continue
        report = tmp_path / f'report-{python}.json'
        from openstack_requirements.ops.constraints.resolvers import pip as pip_driver

        argv = pip_driver.command(loose, resolvers.Target(python, found), options(world), report)
        subprocess.run(
            [*argv, '-c', str(merged)],
            capture_output=True,
            text=True,
            env=pip_driver.environment(),
            check=True,
        )
        assert versions(pip_driver.parse_report(report.read_text())) == versions(results[python])
        checked += 1
    assert checked >= 1  # at least the running Python


def _served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The WORLD wheels to serve over HTTP (no proxy, a cache of the
    test's own), ``top`` to resolve, uv, and its targets."""
    for name in list(os.environ):
        if name.lower().endswith('_proxy'):
            monkeypatch.delenv(name)
    monkeypatch.setenv('UV_CACHE_DIR', str(tmp_path / 'cache'))
    wheels = resolver_index.make_index(tmp_path / 'wheels', resolver_index.WORLD)
    reqs = resolver_index.write_requirements(tmp_path / 'r.txt', ['top'])
    uv = resolvers.load('uv')
    targets = [uv.prepare(resolvers.Target(p)) for p in PYTHONS]
    return wheels, reqs, uv, targets


def test_uv_warm_cache_never_hides_a_new_release(tmp_path, monkeypatch) -> None:
    """Over HTTP, twice with one cache. Between the runs ``top`` 1.1 is
    released and pulls in ``late`` on 3.13 only: the second run must see
    both. (Resolving the other Pythons ``--offline`` from the cache the
    first one refreshed looks like a speed-up, but uv offline quietly
    backtracks to top 1.0 on 3.13 when ``late`` is not cached.)"""
    wheels, reqs, uv, targets = _served(tmp_path, monkeypatch)
    with resolver_index.serve_simple_index(wheels) as index:
        how = resolvers.ResolverOptions(index_url=index.url, timeout=120)
        first = resolvers.resolve_all(uv, reqs, targets, how)
        assert {p: versions(r) for p, r in first.items()} == resolver_index.EXPECTED
        resolver_index.make_wheel(
            wheels,
            'top',
            '1.1',
            '>=3.10',
            (*resolver_index.WORLD[0][3], 'late; python_version >= "3.13"'),
        )
        resolver_index.make_wheel(wheels, 'late', '1.0')
        index.publish()
        second = resolvers.resolve_all(uv, reqs, targets, how)
    expected = {p: dict(v, top='1.1') for p, v in resolver_index.EXPECTED.items()}
    expected['3.13']['late'] = '1.0'
    assert {p: versions(r) for p, r in second.items()} == expected


def test_uv_reads_each_page_once_a_run_and_each_file_once(tmp_path, monkeypatch) -> None:
    """The index says nothing may be kept (``max-age=0``). Four Pythons from
    a cold cache, then again. Each run asks the index for each page of the
    input's closure exactly once, shared by the four resolutions (uv reads
    them from the run's own index), and for no page outside it
    (``conflict`` is on the index, required by nothing); each wheel is
    fetched by uv once in all, and the second run fetches no file and no
    metadata, only the pages again (a new release would be seen)."""
    wheels, reqs, uv, targets = _served(tmp_path, monkeypatch)
    closure = {'top', 'alpha', 'beta', 'gamma', 'delta', 'eps', 'deny-me'}
    with resolver_index.serve_simple_index(wheels) as index:
        how = resolvers.ResolverOptions(index_url=index.url, timeout=120)
        runs = []
        for _ in range(2):
            index.requests.clear()
            index.ours.clear()
            result = resolvers.resolve_all(uv, reqs, targets, how)
            runs.append((result, list(index.requests), list(index.ours)))
    (first, uv_first, ours_first), (second, uv_second, ours_second) = runs
    assert first == second
    assert {p: versions(r) for p, r in first.items()} == resolver_index.EXPECTED
    for ours in (ours_first, ours_second):
        pages = sorted(r.split('/')[2] for r in ours if r.startswith('/simple/'))
        assert pages == sorted(closure)  # each once, nothing else
    assert not [r for r in uv_first + uv_second if r.startswith('/simple/')]
    files = [r for r in uv_first if r.startswith('/files/')]
    assert files and len(files) == len(set(files))
    assert not uv_second
    assert not [r for r in ours_second if not r.startswith('/simple/')]


def test_uv_settings_name_the_index(tmp_path) -> None:
    pypi = uv_driver.config(resolvers.ResolverOptions())
    assert pypi is not None and 'url = "https://pypi.org/simple"' in pypi
    mirror = uv_driver.config(resolvers.ResolverOptions(index_url='http://m/simple'))
    assert mirror is not None and 'url = "http://m/simple"' in mirror
    assert 'files = "max-age=365000000, immutable"' in mirror
    assert 'api' not in mirror  # pages: as the index says
    assert '[[index]]' not in uv_driver.config(resolvers.ResolverOptions(no_index=True))
    how = resolvers.ResolverOptions(index_url='http://m/simple')
    argv = uv_driver.command(
        tmp_path / 'r.txt', resolvers.Target('3.11'), how, tmp_path / 'uv.toml'
    )
    assert '--config-file' in argv and '--index-url' not in argv


@pytest.mark.usefixtures('uv_cache')
def test_uv_resolves_for_a_patch_release(tmp_path) -> None:
    """``-p 3.11`` is 3.11.0 to uv; ``-p 3.11.7`` reaches a release whose
    Requires-Python asks for 3.11.5 (as soupsieve 4 does)."""
    wheels = resolver_index.make_index(
        tmp_path / 'wheels', [('patchy', '1.0', None, ()), ('patchy', '2.0', '>=3.11.5', ())]
    )
    reqs = resolver_index.write_requirements(tmp_path / 'r.txt', ['patchy'])
    uv = resolvers.load('uv')
    got = {}
    for spec in ('3.11', '3.11.4', '3.11.7'):
        target = uv.prepare(resolvers.base.target_for(spec))
        assert target.python == '3.11'
        got[spec] = uv.resolve(reqs, target, options(wheels))['patchy'].version
    assert got == {'3.11': '1.0', '3.11.4': '1.0', '3.11.7': '2.0'}


def test_uv_settings_error_names_the_release(world, tmp_path) -> None:
    """Metadata uv cannot read (written here past the checks that refuse
    it) is found from uv's own settings error, by its line: that release
    is refused, rather than the run ending on uv's error."""
    from openstack_requirements.ops.constraints.metadata import pages, static

    good = static.Metadata('ok', '1.0', ('beta',), provides_extras=('x',))
    bad = static.Metadata('sd', '2.0', ('beta>=1.0.*',))
    files = [pages.dist_file(f'{m.name}-{m.version}.tar.gz', 'u', m.name) for m in (good, bad)]
    offered = [(f, m) for f, m in zip(files, (good, bad), strict=True) if f]
    how = options(world)
    settings = tmp_path / 'uv-3.12-0.toml'
    settings.write_text(uv_driver.config(how, [good, bad]))
    reqs = resolver_index.write_requirements(tmp_path / 'r.txt', ['top'])
    done = subprocess.run(
        uv_driver.command(reqs, resolvers.Target('3.12'), how, settings),
        capture_output=True,
        text=True,
        env=uv_driver.environment(how),
    )
    assert done.returncode
    assert uv_driver._unreadable(done.stderr, settings, how, offered) == (
        files[1],
        'Operator >= cannot be used with a wildcard version specifier',
    )
