"""The fast reading of common lines gives what packaging's parser gives."""

from __future__ import annotations

import pytest
from packaging.specifiers import SpecifierSet

from openstack_requirements.errors import ParseError
from openstack_requirements.model import canonical, parse_line, split_comment
from openstack_requirements.model import parsing as model
from tests.conftest import CORPUS_LINES


def _both(body: str) -> tuple[model.Requirement | None, model.Requirement]:
    return model._simple_requirement(body), model._parse_full(body, 0, False)


@pytest.mark.slow
def test_fast_path_agrees_with_packaging_over_the_corpus() -> None:
    fast = 0
    for text in CORPUS_LINES.read_text(encoding='utf-8').splitlines():
        body = split_comment(text)[0].strip()
        if not body or body.startswith('-'):
            continue
        try:
            simple, full = _both(body)
        except ParseError:
            assert model._simple_requirement(body) is None, body
            continue
        if simple is None:
            continue
        fast += 1
        assert simple == full, body
        assert (simple.name, simple.extras, str(simple.specifier)) == (
            full.name,
            full.extras,
            str(full.specifier),
        ), body
        assert simple.marker_text == full.marker_text, body
    assert fast > 22000  # nearly every line takes the fast path


@pytest.mark.parametrize(
    'body',
    [
        'foo',
        'Foo_Bar.baz-2',
        'foo[a , b ]  >= 1.0 , <2',
        'foo>=1.0a1.post2.dev3',
        'foo==1.0.*',
        'foo!=2.*',
        'foo~=1.2',
        'foo===1.0-weird',
        'foo ; os_name == "nt"',
        'foo>=1;python_version<"3.12" and os_name=="posix"',
    ],
)
def test_fast_path_cases(body: str) -> None:
    simple, full = _both(body)
    assert simple is not None
    assert simple == full
    assert simple.marker_text == full.marker_text
    assert canonical(parse_line(body)).text == full.render()


@pytest.mark.parametrize(
    'body',
    [
        # each goes the long way, to packaging's parser (and its diagnosis)
        'foo~=1',
        'foo>=1.0.*',
        'foo==1.0a1.*',
        'foo>=1.0+local',
        'foo (>=1.0)',
        'foo @ https://x.org/foo.whl',
        'foo;',
        'foo; bad marker',
        'foo>=v1.0',
        'foo>=1!2.0',
        'foo-',
        'foo>=1.0 --hash=sha256:abc',
        'foo;\x1fos_name=="nt"',
    ],
)
def test_fast_path_declines(body: str) -> None:
    assert model._simple_requirement(body) is None


@pytest.mark.parametrize(
    'text',
    [
        'a' + ' ' * 20000 + 'x',
        'a[' + ' ' * 20000 + 'x',
        'a>=1' + ' ' * 20000 + ',' + ' ' * 20000 + 'x',
        'a>=' + '1.' * 10000 + 'x',
        'a>=1' + ',>=1' * 5000 + ' x',
        'a' + '-a' * 10000 + '-',
        'a[' + 'b,' * 10000 + ']',
        'a==1' + '.1' * 10000 + '.*x',
    ],
)
def test_long_bad_lines_are_rejected(text: str) -> None:
    """Linear in the line (a backtracking reading of these takes minutes)."""
    with pytest.raises(ParseError):
        parse_line(text)


@pytest.mark.slow
def test_render_from_text_agrees_with_the_specifier_set_over_the_corpus() -> None:
    rendered = 0
    for text in CORPUS_LINES.read_text(encoding='utf-8').splitlines():
        try:
            req = parse_line(text).requirement
        except ParseError:
            continue
        if req is None or req.url:
            continue
        built = req.replace(specifier=req.specifier)  # a SpecifierSet now
        assert req.render() == built.render() == model.Requirement.render(built), text
        rendered += 1
    assert rendered > 22000


@pytest.mark.parametrize(
    'text, rendered',
    [
        ('foo==1.0.*,==1.0', 'foo==1.0,==1.0.*'),
        ('foo<2,>=1, !=1.5', 'foo>=1,!=1.5,<2'),
        ('foo >= 1.0', 'foo>=1.0'),
    ],
)
def test_render_of_repeats_and_blanks(text: str, rendered: str) -> None:
    assert canonical(parse_line(text)).text == rendered


def test_a_repeated_item_is_written_once() -> None:
    # packaging >= 26 keeps both spellings in the set (the lower in our
    # order, '>=1', is written); older releases keep one, which is written
    kept = [str(s) for s in SpecifierSet('>=1.0,>=1')]
    expected = 'foo>=1,<2' if len(kept) == 2 else f'foo{kept[0]},<2'
    assert canonical(parse_line('foo>=1.0,>=1,<2')).text == expected
