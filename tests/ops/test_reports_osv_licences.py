"""The OSV reader and the licence comparison of the health report."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from openstack_requirements.errors import FileError
from openstack_requirements.ops.reports import licences, osv

RECORD = {
    'id': 'GHSA-xxxx',
    'aliases': ['CVE-2099-1'],
    'affected': [
        {
            'package': {'ecosystem': 'PyPI', 'name': 'Some_Pkg'},
            'ranges': [
                {
                    'type': 'ECOSYSTEM',
                    'events': [
                        {'introduced': '0'},
                        {'fixed': '1.2'},
                        {'introduced': '2.0'},
                        {'last_affected': '2.3'},
                    ],
                }
            ],
            'versions': ['5.0'],
        },
        {
            'package': {'ecosystem': 'npm', 'name': 'some-pkg'},
            'ranges': [{'type': 'SEMVER', 'events': [{'introduced': '0'}]}],
        },
    ],
}


@pytest.mark.parametrize(
    ('version', 'affected'),
    [
        ('0.1', True),
        ('1.1.9', True),
        ('1.2', False),
        ('1.9', False),
        ('2.0', True),
        ('2.3', True),
        ('2.3.1', False),
        ('5.0', True),
        ('not a version', False),
    ],
)
def test_ranges(version: str, affected: bool) -> None:
    ((key, found),) = osv.parse_record(RECORD)
    assert key == 'some-pkg'
    assert found.affects(version) is affected
    assert found.fixed == ('1.2',)


def test_zip_export(tmp_path: Path) -> None:
    export = tmp_path / 'all.zip'
    with zipfile.ZipFile(export, 'w') as archive:
        archive.writestr('GHSA-xxxx.json', json.dumps(RECORD))
        archive.writestr(
            'PYSEC-1.json',
            json.dumps(
                {
                    'id': 'PYSEC-1',
                    'affected': [
                        {'package': {'ecosystem': 'PyPI', 'name': 'other'}, 'versions': ['1']}
                    ],
                }
            ),
        )
    assert set(osv.load(export)) == {'some-pkg', 'other'}
    assert set(osv.load(export, ['some.pkg'])) == {'some-pkg'}


def test_bad_place(tmp_path: Path) -> None:
    (tmp_path / 'bad.zip').write_text('not a zip')
    with pytest.raises(FileError, match='not a directory of OSV records'):
        osv.load(tmp_path / 'bad.zip')
    (tmp_path / 'dir').mkdir()
    (tmp_path / 'dir' / 'x.json').write_text('{')
    with pytest.raises(FileError, match=r'x\.json: not a JSON OSV record'):
        osv.load(tmp_path / 'dir')


@pytest.mark.parametrize(
    ('listed', 'release', 'agree'),
    [
        ('MIT License', 'MIT', True),
        ('BSD', 'BSD-3-Clause', True),
        ('Apache-2.0', 'Apache Software License', True),
        ('Apache-2.0', 'MIT OR Apache-2.0', True),
        ('LGPLv2+', 'LGPL-2.1-or-later', True),
        ('PSF', 'Python Software Foundation License', True),
        ('MIT', 'Apache-2.0', False),
        ('BSD License', 'GPL-3.0-only', False),
        ('Some custom licence', 'MIT', True),  # names no known family
    ],
)
def test_licences(listed: str, release: str, agree: bool) -> None:
    assert licences.agree(listed, release) is agree


def test_declared() -> None:
    assert (
        licences.declared(
            None, ['License :: OSI Approved :: MIT License', 'Programming Language :: Python']
        )
        == 'MIT License'
    )
    assert (
        licences.declared(' Apache-2.0 ', ['License :: OSI Approved :: MIT License'])
        == 'Apache-2.0'
    )
    assert licences.declared(None, ['License :: OSI Approved']) is None
