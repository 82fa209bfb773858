"""impact on a constraint change: each release pinned anew, read from an
index on 127.0.0.1 (its metadata only), against the other pins of the
2026 constraints, for each Python they are made for."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import edit
from tests.resolver_index import make_sdist, make_wheel, serve_simple_index

#: oslo.utils 10.2.0 as the test index has it: netaddr is pinned at
#: 1.3.0, iso8601 at 2.1.0, tzdata at 2026.3 in the 2026 constraints.
REQUIRES = (
    'netaddr>=2.0',
    'iso8601>=3.0; python_version >= "3.13"',
    'tzdata>=2022.4',
    "pywin32>=300; sys_platform == 'win32'",
    'oslo.i18n[fancy]>=99; extra == "i18n"',
    'debtcollector>=1.2.0',
)


@pytest.fixture
def wheels(tmp_path: Path) -> Path:
    place = tmp_path / 'wheels'
    make_wheel(place, 'oslo.utils', '10.2.0', '>=3.12', REQUIRES)
    make_wheel(place, 'oslo.utils', '10.1.1', '>=3.10', ('netaddr>=0.10.0',))
    make_sdist(place, 'pbr', '7.1.0', ('setuptools>=99',))
    return place


@pytest.fixture(params=[False, True], ids=['wheel', 'pep658'])
def served(request: pytest.FixtureRequest, wheels: Path) -> Iterator:
    with serve_simple_index(wheels, core_metadata=request.param) as index:
        yield index


def impact(run_app, base: Path, proposed: Path, *more: str):
    """impact of the change, on a project the change does not touch."""
    project = base.parent / 'project'
    project.mkdir(exist_ok=True)
    (project / 'requirements.txt').write_text('stevedore>=1.20.0  # Apache-2.0\n')
    return run_app(
        'impact',
        '--base',
        str(base),
        '--source',
        str(proposed),
        str(project),
        '-f',
        'value',
        '-c',
        'Kind',
        '-c',
        'Package',
        '-c',
        'Line',
        '-c',
        'New',
        '-c',
        'Detail',
        *more,
    )


def test_a_bump_needing_more_than_the_other_pins_allow(
    run_app, base: Path, proposed: Path, served
) -> None:
    edit(proposed / 'upper-constraints.txt', 'oslo.utils===10.1.1', 'oslo.utils===10.2.0')
    result = impact(run_app, base, proposed, '--index-url', served.url)
    assert result.code == 1, result
    assert result.stdout.splitlines() == [
        'change oslo.utils 566 10.2.0 constraint bumped',
        'break oslo.utils 566 10.2.0 oslo.utils 10.2.0 requires Python >=3.12 (Python 3.11)',
        'break oslo.utils 566 10.2.0 oslo.utils 10.2.0 requires netaddr>=2.0; pinned 1.3.0',
        'break oslo.utils 566 10.2.0 oslo.utils 10.2.0 requires iso8601>=3.0; '
        'pinned 2.1.0 (Python 3.13, 3.14)',
    ]
    assert result.stderr.endswith('; 1 release pinned anew read from the index, 1 in conflict\n')
    # only the changed release is read: its page, then its metadata file
    # (or, without one, the wheel)
    assert served.ours[0] == '/simple/oslo-utils/'
    assert set(served.ours[1:]) == {
        '/files/oslo_utils-10.2.0-py3-none-any.whl' + ('.metadata' if served.core_metadata else '')
    }


def test_pins_for_some_pythons(run_app, base: Path, proposed: Path, wheels: Path) -> None:
    """Pinned for 3.12 on only, 10.2.0 is held against those Pythons; and
    against netaddr's pin for each (2.1 from 3.13 on)."""
    upper = proposed / 'upper-constraints.txt'
    edit(
        upper,
        'oslo.utils===10.1.1\n',
        "oslo.utils===10.1.1;python_version<'3.12'\noslo.utils===10.2.0;python_version>='3.12'\n",
    )
    edit(
        upper,
        'netaddr===1.3.0\n',
        "netaddr===1.3.0;python_version<'3.13'\nnetaddr===2.1;python_version>='3.13'\n",
    )
    make_wheel(wheels, 'netaddr', '2.1', '>=3.13')
    with serve_simple_index(wheels) as served:
        result = impact(run_app, base, proposed, '--index-url', served.url, '--kind', 'break')
    assert result.code == 1, result
    assert result.stdout.splitlines() == [
        'break oslo.utils 568 10.2.0 oslo.utils 10.2.0 requires netaddr>=2.0; '
        'pinned 1.3.0 (Python 3.12)',
        'break oslo.utils 568 10.2.0 oslo.utils 10.2.0 requires iso8601>=3.0; '
        'pinned 2.1.0 (Python 3.13, 3.14)',
    ]
    assert 'read from the index, 1 in conflict' in result.stderr


def test_an_sdist_a_missing_release_an_unreadable_one_and_a_harmless_bump(
    run_app, base: Path, proposed: Path, wheels: Path
) -> None:
    """An sdist is read from its PKG-INFO (nothing is built); a release the
    index lacks cannot be installed; one whose metadata cannot be read is
    said on stderr; a bump whose requirements the pins meet breaks nothing."""
    make_sdist(wheels, 'pbr', '7.1.0', ('oslo.i18n>=99', 'setuptools>=99'))
    (wheels / 'tzdata-2026.4-py3-none-any.whl').write_bytes(b'not a zip')
    make_wheel(wheels, 'oslo.utils', '10.1.2', '>=3.10', ('netaddr>=0.10.0',))
    upper = proposed / 'upper-constraints.txt'
    edit(upper, 'pbr===7.0.3', 'pbr===7.1.0')
    edit(upper, 'netaddr===1.3.0', 'netaddr===9.9')
    edit(upper, 'tzdata===2026.3', 'tzdata===2026.4')
    edit(upper, 'oslo.utils===10.1.1', 'oslo.utils===10.1.2')
    with serve_simple_index(wheels) as served:
        result = impact(run_app, base, proposed, '--index-url', served.url, '--kind', 'break')
    assert result.code == 1, result
    # setuptools is never pinned: nothing to hold >=99 against
    assert result.stdout.splitlines() == [
        f'break netaddr 132 9.9 netaddr 9.9: not on {served.url}',
        'break pbr 50 7.1.0 pbr 7.1.0 requires oslo.i18n>=99; pinned 6.9.0',
    ]
    assert result.stderr.splitlines() == [
        'not read from the index: tzdata 2026.4: no metadata in its wheels, and no sdist',
        f'{base} -> {proposed}: 4 packages changed; 0 projects touched, '
        '0 broken, 0 to sync (0 lines); 1 projects read; 2 releases pinned '
        'anew read from the index, 2 in conflict, 1 not read',
    ]


def test_no_index(run_app, base: Path, proposed: Path, wheels: Path) -> None:
    edit(proposed / 'upper-constraints.txt', 'oslo.utils===10.1.1', 'oslo.utils===10.2.0')
    with serve_simple_index(wheels) as served:
        result = impact(run_app, base, proposed, '--index-url', served.url, '--no-index')
        assert (result.code, served.ours) == (0, [])
    assert result.stdout == 'change oslo.utils 566 10.2.0 constraint bumped\n'
    assert 'from the index' not in result.stderr
