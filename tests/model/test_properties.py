"""Generated requirement lines survive parse -> render -> parse."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from openstack_requirements.errors import ParseError
from openstack_requirements.model import canonical, parse_line

names = st.from_regex(r'[A-Za-z][A-Za-z0-9]{0,6}([._-][A-Za-z0-9]{1,4}){0,2}', fullmatch=True)
versions = st.builds(
    lambda parts, pre: '.'.join(map(str, parts)) + pre,
    st.lists(st.integers(0, 30), min_size=1, max_size=4),
    st.sampled_from(['', 'a1', 'b2', 'rc1', '.post1', '.dev3']),
)
# '===' takes everything up to a blank as its version, so it stands alone
operators = st.sampled_from(['>=', '>', '<', '<=', '!=', '=='])
specs = st.lists(st.builds(lambda o, v: o + v, operators, versions), max_size=4)
markers = st.sampled_from(
    [
        '',
        "python_version>='3.10'",
        "sys_platform!='win32'",
        'python_version < "3.12" and os_name == "posix"',
        "platform_machine=='x86_64' or python_version=='3.11'",
    ]
)
extras = st.lists(st.from_regex(r'[a-z][a-z0-9]{0,5}', fullmatch=True), max_size=3, unique=True)
comments = st.sampled_from(['', '# MIT', '#Apache-2.0', '# see http://x#y'])
spacing = st.sampled_from(['', ' ', '  '])


@st.composite
def requirement_lines(draw: st.DrawFn) -> str:
    text = draw(names)
    chosen = draw(extras)
    if chosen:
        text += '[' + ','.join(chosen) + ']'
    text += draw(spacing) + (',' + draw(spacing)).join(draw(specs))
    marker = draw(markers)
    if marker:
        text += draw(spacing) + ';' + draw(spacing) + marker
    comment = draw(comments)
    if comment:
        text += ' ' + draw(spacing) + comment
    return text


@given(requirement_lines())
@settings(max_examples=400, deadline=None)
def test_parse_render_parse(text: str) -> None:
    first = parse_line(text)
    assert first.text == text
    rendered = canonical(first)
    again = parse_line(rendered.text)
    assert again.requirement == first.requirement
    assert again.comment == first.comment
    assert canonical(again).text == rendered.text


pieces = st.sampled_from(
    list('abAB01._-[],;:@#=<>!~()*\'" \t\\/\n')
    + ['-e ', '-r', '--hash=', 'http://', 'python_version', ' and ', '==1.0']
)


@given(st.lists(pieces, max_size=25).map(''.join))
@settings(max_examples=1500, deadline=None)
def test_any_text_parses_or_raises_parse_error(text: str) -> None:
    """No input makes the parser fail with anything but a located error."""
    try:
        line = parse_line(text, path='f', lineno=1)
    except ParseError as err:
        assert err.render().startswith('f:')
        assert err.column >= 1
    else:
        assert line.text == text
