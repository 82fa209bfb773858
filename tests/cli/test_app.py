"""The application's entry points as their callers run them: main(), the
classic console scripts, ``python -m``, and the help command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from openstack_requirements.cli import app


@pytest.fixture
def untidy(tmp_path: Path) -> Path:
    path = tmp_path / 'r.txt'
    path.write_text('foo<2,>=1\n')
    return path


def test_main_with_argv_and_from_sys_argv(capsys, monkeypatch, untidy) -> None:
    assert app.main(['normalize-requirements', str(untidy)]) == 0
    assert capsys.readouterr().out == 'foo>=1,<2\n'
    monkeypatch.setattr(
        sys, 'argv', ['openstack-requirements', 'normalize-requirements', '--check', str(untidy)]
    )
    assert app.main() == 1
    assert capsys.readouterr().err == f'{untidy}: not in canonical form\n'


def test_classic_script_names_itself(capsys, monkeypatch, untidy) -> None:
    monkeypatch.setattr(sys, 'argv', ['normalize-requirements', '--diff', str(untidy)])
    assert app.normalize_requirements() == 0
    assert '+foo>=1,<2\n' in capsys.readouterr().out
    monkeypatch.setattr(sys, 'argv', ['normalize-requirements', '--bogus'])
    with pytest.raises(SystemExit) as exit_:
        app.normalize_requirements()
    assert exit_.value.code == 2
    assert capsys.readouterr().err.startswith('usage: normalize-requirements ')
    assert app.normalize_requirements.__name__ == 'normalize_requirements'


@pytest.mark.slow
def test_python_m_runs_the_app(untidy) -> None:
    done = subprocess.run(
        [
            sys.executable,
            '-m',
            'openstack_requirements.cli.app',
            'normalize-requirements',
            str(untidy),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, 'foo>=1,<2\n'), done.stderr


def test_help_of_an_unknown_command(run_app) -> None:
    result = run_app('help', 'no-such-command')
    assert result.code == 1
    assert result.stderr == "unknown command 'no-such-command'\n"
    assert ' lint [-h]' in run_app('help', 'lint').stdout


def test_version_when_not_installed(monkeypatch) -> None:
    from importlib.metadata import version

    assert app._version() == version('openstack-requirements')
    monkeypatch.setattr(sys, 'path', [])  # no distribution can be found
    assert app._version() == 'unknown'


def test_no_command_and_an_unknown_one(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        app.main([])
    assert exit_.value.code == 2
    assert capsys.readouterr().err == (
        'usage: openstack-requirements COMMAND [ARGS]; see '
        '"openstack-requirements --help" for the commands\n'
    )
    assert app.main(['lnit']) == 2
    assert capsys.readouterr().err == (
        "openstack-requirements: 'lnit' is not a command (did you mean lint?); "
        'see "openstack-requirements --help"\n'
    )
