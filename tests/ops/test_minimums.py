"""minimums against a local index the tests build: real uv, real wheels and
sdists served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from openstack_requirements.ops.constraints.resolvers import ResolverOptions
from openstack_requirements.ops.minimums import run as minimums
from openstack_requirements.ops.minimums.fix import fix
from openstack_requirements.ops.project import read_project
from tests import hostile_index
from tests import resolver_index as ri
from tests.conftest import TREES
from tests.helpers import count_uv_runs

pytestmark = pytest.mark.slow

PYTHONS = ('3.11', '3.12')
#: Served as yanked.
YANKED = frozenset({'yk-1.0-py3-none-any.whl'})


def build(place: Path) -> Path:
    """The index's packages (see each test for the case it makes)."""
    wheels = place / 'wheels'
    # a conflict through a transitive requirement: app needs mid, mid 1.0
    # (its only release) needs dep>=2
    ri.make_wheel(wheels, 'app', '1.0', None, ['mid'])
    ri.make_wheel(wheels, 'app', '1.1', None, ['mid'])
    ri.make_wheel(wheels, 'mid', '1.0', None, ['dep>=2'])
    for version in ('1.0', '1.5', '2.0', '2.1', '3.0'):
        ri.make_wheel(wheels, 'dep', version)
    # on some Pythons only: a marker (marked needs other>=2 from 3.12), and
    # Requires-Python (old 1.0 is for 3.12 and later only)
    ri.make_wheel(wheels, 'marked', '1.0', None, ['other>=2; python_version >= "3.12"'])
    for version in ('1.0', '2.0'):
        ri.make_wheel(wheels, 'other', version)
    ri.make_wheel(wheels, 'old', '1.0', '>=3.12')
    ri.make_wheel(wheels, 'old', '1.1')
    # nothing satisfies: no release >= 5; every release >= 2 needs 3.12
    ri.make_wheel(wheels, 'gone', '1.0')
    ri.make_wheel(wheels, 'newpy', '1.0')
    ri.make_wheel(wheels, 'newpy', '2.0', '>=3.12')
    # an sdist-only release (its build always fails) whose PKG-INFO needs
    # dep>=2.1: read, never built
    ri.make_sdist(wheels, 'sd', '1.0', ['dep>=2.1'], ran=place / 'built')
    # a yanked minimum (installs when pinned, PEP 592)
    ri.make_wheel(wheels, 'yk', '1.0')
    ri.make_wheel(wheels, 'yk', '1.1')
    # its own requirement conflicts with the project's: own 1.0 needs dep<2
    ri.make_wheel(wheels, 'own', '1.0', None, ['dep<2'])
    ri.make_wheel(wheels, 'own', '1.1', None, ['dep>=2'])
    # a clean one
    ri.make_wheel(wheels, 'fine', '1.0')
    ri.make_wheel(wheels, 'fine', '2.0')
    return wheels


@pytest.fixture(scope='module')
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    place = tmp_path_factory.mktemp('minimums-index')
    with ri.serve_simple_index(build(place), requires_python=True, yanked=YANKED) as index:
        yield index.url, place


@pytest.fixture(autouse=True)
def _local(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The local index reached without a proxy; a uv cache of the tests'."""
    hostile_index.no_proxy(monkeypatch)
    monkeypatch.setenv('UV_CACHE_DIR', str(tmp_path_factory.getbasetemp() / 'uv-minimums'))


def project(tmp_path: Path, requirements: str, tests: str = '', name: str = 'proj') -> Path:
    root = tmp_path / name
    root.mkdir()
    (root / 'requirements.txt').write_text(requirements)
    if tests:
        (root / 'test-requirements.txt').write_text(tests)
    return root


def check(url: str, *roots: Path, pythons: tuple[str, ...] = PYTHONS) -> minimums.Run:
    return minimums.check_projects(
        [(root.name, read_project(root)) for root in roots],
        pythons,
        ResolverOptions(index_url=url, timeout=300),
    )


def by_package(run: minimums.Run) -> dict[str, list[tuple[object, ...]]]:
    rows: dict[str, list[tuple[object, ...]]] = {}
    for row in run.rows():
        rows.setdefault(row[3], []).append(row[4:])
    return rows


def test_transitive_conflict_found_explained_and_searched(served, tmp_path) -> None:
    url, _ = served
    root = project(tmp_path, 'app>=1.0  # MIT\ndep>=1.0\n')
    run = check(url, root)
    assert by_package(run) == {
        'dep': [('false-minimum', '3.11 3.12', '1.0', '2.0', 'mid 1.0 requires dep>=2')]
    }
    row = run.rows()[0]
    assert row[:3] == ('proj', 'requirements.txt', 2)


def test_the_minimums_own_requirement_named(served, tmp_path) -> None:
    url, _ = served
    root = project(tmp_path, 'own>=1.0\ndep>=2.0  # BSD\n')
    assert by_package(check(url, root, pythons=('3.12',))) == {
        'own': [
            (
                'false-minimum',
                '3.12',
                '1.0',
                '1.1',
                'own 1.0 requires dep<2, which dep>=2.0 (requirements.txt:2) excludes',
            )
        ]
    }


def test_conflicts_on_some_pythons_only(served, tmp_path) -> None:
    url, _ = served
    root = project(tmp_path, 'marked>=1.0\nother>=1.0\nold>=1.0\n')
    assert by_package(check(url, root)) == {
        'other': [('false-minimum', '3.12', '1.0', '2.0', 'marked 1.0 requires other>=2')],
        'old': [('false-minimum', '3.11', '1.0', '1.1', 'old 1.0 requires Python >=3.12')],
    }


def test_a_minimum_nothing_satisfies(served, tmp_path) -> None:
    url, _ = served
    root = project(tmp_path, 'gone>=5\nnewpy>=2.0\nfine>=1.0\n')
    rows = by_package(check(url, root))
    assert rows['gone'] == [
        ('no-release', '3.11 3.12', '5', '', 'no release of gone on the index satisfies >=5')
    ]
    assert rows['newpy'] == [
        (
            'no-release',
            '3.11',
            '2.0',
            '',
            'no release of newpy satisfying >=2.0 installs on Python 3.11: '
            'each requires Python >=3.12',
        )
    ]
    assert set(rows) == {'gone', 'newpy'}


def test_sdist_only_release_read_never_built(served, tmp_path) -> None:
    url, place = served
    root = project(tmp_path, 'dep>=1.0\n', 'sd>=1.0\n')
    rows = by_package(check(url, root))
    assert rows == {
        'dep': [('false-minimum', '3.11 3.12', '1.0', '2.1', 'sd 1.0 requires dep>=2.1')]
    }
    assert not (place / 'built').exists()


def test_a_yanked_minimum_installs_when_pinned(served, tmp_path) -> None:
    url, _ = served
    root = project(tmp_path, 'yk>=1.0\n')
    run = check(url, root)
    assert run.rows() == []
    # lowest-direct passes over the yanked release; pinned, it installs
    assert run.resolutions == 2 * len(PYTHONS)


def test_true_minimums_take_one_resolution_per_python(served, tmp_path) -> None:
    url, _ = served
    root = project(tmp_path, 'fine>=1.0\napp>=1.0\n', 'dep>=2.0\n')
    run = check(url, root)
    assert run.rows() == []
    assert not run.found
    assert run.resolutions == len(PYTHONS)


def test_fix_raises_in_place_and_a_second_run_finds_nothing(served, tmp_path) -> None:
    url, _ = served
    text = (
        '# top\n'
        'app>=1.0  # MIT\n'
        'dep [extra] >= 1.0 ; python_version>="3.8"  # BSD\n'
        'marked>=1.0\n'
        'other>=1.0,!=1.5  # kept\n'
        'old>=1.0\n'
    )
    root = project(tmp_path, text)
    run = check(url, root)
    changes, skipped = fix(run.checked)
    assert skipped == []
    changes.write()
    assert (root / 'requirements.txt').read_text() == (
        '# top\n'
        'app>=1.0  # MIT\n'
        'dep [extra] >= 2.0 ; python_version>="3.8"  # BSD\n'
        'marked>=1.0\n'
        'other>=2.0,!=1.5  # kept\n'
        'old>=1.1\n'
    )
    again = check(url, root)
    assert again.rows() == [] and not again.found


def test_fix_never_below_the_global_minimum(served, tmp_path) -> None:
    from openstack_requirements.ops.sync import GlobalList

    url, _ = served
    root = project(tmp_path, 'app>=1.0\ndep>=1.0\n')
    global_list = GlobalList.from_texts('app\ndep>=2.1\n', '')
    changes, _ = fix(check(url, root).checked, global_list.lines)
    assert changes.pending[0].new == 'app>=1.0\ndep>=2.1\n'


def test_summary_over_projects(served, tmp_path) -> None:
    url, _ = served
    one = project(tmp_path, 'app>=1.0\ndep>=1.0\nfine>=1.0\n', name='one')
    two = project(tmp_path, 'app>=1.1\ndep>=1.5\nfine>=2.0\n', name='two')
    run = check(url, one, two, pythons=('3.12',))
    assert run.summary() == [
        ('app', '1.1', 'two'),
        ('dep', '2.0', 'one two'),
        ('fine', '2.0', 'two'),
    ]


@pytest.mark.network
def test_against_the_real_index(tmp_path) -> None:
    """The issue's example, on PyPI: nova's two lines (requirements.txt at
    tests/data/trees/nova-2026-08-21, lines 20 and 39)."""
    lines = (TREES / 'nova-2026-08-21' / 'requirements.txt').read_text().splitlines()
    chosen = [line for line in lines if line.startswith(('netaddr', 'oslo.utils'))]
    assert chosen == ['netaddr>=0.7.18 # BSD', 'oslo.utils>=8.0.0 # Apache-2.0']
    root = project(tmp_path, ''.join(line + '\n' for line in chosen))
    run = minimums.check_projects(
        [('nova', read_project(root))], ['3.12'], ResolverOptions(timeout=600)
    )
    assert by_package(run) == {
        'netaddr': [
            (
                'false-minimum',
                '3.12',
                '0.7.18',
                '0.10.0',
                'oslo.utils 8.0.0 requires netaddr>=0.10.0',
            )
        ]
    }


@pytest.mark.parametrize(
    'explanation, expected',
    [
        (
            'Because mid==1.0 depends on dep>=2 and you require dep==1.0, we can conclude '
            'that your requirements are unsatisfiable.',
            '2.0',
        ),
        ('Because all versions of mid depend on dep>=1.5,<3 and ...', '1.5'),
        ('Because oslo-utils>=8.0.0 depends on DEP>=2.1. And because ...', '2.1'),
        ('Because mid==1.0 depends on other>=2 and ...', None),
        ('Because dep==1.0 requires Python >=3.12 ...', None),
    ],
)
def test_a_guess_from_what_uv_says(explanation: str, expected: str | None) -> None:
    from packaging.version import Version

    from openstack_requirements.ops.minimums.search import guess_from

    candidates = [Version(v) for v in ('1.5', '2.0', '2.1', '3.0')]
    found = guess_from(explanation, 'dep', candidates)
    assert found == (Version(expected) if expected else None)


def test_sets_one_by_one_when_all_together_do_not_resolve(served, tmp_path) -> None:
    """The test and docs requirements conflict (no user installs both): the
    sets are resolved one by one, and each finds dep's minimum false."""
    url, _ = served
    root = project(tmp_path, 'app>=1.0\ndep>=1.0\n', 'other<2\n')
    (root / 'doc').mkdir()
    (root / 'doc' / 'requirements.txt').write_text('other>=2.0\n')
    run = check(url, root)
    assert by_package(run) == {
        'dep': [('false-minimum', '3.11 3.12', '1.0', '2.0', 'mid 1.0 requires dep>=2')]
    }


def test_a_set_that_does_not_resolve(served, tmp_path) -> None:
    url, _ = served
    root = project(tmp_path, 'app>=1.0\ndep>=1.0,<2\n')
    rows = check(url, root, pythons=('3.12',)).rows()
    assert [row[:7] for row in rows] == [
        ('proj', 'requirements.txt', '', '', 'unresolvable', '3.12', '')
    ]
    assert 'dep' in rows[0][8] and 'unsatisfiable' in rows[0][8]


def test_sdist_only_releases_read_before_uv_asks(tmp_path, monkeypatch) -> None:
    """Old releases often have only an sdist. The lowest one a minimum
    allows is read before the first resolution, and when uv, preferring
    the lowest, climbs past one it was not told of, the releases above
    are read with it: uv asks once, not at each step. ``chain`` 1.0 to
    1.2 need a ``dep`` that does not exist; 1.3 installs."""
    monkeypatch.setenv('UV_CACHE_DIR', str(tmp_path / 'cache'))
    wheels = tmp_path / 'wheels'
    ri.make_wheel(wheels, 'dep', '1.0')
    for version in ('1.0', '1.1', '1.2'):
        ri.make_sdist(wheels, 'chain', version, ['dep>=9'], ran=tmp_path / 'built')
    ri.make_sdist(wheels, 'chain', '1.3', ['dep'], ran=tmp_path / 'built')
    ran = count_uv_runs(monkeypatch)
    root = project(tmp_path, 'chain>=1.0\n')
    with ri.serve_simple_index(wheels, requires_python=True) as index:
        run = check(index.url, root, pythons=('3.12',))
    reason = 'chain 1.2 requires dep>=9; the rest has dep 1.0'
    assert by_package(run) == {'chain': [('false-minimum', '3.12', '1.0', '1.3', reason)]}
    # one retry in all: the step past 1.0 (read ahead), told of 1.1 to 1.3
    assert len(ran) == run.resolutions + 1
    assert not (tmp_path / 'built').exists()
