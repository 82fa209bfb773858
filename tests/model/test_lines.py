"""Lines split as pip splits a requirements file; parsing stays linear."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openstack_requirements.errors import ParseError
from openstack_requirements.model import (
    LINE_BREAKS,
    Kind,
    RequirementsFile,
    parse_line,
    split_logical,
    split_physical,
)

# Every separator str.splitlines knows, as pip splits on them.
SEPARATORS = [
    '\n',
    '\r\n',
    '\r',
    '\x0b',
    '\x0c',
    '\x1c',
    '\x1d',
    '\x1e',
    '\x85',
    '\u2028',
    '\u2029',
]


def test_line_breaks_are_the_ones_splitlines_knows() -> None:
    known = {chr(c) for c in range(0x110000) if len(f'a{chr(c)}b'.splitlines()) == 2}
    assert set(LINE_BREAKS) == known


@pytest.mark.parametrize('sep', SEPARATORS, ids=repr)
def test_a_package_after_any_line_break_is_a_requirement(sep: str) -> None:
    text = f'# a comment{sep}evil-package>=1.0{sep}'
    parsed = RequirementsFile.parse(text)
    assert [(line.kind, line.key, line.newline) for line in parsed.lines] == [
        (Kind.COMMENT, None, sep),
        (Kind.REQUIREMENT, 'evil-package', sep),
    ]
    assert parsed.render() == text


@pytest.mark.parametrize(
    'text, lines',
    [
        # (text, [(lineno, kind, key or comment)]) as pip reads it
        ('\ufeff# header\nfoo\n', [(1, Kind.COMMENT, '# header'), (2, Kind.REQUIREMENT, 'foo')]),
        ('\ufefffoo>=1\r\n', [(1, Kind.REQUIREMENT, 'foo')]),
        ('\ufeff# note \\\nfoo\n', [(1, Kind.COMMENT, '# note \\'), (2, Kind.REQUIREMENT, 'foo')]),
        ('foo\rbar>=1\r', [(1, Kind.REQUIREMENT, 'foo'), (2, Kind.REQUIREMENT, 'bar')]),
        ('foo>=1 \\', [(1, Kind.REQUIREMENT, 'foo')]),
        ('foo>=1 \\\n', [(1, Kind.REQUIREMENT, 'foo')]),
        ('foo>=1 \\\r\n\r\nbar', [(1, Kind.REQUIREMENT, 'foo'), (3, Kind.REQUIREMENT, 'bar')]),
        (
            'foo==1 \\\x0c --hash=sha256:a\x0cbar',
            [(1, Kind.REQUIREMENT, 'foo'), (3, Kind.REQUIREMENT, 'bar')],
        ),
        # a whole-line comment ends a continued line, set apart by a blank
        ('foo\\\n# c\nbar', [(1, Kind.REQUIREMENT, 'foo'), (3, Kind.REQUIREMENT, 'bar')]),
        # pip strips every backslash at both ends of a continued line
        ('foo\\\\\n>=1', [(1, Kind.REQUIREMENT, 'foo')]),
    ],
)
def test_files_read_as_pip_reads_them(text: str, lines: list[tuple[int, Kind, str]]) -> None:
    parsed = RequirementsFile.parse(text)
    assert [(line.lineno, line.kind, line.key or line.comment) for line in parsed.lines] == lines
    assert parsed.render() == text


def test_continued_line_keeps_its_terminators_and_specifier() -> None:
    parsed = RequirementsFile.parse('foo\\\\\n>=1,\\\x85<2\n')
    (line,) = parsed.lines
    assert line.requirement is not None
    assert str(line.requirement.specifier) == '<2,>=1'
    assert (line.text, line.newline, line.physical_lines) == ('foo\\\\\n>=1,\\\x85<2', '\n', 3)


def test_bom_is_kept_when_the_first_line_is_rendered_anew() -> None:
    parsed = RequirementsFile.parse('\ufeffb<2,>=1\n')
    assert parsed.canonical().render() == '\ufeffb>=1,<2\n'


@pytest.mark.parametrize(
    'text, message',
    [
        ('# c\x0cevil', 'f:4:4: line break U+000C inside a line\n    # c\n       ^'),
        ('foo>=1\u2028bar', 'f:4:7: line break U+2028 inside a line\n    foo>=1\n          ^'),
        ('foo \\\nbar\rbaz', 'f:5:4: line break U+000D inside a line\n    bar\n       ^'),
    ],
)
def test_a_line_break_that_does_not_continue_is_an_error(text: str, message: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_line(text, path='f', lineno=4)
    assert info.value.render() == message


@pytest.mark.parametrize('blanks', [3200, 20000])
def test_specifier_error_path_is_linear(blanks: int) -> None:
    """Rejected at once (the old diagnosis backtracked cubically: 29 s
    for 3,200 blanks)."""
    text = 'pbr>=1.0,' + ' ' * blanks + '! x'
    with pytest.raises(ParseError) as info:
        parse_line(text, path='f')
    assert str(info.value) == f'f:1:{blanks + 10}: expected a version specifier'


@given(
    st.lists(
        st.sampled_from(['a', ' ', '\\', '#', '\ufeff', 'x>=1', *SEPARATORS]), max_size=30
    ).map(''.join)
)
@settings(max_examples=500, deadline=None)
def test_logical_lines_give_back_the_text(text: str) -> None:
    assert ''.join(c + t for c, t in split_physical(text)) == text
    assert [c for c, _ in split_physical(text)] == text.splitlines()
    logical = list(split_logical(text))
    assert ''.join(body + newline for _, body, newline in logical) == text
    try:
        parsed = RequirementsFile.parse(text, 'f')
    except ParseError as err:
        assert str(err).startswith('f:')
    else:
        assert parsed.render() == text
