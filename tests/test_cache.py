"""The one cache helper: every cache cleared by one call, bounded, by value."""

from __future__ import annotations

import re
from pathlib import Path

from openstack_requirements import cache
from openstack_requirements.model import parse_line
from openstack_requirements.model.versions import normal_marker, parse_version
from openstack_requirements.ops.project import read_project
from openstack_requirements.ops.sync import load_global, sync_project
from tests.conftest import DATA, ROOT

PACKAGE = ROOT / 'openstack_requirements'


def test_clear_all_empties_every_cache(tmp_path: Path) -> None:
    (tmp_path / 'requirements.txt').write_text(
        "pbr>=1.0  # Apache-2.0\nsix>=1.0;python_version>='3.8'\n"
    )
    sync_project(read_project(tmp_path), load_global(DATA / 'openstack-2026-08-22'))
    parse_version('1.0')
    normal_marker("python_version>='3.8'")
    assert cache.held() > 0
    cache.clear_all()
    assert cache.held() == 0


def test_a_table_stops_growing_when_full() -> None:
    table: cache.Table[str, int] = cache.Table(maxsize=2)
    for n, key in enumerate('abc'):
        table.put(key, n)
    assert table == {'a': 0, 'b': 1}
    cache.clear_all()
    assert table == {}


def test_a_bounded_function_keeps_its_latest_results() -> None:
    calls = []

    @cache.bounded(maxsize=2)
    def double(text: str) -> str:
        calls.append(text)
        return text * 2

    assert [double(t) for t in 'aab'] == ['aa', 'aa', 'bb']
    assert calls == ['a', 'b']
    double('c')  # 'a' goes
    double('a')
    assert calls == ['a', 'b', 'c', 'a']


def test_a_result_does_not_depend_on_what_was_cached_before() -> None:
    first = parse_line('pbr>=2.0  # Apache-2.0', lineno=3)
    again = parse_line('pbr>=2.0  # Apache-2.0', lineno=3)
    cache.clear_all()
    cold = parse_line('pbr>=2.0  # Apache-2.0', lineno=3)
    assert first == again == cold


def test_every_cache_of_the_package_is_made_by_the_helper() -> None:
    """No ``functools`` cache and no module-level dict filled as a cache
    outside :mod:`openstack_requirements.cache` (instance attributes and
    ``cached_property`` hold one object's own state, and are not caches
    of the process)."""
    made_elsewhere = re.compile(
        r'lru_cache|functools\.cache\b|@cache\b|^_[A-Z_]*CACHE[A-Z_]*\s*[:=]\s*(dict|\{)',
        re.MULTILINE,
    )
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted(PACKAGE.rglob('*.py'))
        if path != PACKAGE / 'cache.py' and made_elsewhere.search(path.read_text(encoding='utf-8'))
    ]
    assert offenders == []
