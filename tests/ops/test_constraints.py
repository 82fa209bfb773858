"""Merging, ordering, comparing and editing constraints (pure parts)."""

from __future__ import annotations

import hashlib

import pytest
from packaging.requirements import Requirement as PackagingRequirement

from openstack_requirements.errors import ParseError, RequirementsError
from openstack_requirements.model import RequirementsFile, parse_line
from openstack_requirements.ops import constraints
from openstack_requirements.ops.constraints import Pin
from tests.conftest import ROOT

PYTHONS = ('3.10', '3.11', '3.12', '3.13')


@pytest.mark.parametrize(
    'applies, expected',
    [
        (PYTHONS, ''),
        (('3.10',), "python_version<='3.10'"),
        (('3.10', '3.11'), "python_version<='3.11'"),
        (('3.13',), "python_version>='3.13'"),
        (('3.11', '3.12'), "python_version>='3.11' and python_version<='3.12'"),
        (('3.12',), "python_version=='3.12'"),
        (('3.10', '3.12', '3.13'), "python_version!='3.11'"),
        (('3.10', '3.12'), "python_version<='3.10' or python_version=='3.12'"),
    ],
)
def test_python_marker_is_minimal(applies, expected) -> None:
    assert constraints.python_marker(applies, PYTHONS) == expected


def test_python_marker_is_exact_for_every_subset() -> None:
    from itertools import combinations

    from packaging.markers import Marker

    pythons = ('3.9', '3.10', '3.11', '3.12', '3.13')
    for size in range(1, len(pythons)):
        for applies in combinations(pythons, size):
            marker = Marker(constraints.python_marker(applies, pythons))
            for python in pythons:
                assert marker.evaluate({'python_version': python}) == (python in applies), (
                    applies,
                    python,
                )


def _res(**pins: str) -> dict[str, Pin]:
    return {k: Pin(k, v) for k, v in pins.items()}


def test_merge_compares_versions_as_versions() -> None:
    lines = constraints.merge({'3.9': _res(foo='1.9'), '3.10': _res(foo='1.10')})
    assert lines == ["foo===1.9;python_version<='3.9'", "foo===1.10;python_version>='3.10'"]


def test_merge_one_version_everywhere_is_unmarked_and_missing_is_marked() -> None:
    lines = constraints.merge({'3.12': _res(a='1', b='2'), '3.11': _res(a='1')})
    assert lines == ['a===1', "b===2;python_version>='3.12'"]


def test_merge_excludes_canonically_and_keeps_spelling() -> None:
    resolutions = {
        '3.11': {
            'oslo-db': Pin('oslo.db', '1'),
            'flake8-docstrings': Pin('flake8_docstrings', '1'),
            'pastedeploy': Pin('pastedeploy', '3', False),
        }
    }
    lines = constraints.merge(
        resolutions, exclude=['Flake8-Docstrings'], spellings={'pastedeploy': 'PasteDeploy'}
    )
    assert lines == ['oslo.db===1', 'PasteDeploy===3']


def test_every_merged_line_parses() -> None:
    resolutions = {
        '3.10': _res(a='1', b='1', c='1'),
        '3.11': _res(a='2', b='1'),
        '3.12': _res(a='2', c='1'),
        '3.13': _res(a='3', b='2', c='1'),
    }
    for line in constraints.merge(resolutions):
        PackagingRequirement(line)
        assert parse_line(line).requirement is not None


def test_sha1_order_is_the_reference_order() -> None:
    text = (ROOT / 'upper-constraints.txt').read_text()
    lines = [ln for ln in text.splitlines() if not ln.startswith('#')]
    assert constraints.order_lines(sorted(lines)) == lines
    assert constraints.order_lines(['b===1', 'A===1'], 'name') == ['A===1', 'b===1']
    key = hashlib.sha1(b'voluptuous').hexdigest()
    assert key < hashlib.sha1(b'chardet').hexdigest()


def test_leading_comments() -> None:
    assert constraints.leading_comments('# a\n\n# b\nfoo===1\n# c\n') == '# a\n\n# b\n'


def test_per_python_and_compare() -> None:
    baseline = RequirementsFile.parse(
        "foo===1.9;python_version=='3.11'\nfoo===1.8;python_version=='3.12'\ngone===1\nsame===2\n"
    )
    old = constraints.per_python(baseline, ['3.11', '3.12'])
    new = {
        '3.11': _res(foo='1.10', same='2', new='1'),
        '3.12': _res(foo='1.10', same='2', new='1'),
    }
    rows = [d.row() for d in constraints.compare(old, new)]
    assert rows == [
        ('foo', '3.11', 'upgraded', '1.9', '1.10'),
        ('foo', '3.12', 'upgraded', '1.8', '1.10'),
        ('gone', '3.11 3.12', 'removed', '1', ''),
        ('new', '3.11 3.12', 'added', '', '1'),
    ]
    down = constraints.compare({'3.11': _res(x='2')}, {'3.11': _res(x='1')})
    assert down[0].change == 'downgraded'


@pytest.mark.parametrize(
    'entries, message',
    [
        (['3.12'], 'expected SRC:DST'),
        (['3.11:3.12:3.13'], 'expected SRC:DST'),
        (['3.11:3.12', '3.10:3.12'], 'Python 3.12 is already mapped from 3.11'),
    ],
)
def test_bad_version_map(entries, message) -> None:
    with pytest.raises(RequirementsError, match=message):
        constraints.parse_version_map(entries, ['3.11', '3.10'])


def test_version_map() -> None:
    assert constraints.parse_version_map(['3.11:3.12', '3.11:3.10'], ['3.11', '3.10']) == {
        '3.12': '3.11'
    }
    # the reference's two-way map: an unresolved source is ignored
    two_way = ['3.11:3.12', '3.12:3.11']
    assert constraints.parse_version_map(two_way, ['3.11']) == {'3.12': '3.11'}
    assert constraints.parse_version_map(two_way, ['3.12']) == {'3.11': '3.12'}
    assert constraints.parse_version_map(two_way, ['3.11', '3.12']) == {}
    assert constraints.parse_version_map(['3.9:3.12'], ['3.11']) == {}


# -- edit (the reference's scenarios, and what it got wrong) ----------------


def _edit(text: str, name: str, replacement: str | None) -> str:
    return constraints.edit(RequirementsFile.parse(text), name, replacement).render()


def test_edit_replaces_in_place() -> None:
    text = 'bar===1\nfoo===1.0.2\nquux==3\n'
    assert _edit(text, 'foo', '-e /path/to/foo') == 'bar===1\n-e /path/to/foo\nquux==3\n'


def test_edit_collapses_marker_variants_at_the_first() -> None:
    text = "# head\nfoo===1.2;python_version=='3.10'\nbar===1\nfoo===1.3;python_version=='3.11'\n"
    assert _edit(text, 'Foo', 'foo===1.4') == '# head\nfoo===1.4\nbar===1\n'


def test_edit_canonical_name_and_urls() -> None:
    text = 'foo-baz===1.0.2\n-e file:///path/to/bar#egg=bar\n'
    assert _edit(text, 'foo_baz', '-e file:///path#egg=foo_baz') == (
        '-e file:///path#egg=foo_baz\n-e file:///path/to/bar#egg=bar\n'
    )


def test_edit_appends_when_absent_and_deletes() -> None:
    assert _edit('a===1', 'b', 'b===2') == 'a===1\nb===2\n'
    assert _edit('a===1\r\nb===2\r\n', 'c', 'c===3') == 'a===1\r\nb===2\r\nc===3\r\n'
    assert _edit('a===1\nb===2\n', 'a', None) == 'b===2\n'
    assert _edit('a===1\n', 'zzz', None) == 'a===1\n'


def test_edit_matches_an_unnamed_local_path_by_directory() -> None:
    text = 'a===1\n-e /opt/stack/oslo.db\n'
    assert _edit(text, 'oslo_db', 'oslo.db===17.0.0') == 'a===1\noslo.db===17.0.0\n'


def test_edit_validates_the_replacement() -> None:
    with pytest.raises(ParseError) as err:
        _edit('a===1\n', 'a', 'a>=')
    assert err.value.render() == (
        "<replacement>:1:4: expected a version after '>='\n    a>=\n       ^"
    )
    with pytest.raises(RequirementsError, match='is for b, not a'):
        _edit('a===1\n', 'a', 'b===1')
    with pytest.raises(ParseError, match='expected a requirement'):
        _edit('a===1\n', 'a', '-r other.txt')
