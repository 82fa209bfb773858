"""Resolutions reused when every index page they read is served unchanged
(ops/constraints/resolvers/replay.py): real uv over an index served on
127.0.0.1, which counts what it is asked."""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

import pytest

from openstack_requirements.ops.constraints import resolvers
from openstack_requirements.ops.constraints.cutoff import ExcludeNewer
from openstack_requirements.ops.constraints.resolvers import replay
from openstack_requirements.ops.constraints.resolvers import uv as uv_driver
from openstack_requirements.ops.constraints.resolvers.base import ResolutionErrors
from tests import resolver_index
from tests.helpers import count_uv_runs

pytestmark = pytest.mark.slow

PYTHONS = ('3.10', '3.11', '3.12', '3.13')
#: What ``top`` meets: the pages its resolutions read.
CLOSURE = {'top', 'alpha', 'beta', 'gamma', 'delta', 'eps', 'deny-me'}


def versions(results) -> dict[str, dict[str, str]]:
    return {p: {k: pin.version for k, pin in pins.items()} for p, pins in results.items()}


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """WORLD served over HTTP, a uv cache of the test's own, and a spy
    counting the times uv really runs."""
    for name in list(os.environ):
        if name.lower().endswith('_proxy'):
            monkeypatch.delenv(name)
    monkeypatch.setenv('UV_CACHE_DIR', str(tmp_path / 'cache'))
    wheels = resolver_index.make_index(tmp_path / 'wheels', resolver_index.WORLD)
    ran = count_uv_runs(monkeypatch)
    with resolver_index.serve_simple_index(wheels) as index:
        yield wheels, index, ran


def _resolve(tmp_path: Path, index, lines=('top',), **how):
    reqs = resolver_index.write_requirements(tmp_path / 'r.txt', lines)
    uv = resolvers.load('uv')
    targets = [uv.prepare(resolvers.Target(p)) for p in PYTHONS]
    said: list[str] = []
    options = resolvers.ResolverOptions(index_url=index.url, timeout=120, **how)
    index.ours.clear()
    results = resolvers.resolve_all(uv, reqs, targets, options, progress=said.append)
    return results, said


def _pages(index) -> list[str]:
    """The pages openstack-requirements asked for since :func:`_resolve`
    began."""
    return sorted(r.split('/')[2] for r in index.ours if r.startswith('/simple/'))


def _records(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / 'cache' / 'openstack-requirements' / 'replay').glob('*.json'))


def test_unchanged_pages_reuse_the_resolutions_without_running_uv(served, tmp_path) -> None:
    """The second run reads each page of the closure once, and nothing
    else, finds them unchanged and hands back the first run's pins for
    the four Pythons without running uv."""
    _, index, ran = served
    first, _ = _resolve(tmp_path, index)
    assert sorted(ran) == sorted(PYTHONS)
    assert len(_records(tmp_path)) == 1
    ran.clear()
    index.requests.clear()
    second, said = _resolve(tmp_path, index)
    assert ran == []
    assert versions(second) == versions(first) == resolver_index.EXPECTED
    assert second == first  # the spelling too (Deny.Me, from its wheel)
    assert _pages(index) == sorted(CLOSURE)  # each once, nothing else
    assert not index.requests  # uv asked for nothing
    assert any(s.startswith('reusing the resolutions recorded ') for s in said)
    assert f'the {len(CLOSURE)} index pages they read are served unchanged' in '\n'.join(said)


def test_a_release_on_a_page_read_is_seen_and_one_elsewhere_is_not_a_change(
    served, tmp_path
) -> None:
    """A release of a project nothing needs (``conflict``) leaves the
    record live; a release of ``top`` changes a page it read: the run
    resolves anew, sees it, and records that."""
    wheels, index, ran = served
    _resolve(tmp_path, index)
    resolver_index.make_wheel(wheels, 'conflict', '2.0', None, ())
    index.publish()
    ran.clear()
    _, said = _resolve(tmp_path, index)
    assert ran == [] and any(s.startswith('reusing') for s in said)
    resolver_index.make_wheel(wheels, 'top', '1.1', '>=3.10', resolver_index.WORLD[0][3])
    index.publish()
    third, said = _resolve(tmp_path, index)
    assert sorted(ran) == sorted(PYTHONS)
    assert not any(s.startswith('reusing') for s in said)
    assert {p: v['top'] for p, v in versions(third).items()} == dict.fromkeys(PYTHONS, '1.1')
    assert _pages(index) == sorted(CLOSURE)  # read once: parsed from what was read ahead
    ran.clear()
    fourth, _ = _resolve(tmp_path, index)
    assert ran == [] and fourth == third


def test_a_failure_that_is_uv_s_verdict_is_reused_too(served, tmp_path) -> None:
    _, index, ran = served
    with pytest.raises(ResolutionErrors) as first:
        _resolve(tmp_path, index, ['top', 'conflict'])
    explanations = [f.explanation for f in first.value.failures]
    assert len(explanations) == 4 and all(replay.VERDICT in e for e in explanations)
    ran.clear()
    with pytest.raises(ResolutionErrors) as again:
        _resolve(tmp_path, index, ['top', 'conflict'])
    assert ran == []
    assert [f.explanation for f in again.value.failures] == explanations


def test_no_reuse_and_other_inputs_resolve_anew(served, tmp_path) -> None:
    _, index, ran = served
    _resolve(tmp_path, index)
    ran.clear()
    _resolve(tmp_path, index, reuse=False)
    assert sorted(ran) == sorted(PYTHONS)
    ran.clear()
    _resolve(tmp_path, index, ['top', 'beta'])  # another input: another record
    assert sorted(ran) == sorted(PYTHONS)
    assert len(_records(tmp_path)) == 2
    ran.clear()
    _resolve(tmp_path, index, allow_build=True)  # another option
    assert sorted(ran) == sorted(PYTHONS)


def test_nothing_is_recorded_for_a_cut_off_that_moves(served, tmp_path) -> None:
    """``--exclude-newer 7d`` moves with the clock: pages unchanged are
    no proof that the resolution is; a fixed date is."""
    _, index, ran = served
    moving = ExcludeNewer(
        datetime.datetime.now(datetime.UTC).replace(microsecond=0), duration='7d'
    )
    with pytest.raises(ResolutionErrors):
        _resolve(tmp_path, index, exclude_newer=moving)  # HTML pages: no upload times
    assert _records(tmp_path) == []


def test_a_damaged_record_is_not_read(served, tmp_path) -> None:
    _, index, ran = served
    first, _ = _resolve(tmp_path, index)
    (record,) = _records(tmp_path)
    record.write_text('{"format": 1, "pages": [')
    ran.clear()
    second, _ = _resolve(tmp_path, index)
    assert sorted(ran) == sorted(PYTHONS) and second == first
    kept = json.loads(record.read_text())
    assert set(kept['pages']) == CLOSURE
    # a record whose digests are not the pages' is not live
    kept['pages']['top'] = '0' * 64
    record.write_text(json.dumps(kept))
    ran.clear()
    _resolve(tmp_path, index)
    assert sorted(ran) == sorted(PYTHONS)


def test_session_key_is_none_where_the_run_does_not_read_every_page(tmp_path) -> None:
    uv = uv_driver.uv_binary()
    targets = [resolvers.Target('3.12')]
    base = resolvers.ResolverOptions()
    assert replay.session_key(base, targets, 'https://pypi.org/simple', uv)
    for options, url in (
        (base, 'file:///srv/simple'),
        (base, '/srv/simple'),
        (resolvers.ResolverOptions(find_links=('/w',)), 'https://pypi.org/simple'),
        (resolvers.ResolverOptions(no_index=True), None),
        (resolvers.ResolverOptions(reuse=False), 'https://pypi.org/simple'),
    ):
        assert replay.session_key(options, targets, url, uv) is None
    one = replay.session_key(base, targets, 'https://pypi.org/simple', uv, b'a\n')
    two = replay.session_key(base, targets, 'https://pypi.org/simple', uv, b'b\n')
    other = replay.session_key(base, [resolvers.Target('3.13')], 'https://pypi.org/simple', uv)
    assert len({one, two, other}) == 3
