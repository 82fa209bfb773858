"""check-conflicts with a real uv (and pip) against a local index of wheels."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from openstack_requirements.errors import ParseError
from openstack_requirements.ops.checks.resolver import XFail, read_xfails
from tests import resolver_index

# resolver tests: all but test_read_xfails run uv or pip
pytestmark = pytest.mark.slow

WORLD = (
    ('alpha', '1.0', None, ('beta<2',)),
    ('beta', '1.0', None, ()),
    ('beta', '2.0', None, ()),
    ('gamma', '1.0', None, ('beta>=2; python_version >= "3.12"',)),
)


@pytest.fixture(scope='module')
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return resolver_index.make_index(tmp_path_factory.mktemp('index'), WORLD)


@pytest.fixture(autouse=True)
def uv_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        'UV_CACHE_DIR', str(tmp_path_factory.getbasetemp() / f'uv-cache-{__name__}')
    )


def check(run_app, index: Path, upper: Path, *args: str):
    return run_app(
        'check-conflicts',
        str(upper),
        '--find-links',
        str(index),
        '--no-index',
        '--timeout',
        '120',
        '-f',
        'json',
        *args,
    )


def test_co_installable(run_app, index: Path, tmp_path: Path) -> None:
    upper = tmp_path / 'upper-constraints.txt'
    upper.write_text('# header\nalpha===1.0\nbeta===1.0\ngamma===1.0\n')
    result = check(run_app, index, upper, '-p', '3.10', '-p', '3.11')
    assert (result.code, result.json()) == (0, [])
    assert result.stderr == 'check-conflicts: 0 errors, 0 warnings (1 check run)\n'


def test_conflict_per_python(run_app, index: Path, tmp_path: Path) -> None:
    upper = tmp_path / 'upper-constraints.txt'
    upper.write_text('alpha===1.0\nbeta===1.0\ngamma===1.0\n')
    # gamma needs beta>=2 from Python 3.12 on: only that Python fails
    result = check(run_app, index, upper, '-p', '3.11', '-p', '3.12')
    assert result.code == 1
    [row] = result.json()
    assert (row['Check'], row['Severity'], row['File']) == (
        'co-installable',
        'error',
        'upper-constraints.txt',
    )
    assert row['Message'].startswith('Python 3.12: the pins do not resolve (uv): ')
    assert 'beta' in row['Message']


def test_known_failure_is_reported_as_such(run_app, index: Path, tmp_path: Path) -> None:
    upper = tmp_path / 'upper-constraints.txt'
    upper.write_text('alpha===1.0\nbeta===2.0\n')
    (tmp_path / 'upper-constraints-xfails.txt').write_text(
        '# Format is\n# dep==version;requirers\nbeta==2.0;alpha\n'
    )
    result = check(run_app, index, upper, '-p', '3.11')
    assert result.code == 0
    assert [(r['Severity'], r['Line'], r['Package'], r['Message']) for r in result.json()] == [
        ('info', 3, 'beta', 'Python 3.11: known failure (xfail): beta==2.0 conflicts with alpha')
    ]
    # an xfail that does not explain the failure leaves it an error
    other = tmp_path / 'other-xfails.txt'
    other.write_text('beta==2.0;gamma\n')
    result = check(run_app, index, upper, '-p', '3.11', '--xfails', str(other))
    assert result.code == 1
    assert [r['Severity'] for r in result.json()] == ['error']
    # the 2023 form: XFAILS as the second positional
    result = run_app(
        'check-conflicts',
        str(upper),
        str(other),
        '--find-links',
        str(index),
        '--no-index',
        '-p',
        '3.11',
        '-f',
        'json',
    )
    assert result.code == 1
    assert [r['Severity'] for r in result.json()] == ['error']
    both = run_app('check-conflicts', str(upper), str(other), '--xfails', str(upper))
    assert (both.code, both.stderr) == (1, 'two xfails files given (XFAILS and --xfails)\n')


def test_pip_driver(run_app, index: Path, tmp_path: Path) -> None:
    upper = tmp_path / 'upper-constraints.txt'
    upper.write_text('alpha===1.0\nbeta===2.0\n')
    result = check(run_app, index, upper, '--resolver', 'pip', '-p', sys.executable)
    assert result.code == 1
    [row] = result.json()
    assert row['Message'].startswith(
        f'Python {sys.version_info[0]}.{sys.version_info[1]}: the pins do not resolve (pip): '
    )


def test_read_xfails() -> None:
    assert read_xfails('# c\n\npyopenssl==17.5.0;mitmproxy,other  # why\n') == [
        XFail('pyopenssl', '17.5.0', ('mitmproxy', 'other'), 3)
    ]
    with pytest.raises(ParseError, match='x.txt:1:1: expected dep==version;requirer'):
        read_xfails('pyopenssl>=17\n', 'x.txt')
