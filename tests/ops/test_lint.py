"""lint and its fix, on OpenStack's list and on lists with planted problems."""

from __future__ import annotations

from openstack_requirements.model import RequirementsFile
from openstack_requirements.ops.checks import lint
from tests.conftest import DATA, ROOT

# OpenStack's list as published (the shipped one is this list, fixed)
SHIPPED = (DATA / 'openstack-2026-08-22' / 'global-requirements.txt').read_text()

PLANTED = """\
### a header the fix keeps as it is
### (the reference's lint crashed on it)

## section:general

alpha  # MIT
# a note that belongs to gamma
gamma>=1  # MIT
beta<2,>=1  # BSD

delta  # MIT
## section:testing
##
## Test tools.

Zeta  # MIT
epsilon  # MIT
zeta;python_version<'3.12'  # MIT
"""


def problems(text: str) -> list[tuple[int, str, str]]:
    return [(p.line, p.package, p.check) for p in lint.lint(RequirementsFile.parse(text))]


def test_shipped_list_has_exactly_its_two_real_problems() -> None:
    # s3transfer sits below botocore with its "indirect from" note, and
    # Hypercorn above hvac: both out of case-insensitive order.
    assert problems(SHIPPED) == [(31, 's3transfer', 'order'), (76, 'Hypercorn', 'order')]


def test_the_shipped_list_is_that_list_fixed() -> None:
    shipped = (ROOT / 'global-requirements.txt').read_text()
    assert problems(shipped) == []
    assert shipped == lint.fix(RequirementsFile.parse(SHIPPED))


def test_fixing_the_shipped_list_moves_only_those_entries() -> None:
    fixed = lint.fix(RequirementsFile.parse(SHIPPED))
    assert problems(fixed) == []
    assert lint.fix(RequirementsFile.parse(fixed)) == fixed
    old, new = SHIPPED.splitlines(), fixed.splitlines()
    assert sorted(old) == sorted(new)
    assert new[:9] == old[:9]  # the ### header and the first section line
    note = new.index('# indirect from boto3/botocore')
    assert new[note + 1] == 's3transfer<0.11  # Apache-2.0'
    assert new[note - 1].startswith('ruamel.yaml')
    assert new.index('hvac  # Apache-2.0') + 1 == new.index('Hypercorn  # MIT')
    moved = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    assert len(moved) < 140  # lines 29..160 at most; the rest untouched


def test_planted_problems_are_each_found() -> None:
    assert problems(PLANTED) == [
        (8, 'gamma', 'order'),
        (9, 'beta', 'canonical'),
        (10, '', 'layout'),  # blank line inside a section
        (12, '', 'layout'),  # no blank line above the section
        (16, 'Zeta', 'order'),
        (18, 'zeta', 'duplicate'),
    ]
    found = {p.line: p.message for p in lint.lint(RequirementsFile.parse(PLANTED))}
    assert found[8] == 'not in order of section general: it goes after delta'
    assert found[9] == 'not in canonical form: beta>=1,<2  # BSD'
    assert found[12] == 'a blank line is missing above'
    assert found[18] == ('also on line 16, and markers do not tell the lines apart')


def test_fix_sorts_keeps_notes_and_header_but_not_duplicates() -> None:
    fixed = lint.fix(RequirementsFile.parse(PLANTED))
    assert (
        fixed
        == """\
### a header the fix keeps as it is
### (the reference's lint crashed on it)

## section:general

alpha  # MIT
beta>=1,<2  # BSD
delta  # MIT
# a note that belongs to gamma
gamma>=1  # MIT

## section:testing
##
## Test tools.

epsilon  # MIT
Zeta  # MIT
zeta;python_version<'3.12'  # MIT
"""
    )
    assert problems(fixed) == [(18, 'zeta', 'duplicate')]


def test_markers_that_tell_lines_apart_are_no_duplicate() -> None:
    text = (
        '## section:a\n\n'
        "foo<2;python_version<'3.10'\n"
        "foo<3;python_version>='3.10'\n"
        "Foo<4;python_version >= '3.10'\n"
    )
    assert problems(text) == [(5, 'Foo', 'duplicate')]
    assert problems('foo\nfoo;python_version>"3"\n') == [(2, 'foo', 'duplicate')]


def test_a_list_without_sections_keeps_its_leading_comment() -> None:
    text = '# the licence header\n\nb\n# about a\na\n'
    assert problems(text) == [(3, 'b', 'order')]
    assert lint.fix(RequirementsFile.parse(text)) == ('# the licence header\n\n# about a\na\nb\n')
    assert problems('a\nb') == [(2, 'b', 'layout')]  # no final newline
