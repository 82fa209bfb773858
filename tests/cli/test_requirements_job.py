"""The requirements-check job's verdict where the reference's job reads
less than our checks could: upper-constraints.txt (never read by it) and a
project without dependency files (passed by it)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest

from openstack_requirements.cli import requirements_job

GLOBAL = 'six!=1.11.0  # MIT\npy-pure-client  # BSD\n'
UPPER = 'six===1.16.0\npy-pure-client===1.83.1\n'


@pytest.fixture
def reqs(tmp_path: Path) -> Path:
    place = tmp_path / 'requirements'
    place.mkdir()
    (place / 'global-requirements.txt').write_text(GLOBAL)
    (place / 'upper-constraints.txt').write_text(UPPER)
    (place / 'denylist.txt').write_text('flake8\n')
    return place


def commit(repo: Path, files: dict[str, str]) -> Path:
    repo.mkdir()
    for name, text in files.items():
        (repo / name).write_text(text)
    for args in (
        ['init', '-q'],
        ['add', '-A'],
        [
            '-c',
            'user.name=t',
            '-c',
            'user.email=t@example.org',
            'commit',
            '-q',
            '--allow-empty',
            '-m',
            'change',
        ],
    ):
        subprocess.run(['git', *args], cwd=repo, check=True, capture_output=True)
    return repo


def job(src: Path, reqs: Path, *branch: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = requirements_job.main(['--reqs', str(reqs), str(src), *branch], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


PYPROJECT = (
    '[project]\nname = "demo"\n[build-system]\nrequires = ["pbr"]\nbuild-backend = "pbr.build"\n'
)


@pytest.mark.parametrize('branch', ['master', 'stable/2026.1'])
def test_a_minimum_above_the_constraint_is_a_warning(
    tmp_path: Path, reqs: Path, branch: str
) -> None:
    """cinder stable/2026.1: py-pure-client>=1.89.0 beside the constraint
    1.83.1 passes the reference's gate, which never reads the constraints."""
    src = commit(
        tmp_path / 'cinder',
        {
            'pyproject.toml': PYPROJECT,
            'requirements.txt': 'py-pure-client>=1.89.0  # BSD\nsix>=1.10.0\n',
        },
    )
    code, out, _ = job(src, reqs, branch)
    assert code == 0, out
    assert 'WARNING: requirements.txt:1: py-pure-client: ' in out and '[upper-constraint]' in out
    assert out.endswith('Updated requirements match openstack/requirements.\n')
    # the other checks still decide
    (src / 'requirements.txt').write_text('six>=1.10.0,!=1.12.0\n')
    code, out, _ = job(src, reqs, branch)
    assert code == 1 and '[exclusions]' in out


def test_a_project_without_dependency_files_passes(tmp_path: Path, reqs: Path) -> None:
    src = commit(tmp_path / 'empty', {'README.rst': 'nothing to install\n'})
    code, out, err = job(src, reqs, 'stable/2025.1')
    assert (code, err) == (0, '')
    assert out.endswith('Updated requirements match openstack/requirements.\n')
