"""pip option lines: several options on one line, read as pip reads them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from openstack_requirements.errors import ParseError
from openstack_requirements.model import Kind, Option, RequirementsFile, parse_line

SEVERAL = [
    (
        '-i https://x.org/simple --trusted-host x.org',
        [('index-url', 'https://x.org/simple'), ('trusted-host', 'x.org')],
    ),
    ('--pre --no-index', [('pre', None), ('no-index', None)]),
    (
        '--index-url=https://a --extra-index-url https://b --extra-index-url=https://c',
        [
            ('index-url', 'https://a'),
            ('extra-index-url', 'https://b'),
            ('extra-index-url', 'https://c'),
        ],
    ),
    (
        '-rreqs.txt -c "my constraints.txt"',
        [('requirement', 'reqs.txt'), ('constraint', 'my constraints.txt')],
    ),
    ('--extra-index https://b', [('extra-index-url', 'https://b')]),
    ('--pypi-url https://a', [('index-url', 'https://a')]),
    (
        '--find-links /tmp/wheels -f ./more  # local wheels',
        [('find-links', '/tmp/wheels'), ('find-links', './more')],
    ),
    ('--require-hashes\t--prefer-binary', [('require-hashes', None), ('prefer-binary', None)]),
    ('--trusted-host a --trusted-host b', [('trusted-host', 'a'), ('trusted-host', 'b')]),
    (
        '--use-feature truststore --only-binary :all:',
        [('use-feature', 'truststore'), ('only-binary', ':all:')],
    ),
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


@pytest.mark.parametrize(
    'text, message',
    [
        (
            '--pre foo',
            "f:1:7: 'foo' is not an option (pip ignores it; a requirement "
            'goes on a line of its own)',
        ),
        ('--no', "f:1:1: ambiguous option '--no' (--no-binary, --no-index)"),
        ('--pre=1', "f:1:1: '--pre' takes no value"),
        ('--pre -i', "f:1:9: expected a value after '-i'"),
        ('--index-url=', "f:1:13: expected a value after '--index-url'"),
        ('--hash=sha256:abc', "f:1:1: '--hash' needs a requirement on its line"),
        ('--pre -e ./x', "f:1:7: '-e' must start its line"),
        ('-r "my file', 'f:1:1: cannot split the options: no closing quotation'),
        ('--pre --frobnicate', "f:1:7: unknown option '--frobnicate'"),
        ('-x y', "f:1:1: unknown option '-x'"),
    ],
)
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
# (in a child process: even looking pip up here makes setuptools' distutils
# shim step aside, and a later import of setuptools in this process fails)

_PIP = """
import json, shlex, sys
from pip._internal.req import req_file
out = []
for text in json.load(sys.stdin):
    body = req_file.COMMENT_RE.sub('', text).strip()
    args, options = req_file.break_args_options(body)
    parser = req_file.build_parser()
    try:
        opts, _ = parser.parse_args(shlex.split(options), parser.get_default_values())
    except (req_file.OptionParsingError, ValueError):
        out.append(None)
        continue
    out.append({'args': args, **{k: v for k, v in vars(opts).items()
                                 if isinstance(v, (str, bool, list, type(None)))}})
json.dump(out, sys.stdout)
"""

REFUSED = ['--no', '--pre=1', '--pre -i', '-r "my file', '--pre --frobnicate', '-x y']


@pytest.fixture(scope='module')
def pip_reads() -> dict[str, dict[str, object] | None]:
    texts = [t for t, _ in SEVERAL] + REFUSED
    done = subprocess.run(
        [sys.executable, '-c', _PIP],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=False,
    )
    if "No module named 'pip" in done.stderr:
        pytest.skip('pip is not installed')
    assert done.returncode == 0, done.stderr
    return dict(zip(texts, json.loads(done.stdout), strict=True))


_DEST = {
    'index-url': 'index_url',
    'extra-index-url': 'extra_index_urls',
    'no-index': 'no_index',
    'constraint': 'constraints',
    'requirement': 'requirements',
    'find-links': 'find_links',
    'prefer-binary': 'prefer_binary',
    'require-hashes': 'require_hashes',
    'pre': 'pre',
    'trusted-host': 'trusted_hosts',
    'use-feature': 'features_enabled',
}


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


@pytest.mark.slow
@pytest.mark.parametrize('text', [t for t, _ in SEVERAL])
def test_pip_reads_the_same_options(pip_reads, text: str) -> None:
    pip = pip_reads[text]
    assert pip is not None
    ours = _as_pip_values(parse_line(text).options)
    assert pip['args'] == ''
    assert {dest: pip[dest] for dest in ours} == ours


@pytest.mark.slow
@pytest.mark.parametrize('text', REFUSED)
def test_pip_refuses_what_we_refuse(pip_reads, text: str) -> None:
    assert pip_reads[text] is None
    with pytest.raises(ParseError):
        parse_line(text)
