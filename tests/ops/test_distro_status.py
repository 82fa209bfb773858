"""Governed packages found in Debian releases and compared: real stanzas
of trixie and bookworm (tests/data/debian), real lines of dh-python's
map."""

from __future__ import annotations

from pathlib import Path

import pytest

from openstack_requirements.errors import FileError
from openstack_requirements.model import LazyRequirementsFile
from openstack_requirements.ops.distro import names, releases, status
from tests.ops.test_distro_debian import BOOKWORM, DEBIAN, SOURCES, TRIXIE

MAP = DEBIAN / 'cpython3_fallback'


@pytest.fixture(autouse=True)
def _no_installed_map(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """dh-python's map only where a test names it (not the machine's)."""
    monkeypatch.setenv('DH_PYTHON_DIST', str(tmp_path / 'no-dh-python'))


@pytest.mark.parametrize(
    ('path', 'release'),
    [
        (
            '/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4',
            'bookworm',
        ),
        (
            '/var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_main_'
            'binary-amd64_Packages.lz4',
            'bookworm',
        ),
        (
            '/var/lib/apt/lists/deb.debian.org_debian_dists_trixie-updates_main_source_Sources.gz',
            'trixie',
        ),
        (
            '/var/lib/apt/lists/deb.debian.org_debian_dists_trixie-backports_main_source_Sources',
            'trixie-backports',
        ),
        ('mirror/debian/dists/sid/main/binary-amd64/Packages.xz', 'sid'),
        ('downloads/noble-security/Packages.xz', 'Packages'),
        ('trixie-Packages.gz', 'trixie-Packages'),
    ],
)
def test_release_name(path: str, release: str) -> None:
    assert releases.release_name(path) == release


def test_index_files(tmp_path: Path) -> None:
    lists = tmp_path / 'lists'
    (lists / 'partial').mkdir(parents=True)
    for name in (
        'deb.debian.org_debian_dists_trixie_InRelease',
        'deb.debian.org_debian_dists_trixie_main_binary-amd64_Packages.lz4',
        'deb.debian.org_debian_dists_trixie_main_i18n_Translation-en',
        'deb.debian.org_debian_dists_trixie-updates_main_source_Sources',
        'lock',
    ):
        (lists / name).write_text('')
    assert [
        (r, p.name) for r, p in releases.index_files([str(lists), f'sid={TRIXIE}', str(BOOKWORM)])
    ] == [
        ('trixie', 'deb.debian.org_debian_dists_trixie-updates_main_source_Sources'),
        ('trixie', 'deb.debian.org_debian_dists_trixie_main_binary-amd64_Packages.lz4'),
        ('sid', 'Packages'),
        ('bookworm', 'Packages'),
    ]
    mirror = tmp_path / 'dists' / 'sid' / 'main' / 'binary-amd64'
    mirror.mkdir(parents=True)
    for name in ('Packages', 'Packages.xz', 'Release'):
        (mirror / name).write_text('')
    assert releases.index_files([str(mirror)]) == [('sid', mirror / 'Packages')]
    with pytest.raises(FileError) as caught:
        releases.index_files([str(lists / 'partial')])
    assert str(caught.value) == (
        f'{lists}/partial: no Packages or Sources index '
        '(run apt-get update, or name the index files)'
    )


@pytest.mark.parametrize(
    ('name', 'guess'),
    [
        ('oslo.config', 'oslo.config'),
        ('python-dateutil', 'dateutil'),
        ('Flask_Cors', 'flask-cors'),
        ('PyYAML', 'pyyaml'),
        ('zope.interface', 'zope.interface'),
    ],
)
def test_sensible(name: str, guess: str) -> None:
    assert names.sensible(name) == guess


def test_dh_python_map() -> None:
    known = names.read_map(MAP)
    assert known['pyyaml'] == 'python3-yaml'
    assert known['python-memcached'] == 'python3-memcache'
    assert known['argparse'] == 'python3'  # python3 (>= 3.2)
    assert known['2ping'] == '2ping'
    assert names.candidates('PyYAML', known) == names.Candidates(
        ('python3-yaml', 'python3-pyyaml'), ('python-pyyaml', 'pyyaml')
    )
    assert names.candidates('python-dateutil', known) == names.Candidates(
        ('python3-dateutil',), ('python-dateutil', 'dateutil')
    )


def test_dh_python_map_line_that_does_not_read(tmp_path: Path) -> None:
    path = tmp_path / 'cpython3_fallback'
    path.write_text('PyYAML python3-yaml\n; PEP386\n')
    with pytest.raises(FileError) as caught:
        names.read_map(path)
    assert str(caught.value) == f'{path}:2: not a dh-python map line: ; PEP386'


def test_default_map_is_dh_pythons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('DH_PYTHON_DIST', str(DEBIAN))
    assert names.default_map() == MAP
    monkeypatch.setenv('DH_PYTHON_DIST', str(tmp_path))
    assert names.default_map() is None


@pytest.fixture
def distributions() -> releases.Distributions:
    return releases.load([str(TRIXIE), str(BOOKWORM)], MAP)


@pytest.mark.parametrize(
    ('name', 'trixie', 'bookworm'),
    [
        (
            'oslo.config',
            ('python3-oslo.config', '1:9.7.1-3'),
            ('python3-oslo.config', '1:9.0.0-3'),
        ),
        # the map matches canonical names (the convention would be python3-oslo-config)
        (
            'oslo_config',
            ('python3-oslo.config', '1:9.7.1-3'),
            ('python3-oslo.config', '1:9.0.0-3'),
        ),
        ('PyYAML', ('python3-yaml', '6.0.2-1+b2'), ('python3-yaml', '6.0-3+b2')),  # the map
        ('bcrypt', ('python3-bcrypt', '4.2.0-2.1+b1'), ('python3-bcrypt', '3.2.2-1')),
        ('beautifulsoup4', ('python3-bs4', '4.13.4-2'), None),  # source NAME
        ('cassandra-driver', ('python3-cassandra', '3.29.2-5+b1'), None),  # source python-NAME
        ('nova', None, None),
    ],
)
def test_find(
    distributions: releases.Distributions,
    name: str,
    trixie: tuple[str, str] | None,
    bookworm: tuple[str, str] | None,
) -> None:
    found = [distributions.find(r, name) for r in distributions.releases]
    expected = [releases.Found(*x) if x else None for x in (trixie, bookworm)]
    assert found == expected


def test_find_without_the_map() -> None:
    plain = releases.load([str(TRIXIE)], None)
    trixie = plain.releases[0]
    # the binaries of the source package pyyaml
    assert plain.find(trixie, 'PyYAML') == releases.Found('python3-yaml', '6.0.2-1+b2')
    assert plain.find(trixie, 'argparse') is None


def test_find_in_sources() -> None:
    sources = releases.load([f'trixie={SOURCES}'], MAP)
    release = sources.releases[0]
    assert sources.find(release, 'oslo.config') == releases.Found(
        'src:python-oslo.config', '1:9.7.1-3'
    )
    assert sources.find(release, 'PyYAML') == releases.Found('src:pyyaml', '6.0.2-1')
    assert sources.find(release, 'aiopg') == releases.Found('src:aiopg', '1.5.0~a1-1')
    # a source without a python3- binary is no Python distribution
    assert sources.find(release, 'binutils') is None


def test_packages_before_sources() -> None:
    both = releases.load([f'trixie={SOURCES}', f'trixie={TRIXIE}'])
    assert both.find(both.releases[0], 'oslo.config') == releases.Found(
        'python3-oslo.config', '1:9.7.1-3'
    )


def test_environment_is_the_release_s(distributions: releases.Distributions) -> None:
    trixie, bookworm = distributions.releases
    assert (trixie.environment['python_version'], bookworm.environment['python_full_version']) == (
        '3.13',
        '3.11.2',
    )
    assert trixie.environment['sys_platform'] == 'linux'
    sources = releases.load([f'trixie={SOURCES}']).releases[0]
    assert sources.environment['python_version'] == '3.13'  # python3-defaults


GLOBAL = """\
oslo.config>=9.5.0,!=4.3.0  # Apache-2.0
PyYAML  # MIT
bcrypt>=4.0;python_version>='3.12'  # Apache-2.0
bcrypt>=3.0;python_version<'3.12'  # Apache-2.0
aiopg>=1.5.0  # BSD
pywin32;sys_platform=='win32'  # PSF
nova-lib  # Apache-2.0
"""
UPPER = """\
oslo.config===9.7.1
PyYAML===6.0.3
bcrypt===4.2.0
aiopg===1.4.0
pywin32===311
"""


def test_rows(distributions: releases.Distributions) -> None:
    global_lines = LazyRequirementsFile(GLOBAL, 'global-requirements.txt').by_key
    upper = LazyRequirementsFile(UPPER, 'upper-constraints.txt').by_key
    rows = status.rows(distributions, global_lines, upper, sorted(global_lines))
    assert [row.cells() for row in rows] == [
        (
            'aiopg',
            'trixie',
            'python3-aiopg',
            '1.5.0~a1-1',
            '1.5.0a1',
            '>=1.5.0',
            '1.4.0',
            status.BELOW,
        ),
        ('aiopg', 'bookworm', '', '', '', '>=1.5.0', '1.4.0', status.MISSING),
        (
            'bcrypt',
            'trixie',
            'python3-bcrypt',
            '4.2.0-2.1+b1',
            '4.2.0',
            '>=4.0',
            '4.2.0',
            status.AT,
        ),
        (
            'bcrypt',
            'bookworm',
            'python3-bcrypt',
            '3.2.2-1',
            '3.2.2',
            '>=3.0',
            '4.2.0',
            status.BEHIND,
        ),
        ('nova-lib', 'trixie', '', '', '', '', '', status.MISSING),
        ('nova-lib', 'bookworm', '', '', '', '', '', status.MISSING),
        (
            'oslo.config',
            'trixie',
            'python3-oslo.config',
            '1:9.7.1-3',
            '9.7.1',
            '>=9.5.0',
            '9.7.1',
            status.AT,
        ),
        (
            'oslo.config',
            'bookworm',
            'python3-oslo.config',
            '1:9.0.0-3',
            '9.0.0',
            '>=9.5.0',
            '9.7.1',
            status.BELOW,
        ),
        ('pywin32', 'trixie', '', '', '', '', '311', status.NOT_APPLICABLE),
        ('pywin32', 'bookworm', '', '', '', '', '311', status.NOT_APPLICABLE),
        ('PyYAML', 'trixie', 'python3-yaml', '6.0.2-1+b2', '6.0.2', '', '6.0.3', status.BEHIND),
        ('PyYAML', 'bookworm', 'python3-yaml', '6.0-3+b2', '6.0', '', '6.0.3', status.BEHIND),
    ]
    assert status.summary(rows) == [
        'trixie: 4 of 5 packages packaged, 1 below minimum, 1 behind constraint, 2 at constraint',
        'bookworm: 3 of 5 packages packaged, 1 below minimum, 2 behind constraint',
    ]
