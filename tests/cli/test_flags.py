"""One meaning per flag, in every command that has it (doc/source/reference/
flags.rst): --diff prints and exits 0, --check exits 1 on a pending change,
both print and exit 1; a short flag means one thing everywhere."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, AppResult

Run = Callable[..., AppResult]


class Case:
    """A command that writes one file, the file before and after it runs."""

    def __init__(
        self,
        command: str,
        name: str,
        before: str,
        after: str,
        args: Callable[[Path], list[str]],
        write: tuple[str, ...] = (),
    ) -> None:
        self.command, self.name = command, name
        self.before, self.after = before, after
        self.args, self.write = args, write

    def setup(self, tmp_path: Path, text: str) -> tuple[Path, list[str]]:
        (tmp_path / 'source').mkdir()
        (tmp_path / 'source' / 'global-requirements.txt').write_text('pbr>=2.0  # Apache-2.0\n')
        path = tmp_path / self.name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
        return path, self.args(tmp_path)


CASES = [
    Case(
        'update-requirements',
        'demo/requirements.txt',
        'pbr>=1.0\n',
        'pbr>=2.0  # Apache-2.0\n',
        lambda t: ['--source', str(t / 'source'), str(t / 'demo')],
    ),
    Case(
        'edit-constraints',
        'uc.txt',
        'pbr===1.0\nsix===1.0\n',
        'pbr===2.0\nsix===1.0\n',
        lambda t: [str(t / 'uc.txt'), 'pbr', 'pbr===2.0'],
    ),
    Case(
        'normalize-requirements',
        'r.txt',
        'foo<2,>=1\n',
        'foo>=1,<2\n',
        lambda t: [str(t / 'r.txt')],
        write=('--save',),
    ),
    Case(
        'lint',
        'g-r.txt',
        '## section:a\n\nb<2,>=1\na\n',
        '## section:a\n\na\nb>=1,<2\n',
        lambda t: [str(t / 'g-r.txt')],
        write=('--fix',),
    ),
]
IDS = [case.command for case in CASES]


def run_mode(
    run_app: Run, case: Case, tmp_path: Path, text: str, *mode: str
) -> tuple[AppResult, str]:
    path, args = case.setup(tmp_path, text)
    result = run_app(case.command, *mode, *args)
    return result, path.read_text()


@pytest.mark.parametrize('case', CASES, ids=IDS)
@pytest.mark.parametrize(
    'mode, code',
    [
        (('--diff',), 0),
        (('--dry-run',), 0),
        (('--check',), 1),
        (('--diff', '--check'), 1),
        (('--check', '--diff'), 1),
    ],
)
def test_pending_change(
    run_app: Run, tmp_path: Path, case: Case, mode: tuple[str, ...], code: int
) -> None:
    result, text = run_mode(run_app, case, tmp_path, case.before, *mode)
    assert result.code == code, result
    assert text == case.before
    gone = next(line for line in case.before.splitlines(keepends=True) if line not in case.after)
    if mode == ('--check',):
        assert f'-{gone}' not in result.stdout
    else:
        assert f'--- {tmp_path / case.name}\n' in result.stdout
        assert f'-{gone}' in result.stdout


@pytest.mark.parametrize('case', CASES, ids=IDS)
@pytest.mark.parametrize('mode', [('--diff',), ('--check',), ('--diff', '--check')])
def test_nothing_to_change(
    run_app: Run, tmp_path: Path, case: Case, mode: tuple[str, ...]
) -> None:
    result, text = run_mode(run_app, case, tmp_path, case.after, *mode)
    assert result.code == 0, result
    assert text == case.after
    assert '---' not in result.stdout


@pytest.mark.parametrize('case', CASES, ids=IDS)
def test_write(run_app: Run, tmp_path: Path, case: Case) -> None:
    result, text = run_mode(run_app, case, tmp_path, case.before, *case.write)
    assert result.code == 0, result
    assert text == case.after


@pytest.mark.parametrize(
    'case', [c for c in CASES if c.write], ids=[c.command for c in CASES if c.write]
)
@pytest.mark.parametrize('other', ['--diff', '--check', '--dry-run'])
@pytest.mark.parametrize('first', [True, False])
def test_write_goes_with_neither(
    run_app: Run, tmp_path: Path, capsys, case: Case, other: str, first: bool
) -> None:
    mode = (case.write[0], other) if first else (other, case.write[0])
    result, text = run_mode(run_app, case, tmp_path, case.before, *mode)
    assert result.code == 2
    assert text == case.before
    assert f'{mode[1]} cannot be used with --' in capsys.readouterr().err


def test_edit_takes_both_after_an_unquoted_replacement(run_app: Run, tmp_path: Path) -> None:
    uc = tmp_path / 'uc.txt'
    uc.write_text('pbr===1.0\n')
    result = run_app('edit-constraints', str(uc), 'pbr', '-e', 'file:///pbr', '--diff', '--check')
    assert result.code == 1
    assert '-pbr===1.0\n+-e file:///pbr\n' in result.stdout
    assert uc.read_text() == 'pbr===1.0\n'


def test_update_failure_shows_the_table_not_a_diff(run_app: Run, tmp_path: Path) -> None:
    case = CASES[0]
    path, args = case.setup(tmp_path, 'pbr>=1.0\nunknown-thing\n')
    result = run_app(case.command, '--diff', '-f', 'json', *args)
    assert result.code == 1
    assert '---' not in result.stdout
    assert 'nothing was written' in result.stderr
    assert path.read_text() == 'pbr>=1.0\nunknown-thing\n'


def test_lint_diff_check_names_what_a_diff_cannot_show(run_app: Run, tmp_path: Path) -> None:
    path = tmp_path / 'g-r.txt'
    path.write_text('## section:a\n\na\na\n')  # a duplicate: --fix leaves it
    assert run_app('lint', '--diff', str(path)).code == 0
    result = run_app('lint', '--diff', '--check', str(path))
    assert (result.code, result.stdout) == (1, '')
    assert result.stderr == f'{path}: 1 problems\n'


def test_normalize_keeps_the_reference_short_save(run_app: Run, tmp_path: Path) -> None:
    path = tmp_path / 'r.txt'
    path.write_text('foo<2,>=1\n')
    assert run_app('normalize-requirements', '-s', str(path)).code == 0
    assert path.read_text() == 'foo>=1,<2\n'
    assert ' -s' not in run_app('normalize-requirements', '--help').stdout


@pytest.mark.parametrize(
    'argv',
    [
        ('what-broke', '-s', '7'),
        ('generate-constraints', '-p', '3.12', '-r', 'g-r.txt', '-o', 'uc.txt'),
    ],
)
def test_short_flags_of_another_meaning_are_gone(
    run_app: Run, capsys, argv: tuple[str, ...]
) -> None:
    assert run_app(*argv).code == 2
    assert f'unrecognized arguments: {argv[-2]}' in capsys.readouterr().err


def parsers_short_flags() -> dict[str, set[tuple[str, str]]]:
    """Every short flag of every command: flag -> {(long form, command)}."""
    from openstack_requirements.cli.app import RequirementsApp

    app = RequirementsApp()
    found: dict[str, set[tuple[str, str]]] = {}
    for name, entry in app.command_manager.commands.items():
        command = entry.load()(app, None, cmd_name=name)
        for action in command.get_parser(name)._actions:
            shorts = [o for o in action.option_strings if len(o) == 2]
            longs = [o for o in action.option_strings if o.startswith('--')]
            for short in shorts:
                if short != '-h' and action.help != '==SUPPRESS==':
                    found.setdefault(short, set()).add((longs[0], name))
    return found


def test_each_short_flag_has_one_meaning_as_documented() -> None:
    found = parsers_short_flags()
    assert all(len({long for long, _ in uses}) == 1 for uses in found.values()), found
    text = (ROOT / 'doc' / 'source' / 'reference' / 'flags.rst').read_text()
    table = {
        m[0]: (m[1], m[2])
        for m in re.findall(r'^``(-\w)`` +``(--[\w-]+)`` +(.+)$', text, re.MULTILINE)
    }
    assert {short: long for short, (long, _) in table.items()} == {
        short: next(iter(uses))[0] for short, uses in found.items()
    }
    for short, (_, commands) in table.items():
        if 'every list command' not in commands:
            assert set(commands.split(', ')) == {c for _, c in found[short]}, short
