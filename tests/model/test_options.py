"""pip option lines: several options on one line, read as pip reads them."""

from __future__ import annotations

import shlex

import pytest

from openstack_requirements.errors import ParseError
from openstack_requirements.model import Kind, Option, RequirementsFile, parse_line

SEVERAL = [
    ('-i https://x.org/simple --trusted-host x.org',
     [('index-url', 'https://x.org/simple'), ('trusted-host', 'x.org')]),
    ('--pre --no-index', [('pre', None), ('no-index', None)]),
    ('--index-url=https://a --extra-index-url https://b --extra-index-url=https://c',
     [('index-url', 'https://a'), ('extra-index-url', 'https://b'),
      ('extra-index-url', 'https://c')]),
    ('-rreqs.txt -c "my constraints.txt"',
     [('requirement', 'reqs.txt'), ('constraint', 'my constraints.txt')]),
    ('--extra-index https://b', [('extra-index-url', 'https://b')]),
    ('--pypi-url https://a', [('index-url', 'https://a')]),
    ('--find-links /tmp/wheels -f ./more  # local wheels',
     [('find-links', '/tmp/wheels'), ('find-links', './more')]),
    ('--require-hashes\t--prefer-binary', [('require-hashes', None), ('prefer-binary', None)]),
    ('--trusted-host a --trusted-host b', [('trusted-host', 'a'), ('trusted-host', 'b')]),
    ('--use-feature truststore --only-binary :all:',
     [('use-feature', 'truststore'), ('only-binary', ':all:')]),
    ('-i --pre', [('index-url', '--pre')]),  # optparse takes the next word
]


@pytest.mark.parametrize('text, options', SEVERAL)
def test_several_options_on_a_line(text: str, options: list[tuple[str, str | None]]) -> None:
    line = parse_line(text)
    assert line.kind is Kind.OPTION
    assert [(o.name, o.value) for o in line.options] == options
    assert line.option == line.options[0]
    assert line.text == text


def test_option_line_keeps_its_text_in_a_file() -> None:
    text = '--pre  --no-index # offline\r\n-i https://x/simple --trusted-host x\n'
    parsed = RequirementsFile.parse(text)
    assert parsed.render() == text
    assert [len(line.options) for line in parsed.lines] == [2, 2]
    assert parsed.lines[0].comment == '# offline'


@pytest.mark.parametrize('text, message', [
    ('--pre foo', "f:1:7: 'foo' is not an option (pip ignores it; a requirement "
     'goes on a line of its own)'),
    ('--no', "f:1:1: ambiguous option '--no' (--no-binary, --no-index)"),
    ('--pre=1', "f:1:1: '--pre' takes no value"),
    ('--pre -i', "f:1:9: expected a value after '-i'"),
    ('--index-url=', "f:1:13: expected a value after '--index-url'"),
    ('--hash=sha256:abc', "f:1:1: '--hash' needs a requirement on its line"),
    ('--pre -e ./x', "f:1:7: '-e' must start its line"),
    ('-r "my file', 'f:1:1: cannot split the options: no closing quotation'),
    ('--pre --frobnicate', "f:1:7: unknown option '--frobnicate'"),
    ('-x y', "f:1:1: unknown option '-x'"),
])
def test_option_errors(text: str, message: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_line(text, path='f')
    assert str(info.value) == message


def test_editable_line_is_still_a_requirement() -> None:
    line = parse_line('-e ./src/oslo.db --config-settings editable_mode=compat')
    assert line.requirement is not None
    assert line.requirement.editable
    assert line.requirement.options == ('--config-settings=editable_mode=compat',)
    assert line.options == ()


# -- the same lines through pip's own requirement-file parser -------------

_DEST = {'index-url': 'index_url', 'extra-index-url': 'extra_index_urls',
         'no-index': 'no_index', 'constraint': 'constraints',
         'requirement': 'requirements', 'find-links': 'find_links',
         'prefer-binary': 'prefer_binary', 'require-hashes': 'require_hashes',
         'pre': 'pre', 'trusted-host': 'trusted_hosts',
         'use-feature': 'features_enabled'}


def _as_pip_values(options: tuple[Option, ...]) -> dict[str, object]:
    values: dict[str, object] = {}
    for option in options:
        dest = _DEST.get(option.name)
        if dest is None:
            continue
        if option.value is None:
            values[dest] = True
        elif dest == 'index_url':
            values[dest] = option.value
        else:
            values.setdefault(dest, []).append(option.value)  # type: ignore[union-attr]
    return values


@pytest.mark.parametrize('text', [t for t, _ in SEVERAL])
def test_pip_reads_the_same_options(text: str) -> None:
    req_file = pytest.importorskip('pip._internal.req.req_file')
    body = req_file.COMMENT_RE.sub('', text).strip()
    args, options = req_file.break_args_options(body)
    parser = req_file.build_parser()
    opts, _ = parser.parse_args(shlex.split(options), parser.get_default_values())
    ours = _as_pip_values(parse_line(text).options)
    assert args == ''
    assert {dest: getattr(opts, dest) for dest in ours} == ours


@pytest.mark.parametrize('text', ['--no', '--pre=1', '--pre -i', '-r "my file',
                                  '--pre --frobnicate', '-x y'])
def test_pip_refuses_what_we_refuse(text: str) -> None:
    req_file = pytest.importorskip('pip._internal.req.req_file')
    parser = req_file.build_parser()
    with pytest.raises((req_file.OptionParsingError, ValueError)):
        parser.parse_args(shlex.split(text), parser.get_default_values())
    with pytest.raises(ParseError):
        parse_line(text)
