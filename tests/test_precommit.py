"""The pre-commit hooks: a valid manifest, and the hooks run by pre-commit
in a temporary git repository."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

# every test runs pre-commit in a subprocess
pytestmark = pytest.mark.slow

MANIFEST = ROOT / '.pre-commit-hooks.yaml'
# Captured before the autouse fixture drops PIP_* variables: the network
# test installs the hooks' environment from the registry as a user would.
PIP_ENVIRONMENT = {k: v for k, v in os.environ.items() if k.startswith('PIP_')}

GOOD_REQUIREMENTS = 'pbr>=6.1.1  # Apache-2.0\noslo.config>=9.0.0  # Apache-2.0\n'
PYPROJECT = (
    '[build-system]\nrequires = ["pbr>=6.1.1"]\n'
    'build-backend = "pbr.build"\n\n[project]\nname = "demo"\n'
)


def hooks() -> list[dict]:
    return yaml.safe_load(MANIFEST.read_text())


def console_scripts() -> set[str]:
    parser = configparser.ConfigParser()
    parser.read(ROOT / 'setup.cfg')
    return {
        line.split('=', 1)[0].strip()
        for line in parser['entry_points']['console_scripts'].splitlines()
        if line.strip()
    }


UNREGISTERED = (
    'the {} command is not among the installed entry points '
    '(after a change to setup.cfg: tox -e py3 --notest -r)'
)


def command_registered(name: str) -> bool:
    from importlib.metadata import entry_points

    return any(ep.name == name for ep in entry_points(group='openstack_requirements.cli'))


def pre_commit() -> list[str]:
    pytest.importorskip('pre_commit', reason='pre-commit is not installed')
    return [sys.executable, '-m', 'pre_commit']


def test_manifest_is_valid_and_names_real_commands() -> None:
    result = subprocess.run(
        [*pre_commit(), 'validate-manifest', str(MANIFEST)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    by_id = {hook['id']: hook for hook in hooks()}
    assert set(by_id) == {'check-requirements', 'update-requirements'}
    assert by_id['update-requirements']['entry'].split()[1] == '--check'
    scripts = console_scripts()
    for hook in by_id.values():
        assert hook['language'] == 'python'
        assert hook['pass_filenames'] is False
        assert hook['entry'].split()[0] in scripts
        files = re.compile(hook['files'])
        for path in (
            'requirements.txt',
            'test-requirements.txt',
            'doc/requirements.txt',
            'setup.cfg',
            'pyproject.toml',
            'tools/pip-requires',
        ):
            assert files.search(path), path
        for path in ('README.rst', 'setup.py', 'requirements.txt.orig'):
            assert not files.search(path), path


def git_project(path: Path, requirements: str) -> Path:
    git = shutil.which('git')
    if git is None:
        pytest.skip('git is not installed')
    path.mkdir()
    (path / 'requirements.txt').write_text(requirements)
    (path / 'pyproject.toml').write_text(PYPROJECT)
    env = {**os.environ, 'GIT_CONFIG_GLOBAL': os.devnull, 'GIT_CONFIG_NOSYSTEM': '1'}
    for argv in (
        ['init', '-q'],
        ['add', '.'],
        ['-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-qm', 'start'],
    ):
        subprocess.run([git, *argv], cwd=path, check=True, env=env, timeout=30)
    return path


def run_pre_commit(
    project: Path,
    home: Path,
    *argv: str,
    extra_env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        'PRE_COMMIT_HOME': str(home),
        'GIT_CONFIG_GLOBAL': os.devnull,
        'GIT_CONFIG_NOSYSTEM': '1',
        'PATH': os.path.dirname(sys.executable) + os.pathsep + os.environ.get('PATH', ''),
        **(extra_env or {}),
    }
    return subprocess.run(
        [*pre_commit(), *argv],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_hooks_pass_a_synced_project_and_fail_a_stray_one(tmp_path: Path) -> None:
    """The manifest's hooks, as ``language: system`` hooks of a local
    config, so that no environment has to be installed."""
    for hook in hooks():
        assert command_registered(hook['id']), UNREGISTERED.format(hook['id'])
    local = [{**hook, 'language': 'system'} for hook in hooks()]
    config = yaml.safe_dump({'repos': [{'repo': 'local', 'hooks': local}]})
    project = git_project(tmp_path / 'project', GOOD_REQUIREMENTS)
    (project / '.pre-commit-config.yaml').write_text(config)
    home = tmp_path / 'pre-commit-home'

    good = run_pre_commit(project, home, 'run', '--all-files')
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout.count('Passed') == 2

    (project / 'requirements.txt').write_text(GOOD_REQUIREMENTS + 'nosuchpkg-xyz>=1\n')
    bad = run_pre_commit(project, home, 'run', '--all-files')
    assert bad.returncode == 1
    assert bad.stdout.count('Failed') == 2
    assert 'nosuchpkg-xyz' in bad.stdout
    assert 'not in the global requirements' in bad.stdout
    assert 'Traceback' not in bad.stdout


@pytest.mark.network
def test_try_repo_installs_and_runs_the_real_hook(tmp_path: Path) -> None:
    """pre-commit builds the hook's environment from this repository, as
    a project using it would (the dependencies come from the registry)."""
    assert command_registered('check-requirements'), UNREGISTERED.format('check-requirements')
    tracked = subprocess.run(
        ['git', 'ls-files', '--error-unmatch', 'openstack_requirements/cli/check_requirements.py'],
        cwd=ROOT,
        capture_output=True,
        timeout=30,
    )
    if tracked.returncode:
        # try-repo installs what git tracks (with uncommitted changes)
        pytest.skip('the check-requirements command is not committed yet')
    project = git_project(tmp_path / 'project', GOOD_REQUIREMENTS)
    result = run_pre_commit(
        project,
        tmp_path / 'pre-commit-home',
        'try-repo',
        str(ROOT),
        'check-requirements',
        '--all-files',
        extra_env=PIP_ENVIRONMENT,
        timeout=300,
    )
    if result.returncode == 3 or 'An unexpected error' in result.stdout:
        pytest.skip('could not install the hook environment: ' + result.stdout[-500:])
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'Passed' in result.stdout
