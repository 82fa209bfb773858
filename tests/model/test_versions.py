"""The one set of version and marker helpers."""

from __future__ import annotations

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from openstack_requirements.model import versions


@pytest.mark.parametrize(
    'text, version',
    [
        ('1.0', Version('1.0')),
        ('1.4.*', Version('1.4')),
        ('foo', None),
        ('9' * 5000, None),  # a number Python will not read
    ],
)
def test_parse_version(text: str, version: Version | None) -> None:
    assert versions.parse_version(text) == version


def test_version_key_puts_versions_first_in_order() -> None:
    assert sorted(['foo', '1.10', '1.9', '1.0rc1', 'bar'], key=versions.version_key) == [
        '1.0rc1',
        '1.9',
        '1.10',
        'bar',
        'foo',
    ]


@pytest.mark.parametrize(
    'text, bound',
    [
        ('>=1.0,<2', '>=1.0'),
        ('>1.0,>=1.0', '>1.0'),
        ('>=1.0,==1.5', '>=1.5'),
        ('~=2.1,>=2.0', '>=2.1'),
        ('==1.4.*', '>=1.4'),
        ('<2,!=1.5', None),
        ('===foo', None),
        ('', None),
    ],
)
def test_lower_bound_is_the_strictest_stated_or_implied(text: str, bound: str | None) -> None:
    found = versions.lower_bound(SpecifierSet(text))
    assert (str(found) if found is not None else None) == bound
    assert versions.has_lower_bound(SpecifierSet(text)) is (bound is not None or text == '===foo')


def test_normal_marker() -> None:
    assert versions.normal_marker("python_version>='3.8'") == 'python_version >= "3.8"'
    assert versions.normal_marker('') == ''


@pytest.mark.parametrize(
    'marker, python, extra, expected',
    [
        ('python_version >= "3.13"', '3.12', '', False),
        ('python_version >= "3.13"', '3.13', '', True),
        ('python_full_version < "3.12.1"', '3.12', '', True),
        ("sys_platform == 'win32'", '3.12', '', False),
        ("platform_system == 'Linux' and os_name == 'posix'", '3.11', '', True),
        ('extra == "i18n"', '3.12', '', False),
        ('extra == "i18n"', '3.12', 'i18n', True),
        ("platform_python_implementation == 'PyPy'", '3.12', '', False),
    ],
)
def test_marker_environment(marker: str, python: str, extra: str, expected: bool) -> None:
    from packaging.markers import Marker

    assert Marker(marker).evaluate(versions.marker_environment(python, extra)) is expected
