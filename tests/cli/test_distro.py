"""distro, and the distro-minimum check of check-requirements,
validate-constraints and impact, through the real App: real stanzas of
Debian's trixie and bookworm indexes (tests/data/debian), the shipped data
of 2026 and of 2015 (when the global list had minimums)."""

from __future__ import annotations

import lzma
import shutil
from pathlib import Path

import pytest

from openstack_requirements.ops.distro import releases
from tests.conftest import DATA, TREES
from tests.ops.test_distro_debian import BOOKWORM, DEBIAN, SOURCES, TRIXIE

DATA_2015 = DATA / 'openstack-2015-09-11'
DATA_2026 = DATA / 'openstack-2026-08-22'
MAP = DEBIAN / 'cpython3_fallback'
COLUMNS = [
    'Package',
    'Release',
    'Debian package',
    'Debian version',
    'Upstream',
    'Minimum',
    'Constraint',
    'Status',
]


@pytest.fixture(autouse=True)
def _no_installed_map(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """dh-python's map only where a test names it (not the machine's)."""
    monkeypatch.setenv('DH_PYTHON_DIST', str(tmp_path / 'no-dh-python'))


def test_distro_2015(run_app, tmp_path: Path) -> None:
    """The 2015 data (minimums in the global list, lines for Python 2
    only), as JSON: one row per package and release."""
    xz = tmp_path / 'Packages.xz'
    xz.write_bytes(lzma.compress(TRIXIE.read_bytes()))
    result = run_app(
        'distro',
        '--source',
        str(DATA_2015),
        '--map',
        str(MAP),
        '--packages',
        f'trixie={xz}',
        str(BOOKWORM),
        '-f',
        'json',
    )
    assert result.code == 0, result.stderr
    rows = result.json()
    assert list(rows[0]) == COLUMNS
    assert len(rows) == 2 * 299
    by = {(r['Package'], r['Release']): r for r in rows}
    assert by['oslo.config', 'trixie'] == {
        'Package': 'oslo.config',
        'Release': 'trixie',
        'Debian package': 'python3-oslo.config',
        'Debian version': '1:9.7.1-3',
        'Upstream': '9.7.1',
        'Minimum': '>=2.3.0',
        'Constraint': '2.4.0',
        'Status': 'ahead of constraint',
    }
    assert by['oslo.config', 'bookworm']['Debian version'] == '1:9.0.0-3'
    # the map: argparse is in python3 (the standard library)
    assert by['argparse', 'bookworm']['Debian package'] == 'python3'
    # python_version=='2.7' only: not for trixie's Python 3.13
    assert by['MySQL-python', 'trixie']['Status'] == 'not applicable'
    assert by['Routes', 'trixie']['Status'] == 'not packaged'
    assert result.stderr.splitlines() == [
        'trixie: 6 of 285 packages packaged, 5 ahead of constraint',
        'bookworm: 3 of 285 packages packaged, 2 ahead of constraint',
    ]


def _global(tmp_path: Path, global_text: str, upper_text: str = '') -> Path:
    place = tmp_path / 'data'
    place.mkdir(exist_ok=True)
    (place / 'global-requirements.txt').write_text(global_text)
    (place / 'upper-constraints.txt').write_text(upper_text)
    (place / 'denylist.txt').write_text('')
    return place


def test_distro_warns_when_the_minimum_is_above(run_app, tmp_path: Path) -> None:
    place = _global(
        tmp_path,
        'oslo.config>=9.5.0  # Apache-2.0\nbcrypt>=4.2.0  # Apache-2.0\nnova-lib  # Apache-2.0\n',
        'oslo.config===10.7.0\nbcrypt===4.2.0\n',
    )
    result = run_app(
        'distro',
        '--source',
        str(place),
        '--packages',
        str(TRIXIE),
        str(BOOKWORM),
        '-f',
        'value',
        '-c',
        'Package',
        '-c',
        'Release',
        '-c',
        'Status',
    )
    assert result.code == 0
    assert result.stdout.splitlines() == [
        'bcrypt trixie at constraint',
        'bcrypt bookworm below minimum',
        'nova-lib trixie not packaged',
        'nova-lib bookworm not packaged',
        'oslo.config trixie behind constraint',
        'oslo.config bookworm below minimum',
    ]
    assert result.stderr.splitlines() == [
        "warning: bcrypt: the global minimum >=4.2.0 is above bookworm's python3-bcrypt 3.2.2-1",
        "warning: oslo.config: the global minimum >=9.5.0 is above bookworm's "
        'python3-oslo.config 1:9.0.0-3',
        'trixie: 2 of 3 packages packaged, 1 behind constraint, 1 at constraint',
        'bookworm: 2 of 3 packages packaged, 2 below minimum',
    ]
    chosen = run_app(
        'distro',
        '--source',
        str(place),
        '--packages',
        str(BOOKWORM),
        '--status',
        'below minimum',
        '-f',
        'value',
        '-c',
        'Package',
    )
    assert chosen.stdout.splitlines() == ['bcrypt', 'oslo.config']
    named = run_app(
        'distro',
        'Oslo_Config',
        'nova-lib',
        '--source',
        str(place),
        '--packages',
        str(BOOKWORM),
        '-f',
        'value',
        '-c',
        'Package',
    )
    assert named.stdout.splitlines() == ['nova-lib', 'oslo.config']
    unknown = run_app('distro', 'nova', '--source', str(place), '--packages', str(BOOKWORM))
    assert (unknown.code, unknown.stderr) == (1, 'not in the global list: nova\n')


def test_distro_constrained_and_sources(run_app, tmp_path: Path) -> None:
    place = _global(
        tmp_path, 'oslo.config  # Apache-2.0\n', 'oslo.config===9.7.1\nPyYAML===6.0.2\n'
    )
    result = run_app(
        'distro',
        '--source',
        str(place),
        '--constrained',
        '--packages',
        str(SOURCES),
        '-f',
        'value',
        '-c',
        'Package',
        '-c',
        'Debian package',
        '-c',
        'Status',
    )
    assert result.stdout.splitlines() == [
        'oslo.config src:python-oslo.config at constraint',
        'PyYAML src:pyyaml at constraint',
    ]


@pytest.mark.parametrize(
    ('content', 'message'),
    [
        (
            b'Package: a\nVersion: 1\nPackage: b\n',
            '{path}:3: Package given twice in one stanza (a blank line missing?)',
        ),
        (b'\xfd7zXZ\x00garbage', '{path}: corrupt xz data (Corrupt input data)'),
        (None, '{path}: no such file'),
    ],
)
def test_distro_unreadable_index(
    run_app, tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / 'Packages'
    if content is not None:
        path.write_bytes(content)
    result = run_app('distro', '--source', str(DATA_2026), '--packages', str(TRIXIE), str(path))
    assert (result.code, result.stdout) == (1, '')
    assert result.stderr == message.format(path=path) + '\n'


def test_distro_unknown_status(run_app) -> None:
    result = run_app('distro', '--packages', str(TRIXIE), '--status', 'old')
    assert result.code == 1
    assert result.stderr.startswith("unknown status 'old'; known: below minimum, ")


def test_distro_global_line_that_does_not_parse(run_app, tmp_path: Path) -> None:
    place = _global(tmp_path, 'oslo.config>=>9  # Apache-2.0\n')
    result = run_app('distro', '--source', str(place), '--packages', str(TRIXIE))
    assert result.code == 1
    assert result.stderr.startswith('global-requirements.txt:1:')


@pytest.mark.network
def test_distro_on_the_machine_s_apt_lists(run_app) -> None:
    """The real lists (run ``apt-get update`` first): every governed
    package, the default source of indexes."""
    try:
        files = releases.index_files([])
    except Exception as err:  # no lists on this machine
        pytest.skip(str(err))
    if not any(
        name.endswith(('Packages', '.lz4', '.xz', '.gz')) for name in (p.name for _, p in files)
    ):
        pytest.skip('no Packages index among the apt lists')
    result = run_app('distro', '--source', str(DATA_2026), '-f', 'json')
    assert result.code == 0, result.stderr
    rows = result.json()
    found = {r['Release'] for r in rows}
    assert found == {name for name, _ in files}
    pbr = [r for r in rows if r['Package'] == 'pbr']
    assert pbr and all(r['Debian package'] == 'python3-pbr' for r in pbr)
    packaged = [r for r in rows if r['Status'] != 'not packaged']
    assert len(packaged) > len(rows) / 2


# -- the distro-minimum check ---------------------------------------------------------


def test_check_requirements(run_app, tmp_path: Path) -> None:
    project = tmp_path / 'nova'
    shutil.copytree(TREES / 'nova-2026-08-21', project)
    result = run_app(
        'check-requirements',
        str(project),
        '--source',
        str(DATA_2026),
        '--packages',
        f'trixie={TRIXIE}',
        '--packages',
        str(BOOKWORM),
        '-f',
        'json',
    )
    assert result.code == 0, result.stderr
    assert [
        (r['Check'], r['Severity'], r['File'], r['Package'], r['Message']) for r in result.json()
    ] == [
        (
            'distro-minimum',
            'warning',
            'requirements.txt',
            'oslo.config',
            'minimum >=9.3.0 is above what Debian packages: bookworm '
            'python3-oslo.config 1:9.0.0-3',
        ),
    ]
    assert result.stderr == 'check-requirements: 0 errors, 1 warning (13 checks run)\n'


def test_check_needs_indexes(run_app, tmp_path: Path) -> None:
    project = tmp_path / 'nova'
    shutil.copytree(TREES / 'nova-2026-08-21', project)
    off = run_app('check-requirements', str(project), '--source', str(DATA_2026))
    assert off.stderr == 'check-requirements: 0 errors, 0 warnings (12 checks run)\n'
    chosen = run_app(
        'check-requirements',
        str(project),
        '--source',
        str(DATA_2026),
        '--select',
        'distro-minimum',
    )
    assert (chosen.code, chosen.stderr) == (
        1,
        'no package index given (needed by distro-minimum): use --packages\n',
    )


def test_validate_constraints(run_app, tmp_path: Path) -> None:
    place = _global(
        tmp_path,
        'oslo.config>=9.5.0  # Apache-2.0\nPyYAML>=6.0.1  # MIT\n',
        'oslo.config===9.7.1\nPyYAML===6.0.2\n',
    )
    result = run_app(
        'validate-constraints',
        '--source',
        str(place),
        '--packages',
        str(TRIXIE),
        '--packages',
        str(BOOKWORM),
        '--select',
        'distro-minimum',
        '-f',
        'value',
    )
    assert result.code == 0
    assert result.stdout.splitlines() == [
        'distro-minimum warning global-requirements.txt 1 oslo.config minimum '
        '>=9.5.0 is above what Debian packages: bookworm python3-oslo.config 1:9.0.0-3',
        'distro-minimum warning global-requirements.txt 2 PyYAML minimum '
        '>=6.0.1 is above what Debian packages: bookworm python3-yaml 6.0-3+b2',
    ]
    listed = run_app(
        'validate-constraints',
        '--list-checks',
        '--packages',
        'x',
        '-f',
        'value',
        '-c',
        'Check',
        '-c',
        'Scope',
        '-c',
        'Enabled',
    )
    assert 'distro-minimum project, data True' in listed.stdout.splitlines()


def test_impact(run_app, tmp_path: Path) -> None:
    base = tmp_path / 'base'
    shutil.copytree(DATA_2026, base)
    proposed = tmp_path / 'proposed'
    shutil.copytree(DATA_2026, proposed)
    global_path = proposed / 'global-requirements.txt'
    text = global_path.read_text()
    text = text.replace(
        'oslo.config!=4.3.0,!=4.4.0  # Apache-2.0',
        'oslo.config>=9.5.0,!=4.3.0,!=4.4.0  # Apache-2.0',
    )
    text = text.replace('PyYAML  # MIT', 'PyYAML>=6.0  # MIT')
    global_path.write_text(text + 'aiopg>=1.5.0  # BSD\n')
    project = tmp_path / 'nova'
    shutil.copytree(TREES / 'nova-2026-08-21', project)
    result = run_app(
        'impact',
        '--base',
        str(base),
        '--source',
        str(proposed),
        str(project),
        '--packages',
        f'trixie={TRIXIE}',
        '--packages',
        str(BOOKWORM),
        '--kind',
        'distro',
        '-f',
        'value',
        '-c',
        'Package',
        '-c',
        'Line',
        '-c',
        'Detail',
    )
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines() == [
        'oslo.config 361 minimum raised to >=9.5.0 (from none), above what '
        'Debian packages: bookworm python3-oslo.config 1:9.0.0-3',
        'aiopg 496 new requirement not packaged in bookworm',
        'aiopg 496 new requirement: minimum >=1.5.0 is above what Debian packages: '
        'trixie python3-aiopg 1.5.0~a1-1',
    ]
    assert result.stderr.splitlines()[-1] == 'distro-minimum: 3 warnings'
