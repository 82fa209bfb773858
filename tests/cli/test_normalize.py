"""normalize-requirements through the real App."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT


def test_prints_canonical_form(run_app, tmp_path: Path) -> None:
    path = tmp_path / 'r.txt'
    path.write_text('# head\nfoo<2,>=1 # MIT\n')
    result = run_app('normalize-requirements', str(path))
    assert (result.code, result.stdout) == (0, '# head\nfoo>=1,<2  # MIT\n')
    assert path.read_text() == '# head\nfoo<2,>=1 # MIT\n'


def test_save_rewrites_in_place(run_app, tmp_path: Path) -> None:
    path = tmp_path / 'r.txt'
    path.write_text('foo<2,>=1\n')
    assert run_app('normalize-requirements', '--save', str(path)).code == 0
    assert path.read_text() == 'foo>=1,<2\n'


def test_check_exits_one_when_not_canonical(run_app, tmp_path: Path) -> None:
    path = tmp_path / 'r.txt'
    path.write_text('foo<2,>=1\n')
    result = run_app('normalize-requirements', '--check', str(path))
    assert result.code == 1
    assert 'not in canonical form' in result.stderr
    shipped = run_app('normalize-requirements', '--check', str(ROOT / 'global-requirements.txt'))
    assert shipped.code == 0


def test_bad_line_is_one_clear_error(run_app, tmp_path: Path) -> None:
    path = tmp_path / 'r.txt'
    path.write_text('ok\nbar>=\n')
    result = run_app('normalize-requirements', str(path))
    assert result.code == 1
    assert result.stdout == ''
    assert result.stderr == (f"{path}:2:6: expected a version after '>='\n    bar>=\n         ^\n")


def test_missing_file(run_app, tmp_path: Path) -> None:
    result = run_app('normalize-requirements', str(tmp_path / 'nope.txt'))
    assert result.code == 1
    assert result.stderr == f'{tmp_path / "nope.txt"}: no such file\n'


def test_unknown_command_and_no_command(run_app) -> None:
    result = run_app('normalise')
    assert result.code == 2
    assert result.stdout == ''
    assert "'normalise' is not a command" in result.stderr
    assert run_app().code == 2
