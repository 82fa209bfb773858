"""unused on the shipped data with real project trees, and planted cases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from openstack_requirements.model import RequirementsFile
from openstack_requirements.ops.project import select
from openstack_requirements.ops.reports import unused
from tests.conftest import DATA, TREES

DATA_2026 = DATA / 'openstack-2026-08-22'

SHIPPED = RequirementsFile.parse((DATA_2026 / 'global-requirements.txt').read_text())


@pytest.fixture
def checkouts(tmp_path: Path) -> Path:
    """nova under org/name, oslo.messaging under its bare name."""
    root = tmp_path / 'src'
    shutil.copytree(TREES / 'nova-2026-08-21', root / 'openstack' / 'nova')
    shutil.copytree(TREES / 'oslo.messaging-2026-05-13', root / 'oslo.messaging')
    return root


def unused_names(report: unused.Report) -> set[str]:
    return {package.name for package in report.unused}


def test_shipped_list_against_two_real_projects(checkouts: Path) -> None:
    report = unused.find_unused(SHIPPED, select((), DATA_2026 / 'projects.txt', [checkouts]))
    listed = [
        line.strip()
        for line in (DATA_2026 / 'projects.txt').read_text().splitlines()
        if line.strip()
    ]
    assert report.read == 2
    assert sorted(report.missing) == sorted(
        set(listed) - {'openstack/nova', 'openstack/oslo.messaging'}
    )
    names = unused_names(report)
    declared = unused.declared(checkouts / 'openstack' / 'nova') | unused.declared(
        checkouts / 'oslo.messaging'
    )
    every = {line.key for line in SHIPPED.requirement_lines()}
    # exactly the global packages neither project declares
    assert {canonicalize_name(p.name) for p in report.unused} == every - declared
    # nova's requirements.txt and oslo.messaging's pyproject extras count
    assert 'oslo.config' not in names and 'confluent-kafka' not in names
    assert {'s3transfer', 'Django'} <= names
    django = next(p for p in report.unused if p.name == 'Django')
    assert (django.section, django.line) == ('general', 50)


def test_a_project_taken_away_leaves_its_packages_unused(checkouts: Path, tmp_path: Path) -> None:
    projects = tmp_path / 'projects.txt'
    projects.write_text('openstack/nova\nopenstack/oslo.messaging\n')
    before = unused.find_unused(SHIPPED, select((), projects, [checkouts]))
    assert before.missing == []
    shutil.rmtree(checkouts / 'oslo.messaging')
    after = unused.find_unused(SHIPPED, select((), projects, [checkouts]))
    assert after.missing == ['openstack/oslo.messaging']
    gone = unused_names(after) - unused_names(before)
    assert {'confluent-kafka', 'kombu'} <= gone
    assert 'oslo.config' not in gone  # nova declares it too


def test_planted_use_in_setup_cfg_and_an_unreadable_checkout(tmp_path: Path) -> None:
    global_reqs = RequirementsFile.parse(
        '## section:general\n\nAlpha  # MIT\nbeta_pkg  # MIT\ngamma  # MIT\n'
        '\n## section:testing\n\ndelta  # MIT\n'
    )
    projects = tmp_path / 'projects.txt'
    projects.write_text('org/one\norg/two\norg/three\n')
    one = tmp_path / 'org' / 'one'
    one.mkdir(parents=True)
    (one / 'requirements.txt').write_text('alpha>=1\n')
    (one / 'setup.cfg').write_text('[extras]\ntest =\n  Beta.Pkg>=2:python_version>"3"\n')
    two = tmp_path / 'two'
    two.mkdir()
    (two / 'requirements.txt').write_text('gamma>=\n')
    report = unused.find_unused(global_reqs, select((), projects, [tmp_path]))
    assert [(p.name, p.section, p.line) for p in report.unused] == [
        ('gamma', 'general', 5),
        ('delta', 'testing', 9),
    ]
    assert report.missing == ['org/three']
    assert [name for name, _ in report.unreadable] == ['org/two']
    assert "expected a version after '>='" in report.unreadable[0][1]
    assert report.read == 1
