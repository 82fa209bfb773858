"""Whole files: logical lines, lossless round trip, grouping."""

from __future__ import annotations

import pytest

from openstack_requirements.errors import ParseError
from openstack_requirements.model import Kind, RequirementsFile

MIXED = (
    '# header\r\n'
    '\r\n'
    'foo>=1.0  # MIT\r\n'
    'Foo_Bar<2;python_version<"3.12"\n'
    'foo-bar>=1;python_version>="3.12"\n'
    '-r other.txt\n'
    'baz==1.0 \\\n'
    '    --hash=sha256:abc\n'
    '-e /opt/stack/oslo.db\n'
    'last-line-without-newline'
)


def test_round_trip_is_byte_for_byte() -> None:
    parsed = RequirementsFile.parse(MIXED)
    assert parsed.render() == MIXED
    assert [line.lineno for line in parsed.lines] == [1, 2, 3, 4, 5, 6, 7, 9, 10]
    assert [line.kind for line in parsed.lines] == [
        Kind.COMMENT,
        Kind.BLANK,
        Kind.REQUIREMENT,
        Kind.REQUIREMENT,
        Kind.REQUIREMENT,
        Kind.OPTION,
        Kind.REQUIREMENT,
        Kind.REQUIREMENT,
        Kind.REQUIREMENT,
    ]


def test_by_key_groups_spellings_in_order() -> None:
    groups = RequirementsFile.parse(MIXED).by_key()
    assert list(groups) == ['foo', 'foo-bar', 'baz', 'last-line-without-newline']
    assert [line.lineno for line in groups['foo-bar']] == [4, 5]


def test_canonical_changes_only_requirement_lines() -> None:
    text = '# keep  this\nb<2,>=1 # x\n\n--pre\n'
    assert RequirementsFile.parse(text).canonical().render() == (
        '# keep  this\nb>=1,<2  # x\n\n--pre\n'
    )


def test_parse_error_names_file_and_line() -> None:
    with pytest.raises(ParseError) as info:
        RequirementsFile.parse('ok\n\nbad>=\n', 'reqs.txt')
    assert str(info.value) == "reqs.txt:3:6: expected a version after '>='"


def test_whole_line_comment_ending_in_backslash_does_not_continue() -> None:
    parsed = RequirementsFile.parse('# note \\\nfoo\n')
    assert [line.kind for line in parsed.lines] == [Kind.COMMENT, Kind.REQUIREMENT]


def test_lazy_file_parses_a_line_when_its_name_is_looked_up() -> None:
    from openstack_requirements.model import LazyRequirementsFile

    text = (
        '# head\n'
        'Foo_Bar>=1;python_version<"3.12"\n'
        'foo-bar>=2;python_version>="3.12"\n'
        'broken>=\n'
        '-e git+https://x.org/r#egg=Edit.Me\n'
        'baz\n'
    )
    lazy = LazyRequirementsFile(text, 'g.txt')
    index = lazy.by_key
    assert [line.lineno for line in index['foo-bar']] == [2, 3]
    assert 'broken' not in index  # it does not parse: no lines for it
    assert 'edit-me' in index
    assert list(index) == ['foo-bar', 'edit-me', 'baz']
    assert [str(err) for err in lazy.errors] == ["g.txt:4:9: expected a version after '>='"]
    assert [line.lineno for line in lazy.requirement_lines()] == [2, 3, 5, 6]
