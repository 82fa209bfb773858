"""Reading an sdist's dependencies without building it."""

from __future__ import annotations

import io
import os
import tarfile
import zipfile

import pytest

from openstack_requirements.ops.constraints.metadata import pages, static


@pytest.mark.parametrize(
    'text, source',
    [
        ('Metadata-Version: 2.2\nName: a\nVersion: 1\nRequires-Dist: b\n', static.STATIC),
        (
            'Metadata-Version: 2.4\nName: a\nVersion: 1\nDynamic: Requires-Dist\n'
            'Requires-Dist: b\n',
            static.PKG_INFO,
        ),
        ('Metadata-Version: 2.1\nName: a\nVersion: 1\nRequires-Dist: b\n', static.PKG_INFO),
    ],
)
def test_pkg_info_static_per_pep_643(text, source) -> None:
    metadata = static.parse_core_metadata(text)
    assert (metadata.name, metadata.requires_dist, metadata.source) == ('a', ('b',), source)


def test_requires_txt_sections() -> None:
    text = (
        'six>=1.0\n\n[:python_version < "3.8"]\nimportlib-metadata\n\n'
        '[test]\npytest\n\n[dns:sys_platform == "linux"]\nunbound\n'
    )
    assert static.requires_txt(text) == (
        [
            'six>=1.0',
            'importlib-metadata; python_version < "3.8"',
            'pytest; extra == "test"',
            'unbound; (sys_platform == "linux") and extra == "dns"',
        ],
        ['test', 'dns'],
    )


def _tar(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode='w:gz') as archive:
        for name, data in members.items():
            entry = tarfile.TarInfo(name)
            entry.size = len(data)
            archive.addfile(entry, io.BytesIO(data))
    return buffer.getvalue()


class Counted(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.most = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.most = max(self.most, self.tell())
        return data


def test_sdist_read_stops_at_a_static_pkg_info() -> None:
    data = _tar(
        {
            'big-1.0/PKG-INFO': b'Metadata-Version: 2.2\nName: Big\nVersion: 1.0\n'
            b'Requires-Dist: small>=2\n',
            'big-1.0/blob.bin': os.urandom(4_000_000),
        }
    )
    stream = Counted(data)
    metadata = static.read_sdist(stream, 'big-1.0.tar.gz')
    assert metadata == static.Metadata('Big', '1.0', ('small>=2',), source=static.STATIC)
    assert stream.most < 200_000 < len(data)


def test_sdist_egg_info_and_nothing_declared() -> None:
    old = _tar(
        {
            'old-1.0/PKG-INFO': b'Metadata-Version: 1.1\nName: old\nVersion: 1.0\n',
            'old-1.0/old.egg-info/requires.txt': b'ply\n[docs]\nsphinx\n',
        }
    )
    metadata = static.read_sdist(io.BytesIO(old), 'old-1.0.tar.gz')
    assert metadata.requires_dist == ('ply', 'sphinx; extra == "docs"')
    assert (metadata.provides_extras, metadata.source) == (('docs',), static.EGG_INFO)
    bare = _tar({'bare-1.0/PKG-INFO': b'Metadata-Version: 1.0\nName: bare\nVersion: 1.0\n'})
    assert static.read_sdist(io.BytesIO(bare), 'bare-1.0.tar.gz').requires_dist == ()
    with pytest.raises(static.MetadataError, match='no PKG-INFO'):
        static.read_sdist(io.BytesIO(_tar({'x-1/setup.py': b''})), 'x-1.tar.gz')


def test_zip_sdist() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w') as archive:
        archive.writestr('z-1.0/PKG-INFO', 'Metadata-Version: 1.1\nName: z\nVersion: 1.0\n')
        archive.writestr('z-1.0/z.egg-info/requires.txt', 'decorator\n')
    buffer.seek(0)
    assert static.read_sdist(buffer, 'z-1.0.zip').requires_dist == ('decorator',)


@pytest.mark.parametrize(
    'filename, name, expected',
    [
        ('pbr-7.1.3-py2.py3-none-any.whl', 'pbr', ('7.1.3', {'py2-none-any', 'py3-none-any'})),
        (
            'lxml-6.0-1-cp312-cp312-manylinux_2_28_x86_64.whl',
            'lxml',
            ('6.0', {'cp312-cp312-manylinux_2_28_x86_64'}),
        ),
        ('python-ldap-3.4.8.tar.gz', 'python_ldap', ('3.4.8', None)),
        ('py_pure_client-1.96.0.tar.gz', 'py-pure-client', ('1.96.0', None)),
        ('simplegeneric-0.8.1.zip', 'simplegeneric', ('0.8.1', None)),
        ('pbr-7.1.3.tar.gz', 'other', None),
        ('pbr-notaversion.tar.gz', 'pbr', None),
        ('pbr-7.1.3.exe', 'pbr', None),
    ],
)
def test_dist_file_names(filename, name, expected) -> None:
    found = pages.dist_file(filename, 'u', name)
    got = None if found is None else (found.version, found.wheel_tags and set(found.wheel_tags))
    assert got == expected


def test_read_ahead_candidates() -> None:
    def file(filename: str, rp: str | None = None) -> pages.DistFile:
        found = pages.dist_file(filename, filename, 'p', requires_python=rp)
        assert found is not None
        return found

    files = [
        file('p-3.0.tar.gz', '>=3.13'),
        file('p-2.0.tar.gz'),
        file('p-2.1rc1.tar.gz'),
        file('p-1.5.tar.gz'),
        file('p-1.5-py3-none-any.whl'),
        file('p-1.0.tar.gz'),
    ]
    tags = static.target_tags('3.12')
    picked = static.read_ahead_candidates(files, [(tags, '3.12.0')], 3)
    assert [f.filename for f in picked] == ['p-2.0.tar.gz']
    both = static.read_ahead_candidates(files, [(tags, '3.12.0'), (tags, '3.13.0')], 3)
    assert [f.filename for f in both] == ['p-2.0.tar.gz', 'p-3.0.tar.gz']


def test_build_failure_and_settings() -> None:
    assert static.build_failure('error: Failed to download and build `salt==3008.4`\n') == (
        'salt',
        '3008.4',
    )
    assert static.build_failure('error: Failed to build `Sys_Dep==2.0`') == ('Sys_Dep', '2.0')
    assert static.build_failure('error: No solution found') is None
    import tomllib

    entry = static.Metadata(
        'Sys_Dep', '2.0', ('alpha<3', 'eps; python_version >= "3.12"'), '>=3.10', ('test',)
    ).toml()
    assert tomllib.loads(entry) == {
        'dependency-metadata': [
            {
                'name': 'Sys_Dep',
                'version': '2.0',
                'requires-dist': ['alpha<3', 'eps; python_version >= "3.12"'],
                'requires-python': '>=3.10',
                'provides-extras': ['test'],
            }
        ]
    }
