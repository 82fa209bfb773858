"""The line model: tables of lines and what they mean."""

from __future__ import annotations

import pytest
from packaging.specifiers import SpecifierSet

from openstack_requirements.errors import ParseError
from openstack_requirements.model import Kind, canonical, parse_line


@pytest.mark.parametrize(
    'text, name, extras, spec, marker, comment',
    [
        ('foo', 'foo', (), '', '', ''),
        ('Foo_Bar>=1.0', 'Foo_Bar', (), '>=1.0', '', ''),
        (
            'oslo.db[mysql,fixtures]>=4.1  # Apache-2.0',
            'oslo.db',
            ('mysql', 'fixtures'),
            '>=4.1',
            '',
            '# Apache-2.0',
        ),
        (
            "pyroute2!=0.5.4;sys_platform!='win32'  # Apache-2.0",
            'pyroute2',
            (),
            '!=0.5.4',
            "sys_platform!='win32'",
            '# Apache-2.0',
        ),
        (
            "foo >= 1.0 ; python_version < '3.12'",
            'foo',
            (),
            '>=1.0',
            "python_version < '3.12'",
            '',
        ),
        ('foo (>=1.0)', 'foo', (), '>=1.0', '', ''),
        ('foo>=1.0 #comment', 'foo', (), '>=1.0', '', '#comment'),
        ('voluptuous===0.16.0', 'voluptuous', (), '===0.16.0', '', ''),
        ('flake8==2.1.0,==2.2.2', 'flake8', (), '==2.1.0,==2.2.2', '', ''),
    ],
)
def test_requirement_lines(
    text: str, name: str, extras: tuple[str, ...], spec: str, marker: str, comment: str
) -> None:
    line = parse_line(text)
    assert line.kind is Kind.REQUIREMENT
    req = line.requirement
    assert req is not None
    assert (req.name, req.extras, req.specifier, req.marker_text, line.comment) == (
        name,
        extras,
        SpecifierSet(spec),
        marker,
        comment,
    )
    assert line.text == text


@pytest.mark.parametrize(
    'text, kind',
    [
        ('', Kind.BLANK),
        ('   ', Kind.BLANK),
        ('# a comment', Kind.COMMENT),
        ('  ## section:general', Kind.COMMENT),
    ],
)
def test_blank_and_comment_lines(text: str, kind: Kind) -> None:
    line = parse_line(text)
    assert line.kind is kind
    assert line.requirement is None


@pytest.mark.parametrize(
    'text, name, value',
    [
        ('-r requirements.txt', 'requirement', 'requirements.txt'),
        ('--requirement=other.txt', 'requirement', 'other.txt'),
        ('-rother.txt', 'requirement', 'other.txt'),
        (
            '-c https://x.org/upper-constraints.txt',
            'constraint',
            'https://x.org/upper-constraints.txt',
        ),
        (
            '-f http://tarballs.openstack.org/oslo.config/oslo.config-1.2.0a3'
            '.tar.gz#egg=oslo.config-1.2.0a3',
            'find-links',
            'http://tarballs.openstack.org/oslo.config/oslo.config-1.2.0a3'
            '.tar.gz#egg=oslo.config-1.2.0a3',
        ),
        ('-i https://pypi.example/simple', 'index-url', 'https://pypi.example/simple'),
        ('--extra-index-url https://x/simple  # mirror', 'extra-index-url', 'https://x/simple'),
        ('--pre', 'pre', None),
        ('--no-binary :all:', 'no-binary', ':all:'),
        ('--only-binary=lxml', 'only-binary', 'lxml'),
        ('--prefer-binary', 'prefer-binary', None),
        ('--trusted-host pypi.example', 'trusted-host', 'pypi.example'),
    ],
)
def test_option_lines(text: str, name: str, value: str | None) -> None:
    line = parse_line(text)
    assert line.kind is Kind.OPTION
    assert line.option is not None
    assert (line.option.name, line.option.value) == (name, value)


@pytest.mark.parametrize(
    'text, name, url, style, editable',
    [
        (
            '-e git+https://opendev.org/openstack/nova#egg=nova',
            'nova',
            'git+https://opendev.org/openstack/nova#egg=nova',
            'legacy',
            True,
        ),
        (
            '-e file:///opt/stack/oslo.db#egg=oslo.db',
            'oslo.db',
            'file:///opt/stack/oslo.db#egg=oslo.db',
            'legacy',
            True,
        ),
        ('--editable /opt/stack/oslo.db', None, '/opt/stack/oslo.db', 'legacy', True),
        (
            'http://tarballs.openstack.org/swift/swift-master.tar.gz#egg=swift',
            'swift',
            'http://tarballs.openstack.org/swift/swift-master.tar.gz#egg=swift',
            'legacy',
            False,
        ),
        (
            'http://x.org/oslo.config-1.2.0a2.tar.gz#egg=oslo.config-1.2.0a2',
            'oslo.config',
            'http://x.org/oslo.config-1.2.0a2.tar.gz#egg=oslo.config-1.2.0a2',
            'legacy',
            False,
        ),
        (
            'foo @ https://x.org/foo-1.0.tar.gz',
            'foo',
            'https://x.org/foo-1.0.tar.gz',
            'pep508',
            False,
        ),
        (
            'https://x.org/pkgs/Foo_Bar-1.0-py3-none-any.whl',
            'Foo_Bar',
            'https://x.org/pkgs/Foo_Bar-1.0-py3-none-any.whl',
            'legacy',
            False,
        ),
    ],
)
def test_url_lines(text: str, name: str | None, url: str, style: str, editable: bool) -> None:
    req = parse_line(text).requirement
    assert req is not None
    assert (req.name, req.url, req.url_style, req.editable) == (name, url, style, editable)


def test_direct_reference_with_marker() -> None:
    req = parse_line("foo @ https://x.org/a;b.tar.gz ; os_name == 'posix'").requirement
    assert req is not None
    assert req.url == 'https://x.org/a;b.tar.gz'
    assert req.marker_text == "os_name == 'posix'"


@pytest.mark.parametrize('text', ['foo; os_name == "a\\d"', 'foo (>=1.0); os_name == "a\\d"'])
def test_a_marker_value_with_an_unknown_escape_reads_as_pip_reads_it(text: str) -> None:
    """packaging reads the value with ast.literal_eval, and Python warns of
    the unknown escape; pyproject.toml ignores that warning by name (as an
    error it would make packaging refuse the marker), so a test reads the
    line as a run does."""
    line = parse_line(text)
    assert line.requirement is not None
    assert line.requirement.marker_text == 'os_name == "a\\d"'


def test_hashes_and_continuation() -> None:
    text = 'foo==1.0 \\\n    --hash=sha256:abc \\\n    --hash sha256:def'
    line = parse_line(text)
    assert line.requirement is not None
    assert line.requirement.hashes == ('sha256:abc', 'sha256:def')
    assert line.text == text


def test_pbr_colon_marker() -> None:
    line = parse_line("zVMCloudConnector>=1.3.0:sys_platform!='win32'", pbr=True)
    assert line.requirement is not None
    assert line.requirement.marker_text == "sys_platform!='win32'"
    assert canonical(line, marker_sep=':').text == (
        "zVMCloudConnector>=1.3.0:sys_platform!='win32'"
    )


@pytest.mark.parametrize(
    'text, rendered',
    [
        (
            'foo<2,>=1,!=1.5,!=1.10,==1.7,~=1.2,>0.5,<=3',
            'foo>0.5,>=1,~=1.2,!=1.5,==1.7,!=1.10,<2,<=3',
        ),
        ('alembic>=0.4.1,!=1.1.8 # MIT', 'alembic>=0.4.1,!=1.1.8  # MIT'),
        ('foo!=4.0.5,!=4.0.5rc1', 'foo!=4.0.5rc1,!=4.0.5'),
        ('oslo.db[mysql,fixtures] >= 4.1', 'oslo.db[fixtures,mysql]>=4.1'),
        ("foo ; python_version=='3.12'   #  c", "foo;python_version=='3.12'  #  c"),
        ('foo (>=1.0, <2)', 'foo>=1.0,<2'),
        ('bar @ https://x.org/b.whl  ;os_name=="nt"', 'bar @ https://x.org/b.whl ; os_name=="nt"'),
        ('-e  git+https://x.org/r#egg=r', '-e git+https://x.org/r#egg=r'),
    ],
)
def test_canonical_form(text: str, rendered: str) -> None:
    assert canonical(parse_line(text)).text == rendered


@pytest.mark.parametrize(
    'text, message',
    [
        ('bar>=', "f:3:6: expected a version after '>='\n    bar>=\n         ^"),
        ('bar=1.0', "f:3:4: unknown operator '=' (did you mean '=='?)\n    bar=1.0\n       ^"),
        (
            'bar~=1',
            "f:3:6: '~=' needs a version with at least two parts, not '1'\n    bar~=1\n         ^",
        ),
        ('pytz>=2010h', "f:3:7: invalid version '2010h' after '>='\n    pytz>=2010h\n          ^"),
        ('>=1.0', 'f:3:1: expected a package name\n    >=1.0\n    ^'),
        (
            'foo[bar>=1',
            "f:3:11: expected ']' to close the extras\n    foo[bar>=1\n              ^",
        ),
        (
            'foo;python_versio=="3"',
            'f:3:5: invalid marker: expected a marker '
            'variable or quoted string\n    foo;python_versio=="3"\n        ^',
        ),
        ('--frobnicate', "f:3:1: unknown option '--frobnicate'\n    --frobnicate\n    ^"),
        ('-r', "f:3:3: expected a value after '-r'\n    -r\n      ^"),
        (
            'foo==1 --bogus=1',
            "f:3:8: unknown option '--bogus' after a "
            'requirement\n    foo==1 --bogus=1\n           ^',
        ),
    ],
)
def test_errors_carry_place_and_caret(text: str, message: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_line(text, path='f', lineno=3)
    assert info.value.render() == message


def test_error_in_continued_line_points_at_physical_line() -> None:
    with pytest.raises(ParseError) as info:
        parse_line('foo==1.0 \\\n  --nope', path='f', lineno=7)
    assert str(info.value) == "f:8:3: unknown option '--nope' after a requirement"


def test_key_is_canonical_and_name_as_written() -> None:
    req = parse_line('Oslo_Config>=1').requirement
    assert req is not None
    assert (req.name, req.key) == ('Oslo_Config', 'oslo-config')


NINES = '9' * 5000


@pytest.mark.parametrize(
    'text, pbr, column',
    [
        (f'pbr>={NINES}', False, 6),
        (f'pbr (>=1.{NINES})  # c', False, 10),
        (f'pbr>=1;python_version>="{NINES}"', False, 25),
        (f'pbr>=1:python_version>="{NINES}"', True, 25),
        (f'-e git+https://x.org/{NINES}#egg=pbr', False, 22),
        (f'pbr==1.0 --hash=sha256:{NINES}', False, 24),
    ],
)
def test_a_number_python_will_not_read_is_a_parse_error(text: str, pbr: bool, column: int) -> None:
    """Python refuses int() of more than 4,300 digits: such a version would
    fail every comparison later, so the line is refused where it stands."""
    with pytest.raises(ParseError) as info:
        parse_line(text, path='f', lineno=2, pbr=pbr)
    assert str(info.value) == (
        f'f:2:{column}: a number of 5000 digits (Python reads at most 4300)'
    )


def test_a_long_number_under_the_limit_parses_compares_and_renders() -> None:
    text = 'pbr>=' + '9' * 4300
    req = parse_line(text).requirement
    assert req is not None
    assert req == parse_line(text + '.0').requirement
    assert canonical(parse_line(text + ',<2')).text == f'pbr{text[3:]},<2'


@pytest.mark.parametrize(
    'first, second',
    [
        ('foo>=1.0', 'foo>=1'),
        ('Foo_Bar[b,a]>=1.0,<2', 'foo-bar[a,b]<2.0,>=1'),
        ('foo==1.0.0', 'foo==1'),
    ],
)
def test_equal_requirements_hash_alike(first: str, second: str) -> None:
    one, two = parse_line(first).requirement, parse_line(second).requirement
    assert one == two
    assert hash(one) == hash(two)
    assert len({one, two}) == 1


@pytest.mark.parametrize(
    'text, url, marker, editable',
    [
        (
            "http://x.org/a.tar.gz#egg=a ; python_version<'3.12'",
            'http://x.org/a.tar.gz#egg=a',
            "python_version<'3.12'",
            False,
        ),
        ('-e./src/a#egg=a', './src/a#egg=a', '', True),
        ('--editable=./src/a#egg=a', './src/a#egg=a', '', True),
    ],
)
def test_legacy_urls_with_markers_and_attached_editables(
    text: str, url: str, marker: str, editable: bool
) -> None:
    req = parse_line(text).requirement
    assert req is not None
    assert (req.url, req.marker_text, req.editable, req.name) == (url, marker, editable, 'a')
    assert req.marker is (None if not marker else req.marker)


@pytest.mark.parametrize(
    'text, pbr, message',
    [
        (
            "http://x.org/a.tar.gz#egg=a ; python_versio<'3'",
            False,
            'f:1:31: invalid marker: expected a marker variable or quoted string',
        ),
        (
            "a>=1:python_versio<'3'",
            True,
            'f:1:6: invalid marker: expected a marker variable or quoted string',
        ),
        ('a (>=1, ~=2)', False, "f:1:11: '~=' needs a version with at least two parts, not '2'"),
        ('a==1 --hash', False, "f:1:12: expected a value after '--hash'"),
    ],
)
def test_more_errors(text: str, pbr: bool, message: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_line(text, path='f', pbr=pbr)
    assert str(info.value) == message


def test_parse_requirement_takes_one_requirement() -> None:
    from openstack_requirements.model import parse_requirement

    assert parse_requirement('Foo>=1').key == 'foo'
    with pytest.raises(ParseError) as info:
        parse_requirement('--pre')
    assert str(info.value) == '<argument>:1:1: expected a requirement'


def test_requirement_renders_options_and_compares_with_others() -> None:
    req = parse_line('-e ./src/a#egg=a --config-settings k=v').requirement
    assert req is not None
    assert str(req) == '-e ./src/a#egg=a --config-settings=k=v'
    assert parse_line('-e a>=1').requirement.render() == '-e a>=1'  # type: ignore[union-attr]
    assert (req == 'a') is False
