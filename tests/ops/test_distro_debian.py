"""Debian versions compared as dpkg compares them, and package indexes
read as apt reads them: real stanzas of Debian's trixie and bookworm
indexes (tests/data/debian), compressed here as apt serves them."""

from __future__ import annotations

import bz2
import gzip
import lzma
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from openstack_requirements.errors import FileError
from openstack_requirements.ops.distro import compression, debian, indexes
from tests.conftest import TEST_DATA

DEBIAN = TEST_DATA / 'debian'
TRIXIE = DEBIAN / 'dists' / 'trixie' / 'main' / 'binary-amd64' / 'Packages'
BOOKWORM = DEBIAN / 'dists' / 'bookworm' / 'main' / 'binary-amd64' / 'Packages'
SOURCES = DEBIAN / 'dists' / 'trixie' / 'main' / 'source' / 'Sources'


@pytest.mark.parametrize(
    ('a', 'relation', 'b'),
    [
        ('1.0', '<', '1.1'),
        ('1.0', '<', '1.0-1'),  # no revision is revision 0
        ('1.0', '==', '1.0-0'),
        ('1.0', '==', '0:1.0'),
        ('1:1.0', '>', '9.9'),  # the epoch first
        ('1:9.7.1-3', '>', '1:9.0.0-3'),
        ('1.0~rc1', '<', '1.0'),  # ~ before the end
        ('1.0~~', '<', '1.0~'),
        ('1.0', '<', '1.0a'),  # the end before letters
        ('1.0a', '<', '1.0+'),  # letters before other characters
        ('1.0', '<', '1.0.0'),
        ('4.2.0-2.1', '<', '4.2.0-2.1+b1'),  # a binNMU
        ('1.0-1', '<', '1.0-1ubuntu1'),
        ('1.0-1~deb13u1', '<', '1.0-1'),  # a stable update below the release
        ('01', '==', '1'),
        ('1.2.3+dfsg-1', '>', '1.2.3-1'),
        ('2.0+really1.9-1', '>', '2.0-1'),  # dpkg sees 2.0+, whatever it means
        ('1.0-a-1', '>', '1.0-1'),  # the revision after the last hyphen
    ],
)
def test_compare(a: str, relation: str, b: str) -> None:
    expected = {'<': -1, '==': 0, '>': 1}[relation]
    assert debian.compare(a, b) == expected
    assert debian.compare(b, a) == -expected


@pytest.mark.parametrize(
    ('version', 'message'),
    [
        ('', 'empty version'),
        ('1.0 1', "version '1.0 1' has embedded spaces"),
        ('a:1.0', "epoch 'a' of 'a:1.0' is not a number"),
        ('1:', "nothing after the colon in '1:'"),
        ('1.0-', "empty revision in '1.0-'"),
        ('-1', "empty upstream version in '-1'"),
    ],
)
def test_versions_dpkg_refuses(version: str, message: str) -> None:
    with pytest.raises(debian.VersionError) as caught:
        debian.split(version)
    assert str(caught.value) == message


def _random_versions(count: int) -> list[str]:
    chars = '0123456789.+~ab'
    rng = random.Random(28)
    found = []
    for _ in range(count):
        epoch = f'{rng.randint(0, 2)}:' if rng.random() < 0.2 else ''
        upstream = str(rng.randint(0, 12)) + ''.join(
            rng.choice(chars) for _ in range(rng.randint(0, 6))
        )
        revision = ''.join(rng.choice(chars) for _ in range(rng.randint(0, 4)))
        found.append(f'{epoch}{upstream}-{revision}' if revision else epoch + upstream)
    return found


def _fixture_versions() -> list[str]:
    return [
        line.split(':', 1)[1].strip()
        for path in (TRIXIE, BOOKWORM, SOURCES)
        for line in path.read_text().splitlines()
        if line.startswith('Version:')
    ]


@pytest.mark.skipif(shutil.which('dpkg') is None, reason='dpkg is not installed')
def test_the_order_is_dpkg_s() -> None:
    """Sorted by :func:`debian.sort_key`, each version is to the next as
    ``dpkg --compare-versions`` says: the whole order agrees with dpkg's
    (a total order checked at each step holds for every pair)."""
    versions = sorted(
        {
            *_random_versions(300),
            *_fixture_versions(),
            '1.0',
            '1.0~',
            '1.0~~a',
            '1.0+b1',
            '1:0',
            '0:0',
            '1.0-0',
            '1.0a',
            '1.0.',
            '1~rc1-1',
            '00.01',
        },
        key=debian.sort_key,
    )
    script = ''.join(
        f"dpkg --compare-versions '{a}' "
        f"{'eq' if debian.compare(a, b) == 0 else 'lt'} '{b}' || echo '{a} {b}'\n"
        for a, b in zip(versions, versions[1:], strict=False)
    )
    done = subprocess.run(['sh', '-c', script], capture_output=True, text=True, check=False)
    assert done.stderr == ''
    assert done.stdout == ''
    assert len(versions) > 300


@pytest.mark.parametrize(
    ('version', 'python'),
    [
        ('1:9.7.1-3', '9.7.1'),  # epoch and revision dropped
        ('4.2.0-2.1+b1', '4.2.0'),  # a binNMU
        ('23.1.2+dfsg1-2', '23.1.2'),  # a repack
        ('1.37.9+repack-1', '1.37.9'),
        ('1.5.0~a1-1', '1.5.0a1'),  # a pre-release
        ('2.0.0~rc2+ds-1', '2.0.0rc2'),
        ('2.0+really1.9-1', '1.9'),  # a version taken back
        ('1:1.0.0~git20230217101414.07b63b3-2', '1.0.0.dev0'),  # before 1.0.0
        ('0~20240407-3', '0.dev0'),
        ('5.0.7-1~deb13u1', '5.0.7'),  # a stable update
        ('1.2.3.dfsg-1', '1.2.3'),  # leading release numbers
        ('3.13.5-1', '3.13.5'),
    ],
)
def test_python_version(version: str, python: str) -> None:
    assert str(debian.python_version(version)) == python


def test_python_version_of_none() -> None:
    assert debian.python_version('debian') is None
    assert debian.python_version('1:') is None


def test_packages_index() -> None:
    index = indexes.read_index(TRIXIE)
    assert len(index) == 9
    assert index.binary('python3-oslo.config') == indexes.Binary(
        'python3-oslo.config', '1:9.7.1-3', 'python-oslo.config', '1:9.7.1-3'
    )
    # a binNMU: Source names the source's own version
    assert index.binary('python3-bcrypt') == indexes.Binary(
        'python3-bcrypt', '4.2.0-2.1+b1', 'python-bcrypt', '4.2.0-2.1'
    )
    # no Source field: the source has the binary's name
    assert index.binary('python3-bs4').source == 'beautifulsoup4'
    assert index.binary('python3-aiopg').version == '1.5.0~a1-1'
    assert index.binary('python3-nova') is None
    assert [b.name for b in index.built_from('python-oslo.config')] == [
        'python3-oslo.config',
        'python-oslo.config-doc',
    ]
    assert index.source('python-oslo.config') is None


def test_sources_index() -> None:
    index = indexes.read_index(SOURCES)
    assert index.source('python-oslo.config') == indexes.Source(
        'python-oslo.config', '1:9.7.1-3', ('python-oslo.config-doc', 'python3-oslo.config')
    )
    # a Binary field over several lines
    binutils = index.source('binutils')
    assert binutils is not None and len(binutils.binaries) == 89
    assert binutils.binaries[-1] == 'binutils-mipsisa64r6el-linux-gnuabi64-dbg'
    assert index.source_building('binutils-mipsisa64r6el-linux-gnuabi64-dbg') == binutils
    assert index.source_building('python3-yaml').name == 'pyyaml'  # type: ignore[union-attr]
    assert index.binary('python3-yaml') is None


@pytest.mark.parametrize(
    'compress',
    [
        gzip.compress,
        lzma.compress,
        bz2.compress,
        lambda data: lzma.compress(data, format=lzma.FORMAT_XZ, preset=9),
    ],
)
def test_compressed(tmp_path: Path, compress) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / 'Packages.anything'
    path.write_bytes(compress(TRIXIE.read_bytes()))
    assert indexes.read_index(path).binary('python3-oslo.config').version == '1:9.7.1-3'  # type: ignore[union-attr]


@pytest.mark.parametrize('program', ['lz4', 'zstd'])
def test_compressed_by_a_program(tmp_path: Path, program: str) -> None:
    if shutil.which(program) is None:
        pytest.skip(f'{program} is not installed')
    path = tmp_path / f'Packages.{program}'
    subprocess.run(
        [program, '-q', str(TRIXIE), *(['-o'] if program == 'zstd' else []), str(path)], check=True
    )
    assert indexes.read_index(path).binary('python3-yaml').version == '6.0.2-1+b2'  # type: ignore[union-attr]


def test_apt_helper_reads_lz4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """apt's own lists (``*_Packages.lz4``) without the lz4 program."""
    if shutil.which('lz4') is None or not Path(compression.APT_HELPER).exists():
        pytest.skip('needs lz4 (to write the file) and apt-helper')
    path = tmp_path / 'x_dists_trixie_main_binary-amd64_Packages.lz4'
    subprocess.run(['lz4', '-q', str(TRIXIE), str(path)], check=True)
    monkeypatch.setattr(shutil, 'which', lambda name: None)
    assert indexes.read_index(path).binary('python3-yaml') is not None


def test_no_program_for_lz4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / 'Packages.lz4'
    path.write_bytes(b'\x04\x22\x4d\x18' + b'\0' * 16)
    monkeypatch.setattr(shutil, 'which', lambda name: None)
    monkeypatch.setattr(compression, 'APT_HELPER', str(tmp_path / 'no-apt-helper'))
    with pytest.raises(FileError) as caught:
        indexes.read_index(path)
    assert str(caught.value) == (
        f"{path}: lz4-compressed; reading it needs the lz4 program or apt's "
        'apt-helper (for a name ending .lz4)'
    )


@pytest.mark.parametrize('size', [1, 2, 7, 100, 1000, 10**6])
def test_read_in_pieces(size: int) -> None:
    """As the pieces of an uncompressed file come, cut anywhere."""
    data = TRIXIE.read_bytes() + b'\n\n\n' + BOOKWORM.read_bytes()
    whole = indexes.parse_index(data, 'x')
    cut = indexes.parse_index((data[i : i + size] for i in range(0, len(data), size)), 'x')
    assert cut.raw_binaries == whole.raw_binaries
    assert len(cut.raw_binaries) == 9
    bad = data + b'\nPackage: z\nPackage: z\n'
    with pytest.raises(FileError) as caught:
        indexes.parse_index((bad[i : i + size] for i in range(0, len(bad), size)), 'x')
    line = bad.count(b'\n')
    assert str(caught.value) == (
        f'x:{line}: Package given twice in one stanza (a blank line missing?)'
    )


def test_streams_one_after_another(tmp_path: Path) -> None:
    """gzip members and xz streams one after another (and zero padding)
    are one file, as gzip and xz read them."""
    for name, compress in (('Packages.gz', gzip.compress), ('Packages.xz', lzma.compress)):
        path = tmp_path / name
        path.write_bytes(
            compress(b'Package: a\nVersion: 1\n\n')
            + compress(b'Package: b\nVersion: 2\n')
            + b'\0' * 8
        )
        assert sorted(indexes.read_index(path).raw_binaries) == [b'a', b'b']


def _index(tmp_path: Path, text: str) -> indexes.Index:
    path = tmp_path / 'Packages'
    path.write_text(text)
    return indexes.read_index(path)


def test_newest_of_a_package_listed_twice(tmp_path: Path) -> None:
    index = _index(
        tmp_path,
        'Package: a\nVersion: 1.0-1\n\n'
        'Package: a\nVersion: 1:0.5-1\n\n'
        'Package: a\nVersion: 1.1-1\n',
    )
    assert index.binary('a').version == '1:0.5-1'  # type: ignore[union-attr]


def test_deb822_as_apt_reads_it(tmp_path: Path) -> None:
    """Field names in any case, a line of blanks between stanzas, a value
    after no space, a stanza without a final newline."""
    index = _index(
        tmp_path,
        'package: a\nVERSION:1.0\nDescription: x\n .\n'
        ' Package: not-a-field\n \t\nPackage: b\n'
        'Source: c (2.0)\nVersion: 2.0+b1',
    )
    assert index.binary('a') == indexes.Binary('a', '1.0', 'a', '1.0')
    assert index.binary('b') == indexes.Binary('b', '2.0+b1', 'c', '2.0')
    assert index.binary('not-a-field') is None


def test_empty_index(tmp_path: Path) -> None:
    assert len(_index(tmp_path, '')) == 0


@pytest.mark.parametrize(
    ('text', 'message'),
    [
        (
            'Package: a\nVersion: 1\n\nPackage: b\nArchitecture: all\n',
            'Packages:4: Version missing from a stanza',
        ),
        (
            'Package: a\nVersion: 1\nPackage: b\nVersion: 2\n',
            'Packages:3: Package given twice in one stanza (a blank line missing?)',
        ),
        ('Version: 1\nArchitecture: all\n', 'Packages:1: Package missing from a stanza'),
        (
            'Package: a\nVersion: 1\n\nPackage: a\nVersion: x:1\n',
            "Packages:5: Version epoch 'x' of 'x:1' is not a number",
        ),
        (
            '<html>Not found</html>\n',
            'Packages: not a Debian Packages or Sources index (no Package field)',
        ),
    ],
)
def test_unreadable_index(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(FileError) as caught:
        _index(tmp_path, text)
    assert str(caught.value) == f'{tmp_path}/{message}'


def test_a_bad_version_is_an_error_when_read(tmp_path: Path) -> None:
    index = _index(tmp_path, 'Package: a\nVersion: 1:\n')
    with pytest.raises(FileError) as caught:
        index.binary('a')
    assert str(caught.value) == (
        f"{tmp_path}/Packages: package a: nothing after the colon in '1:'"
    )


def test_corrupt_compressed_index(tmp_path: Path) -> None:
    path = tmp_path / 'Packages.xz'
    path.write_bytes(lzma.compress(b'Package: a\nVersion: 1\n')[:-8])
    with pytest.raises(FileError) as caught:
        indexes.read_index(path)
    assert str(caught.value).startswith(f'{path}: corrupt xz data (')


def test_missing_index(tmp_path: Path) -> None:
    with pytest.raises(FileError) as caught:
        indexes.read_index(tmp_path / 'Packages')
    assert str(caught.value) == f'{tmp_path}/Packages: no such file'
