"""Specifiers compared as version sets: does the global entry exclude every
version a project's exclusion does?"""

from __future__ import annotations

import pytest
from packaging.specifiers import Specifier, SpecifierSet

from openstack_requirements.model import versions
from openstack_requirements.ops.checks import specs


@pytest.mark.parametrize(
    'local, global_, covered',
    [
        # != : the same version, however spelt
        ('!=1.4', '!=1.4', True),
        ('!=1.4.0', '!=1.4', True),
        ('!=1.4', '>=1.5', True),
        ('!=1.4', '', False),
        # != with a wildcard: the whole series, pre-releases and late micros
        ('!=1.4.*', '!=1.4.*', True),
        ('!=1.4.*', '<1.4', True),
        ('!=1.4.*', '!=1.4', False),
        ('!=1.4.*', '!=1.4.0,!=1.4.1', False),
        # caps: a stricter cap covers a looser one
        ('<2', '<1.36', True),
        ('<2', '<2.0', True),
        ('<2', '<3', False),
        ('<2', '<=1.5', True),
        ('<2', '<=2', False),
        ('<=2', '<=2', True),
        ('<=2', '<2', True),
        ('<=2', '<=2.5', False),
        ('<2', '>=1', False),
        # ~= and ==X.*: their implied cap
        ('~=1.4', '<2', True),
        ('~=1.4', '<3', False),
        ('~=1.4.2', '<1.5', True),
        ('~=1.4.2', '<1.6', False),
        ('==1.4.*', '<1.5', True),
        ('==1.4.*', '<=1.4.99', True),
        ('==1.4.*', '<1.6', False),
        # a pin: the same pin, or a cap at or below it
        ('==1.4', '==1.4', True),
        ('===1.4', '===1.4', True),
        ('==1.4', '<1.4', True),
        ('==1.4', '<1.5', False),
        ('==1.4', '==1.5', False),
        # text that is no version: only the same text covers it
        ('===foo', '===foo', True),
        ('===foo', '===bar', False),
        ('===foo', '<2', False),
    ],
)
def test_covered(local: str, global_: str, covered: bool) -> None:
    assert specs.covered(Specifier(local), SpecifierSet(global_)) is covered


@pytest.mark.parametrize(
    'local, global_, left',
    [
        ('>=1,!=1.4,<2', '!=1.4,<1.5', ''),
        ('>=1,!=1.4,<2', '<3', '!=1.4,<2'),
        ('>=1', '', ''),  # a lower bound excludes nothing from above
        ('~=1.4,!=1.4.3', '!=1.4.3', '~=1.4'),
    ],
)
def test_uncovered(local: str, global_: str, left: str) -> None:
    found = specs.uncovered(SpecifierSet(local), SpecifierSet(global_))
    assert SpecifierSet(','.join(str(s) for s in found)) == SpecifierSet(left)


@pytest.mark.parametrize(
    'text, lower',
    [
        ('>=1', True),
        ('>1', True),
        ('~=1.2', True),
        ('==1', True),
        ('===1', True),
        ('<2', False),
        ('!=1', False),
        ('', False),
        ('!=1,<2', False),
        ('<2,>=1', True),
    ],
)
def test_has_lower_bound(text: str, lower: bool) -> None:
    assert versions.has_lower_bound(SpecifierSet(text)) is lower
