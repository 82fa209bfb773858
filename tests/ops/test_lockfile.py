"""--pylock: lock file names, index URLs turned back from the URL uv saw
to the user's, what uv left out filled in from the index, the check."""

from __future__ import annotations

import tomllib

import pytest
from packaging.pylock import Pylock, is_valid_pylock_path

from openstack_requirements.errors import RequirementsError
from openstack_requirements.ops.constraints import lockfile
from openstack_requirements.ops.constraints.metadata.pages import dist_file

PROXY = 'http://127.0.0.1:41234/simple'
REAL = 'https://mirror.example.org/pypi/simple'


@pytest.mark.parametrize(
    ('python', 'name'), [('3.12', 'pylock.py312.toml'), ('3.9', 'pylock.py39.toml')]
)
def test_file_names_are_pep_751_names(python: str, name: str, tmp_path) -> None:
    assert lockfile.file_name(python) == name
    assert is_valid_pylock_path(tmp_path / name)


@pytest.mark.parametrize(
    ('url', 'expected'),
    [
        (PROXY, REAL),
        (PROXY + '/', REAL + '/'),
        (PROXY + '/oslo-config/', REAL + '/oslo-config/'),
        # elsewhere on the proxy: the same place relative to the index
        (
            'http://127.0.0.1:41234/files/a-1.0.tar.gz#sha256=ab',
            'https://mirror.example.org/pypi/files/a-1.0.tar.gz#sha256=ab',
        ),
        # a file on its origin, another port, a longer name: as they are
        ('https://files.example.org/a-1.0.tar.gz', 'https://files.example.org/a-1.0.tar.gz'),
        ('http://127.0.0.1:41235/simple/a/', 'http://127.0.0.1:41235/simple/a/'),
    ],
)
def test_real_url(url: str, expected: str) -> None:
    assert lockfile.real_url(url, PROXY, REAL) == expected


A, B = 'a' * 64, 'b' * 64
LOCK = f"""lock-version = "1.0"
created-by = "uv"
requires-python = ">=3.12"

[[packages]]
name = "alpha"
version = "1.0"
index = "{PROXY}"
sdist = {{ url = "https://files.example.org/alpha-1.0.tar.gz", hashes = {{ sha256 = "{A}" }} }}

[[packages.wheels]]
url = "https://files.example.org/alpha-1.0-py3-none-any.whl"
upload-time = 2026-01-01T00:00:00Z
size = 10
hashes = {{ sha256 = "{B}" }}
"""


def test_complete_fills_from_the_index_and_rewrites_the_index() -> None:
    sdist = dist_file(
        'alpha-1.0.tar.gz',
        'https://files.example.org/alpha-1.0.tar.gz',
        'alpha',
        size=1234,
        upload_time='2025-06-01T10:00:00.123456Z',
        hash='sha256=' + 'c' * 64,
    )
    asked: list[str] = []

    def files_of(name: str):
        asked.append(name)
        return [sdist]

    text = lockfile.complete(LOCK, PROXY, REAL, files_of)
    data = tomllib.loads(text)
    package = data['packages'][0]
    assert package['index'] == REAL
    assert package['sdist']['size'] == 1234
    assert package['sdist']['upload-time'].isoformat() == '2025-06-01T10:00:00.123456+00:00'
    assert package['sdist']['hashes'] == {'sha256': 'a' * 64}  # uv's kept
    assert package['wheels'][0]['size'] == 10  # complete: untouched
    assert asked == ['alpha']
    lockfile.check(text, 'pylock.py312.toml')
    Pylock.from_dict(data).validate()
    # nothing missing: the index is not asked
    asked.clear()
    assert lockfile.complete(text, PROXY, PROXY, files_of) == text
    assert asked == []


def test_check_is_one_line_naming_the_file() -> None:
    with pytest.raises(RequirementsError) as caught:
        lockfile.check(
            'lock-version = "1.0"\ncreated-by = "x"\n[[packages]]\nname = "Bad Name"\n',
            'd/pylock.py312.toml',
        )
    assert str(caught.value).startswith('d/pylock.py312.toml: not a valid PEP 751 lock file: ')
    assert '\n' not in str(caught.value)
    no_hash = LOCK.replace(', hashes = { sha256 = "' + 'a' * 64 + '" }', '')
    with pytest.raises(RequirementsError, match=r"^p: not a valid .*'packages\[0\].sdist.hashes'"):
        lockfile.check(no_hash, 'p')
    local = LOCK.replace(
        'url = "https://files.example.org/alpha-1.0.tar.gz"', 'path = "alpha-1.0.tar.gz"'
    )
    with pytest.raises(RequirementsError, match=r'^p: alpha 1.0: a file without a URL or a hash$'):
        lockfile.check(local, 'p')


def test_complete_takes_no_local_stat_for_a_hash() -> None:
    local = dist_file(
        'alpha-1.0.tar.gz', 'file:///d/alpha-1.0.tar.gz', 'alpha', hash='stat=10:123', local=True
    )
    text = LOCK.replace(', hashes = { sha256 = "' + A + '" }', '')
    data = tomllib.loads(lockfile.complete(text, None, None, lambda name: [local]))
    assert 'hashes' not in data['packages'][0]['sdist']
