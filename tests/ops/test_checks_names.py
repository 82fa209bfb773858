"""Which spelling rule the requirements-check job applies on a branch."""

from __future__ import annotations

import pytest

from openstack_requirements.ops.checks import names


@pytest.mark.parametrize(
    'branch, rule',
    [
        ('master', names.WRITTEN),
        ('main', names.WRITTEN),
        ('feature/new-api', names.WRITTEN),  # Zuul falls back to master
        ('stable/2025.1', names.WRITTEN),
        ('stable/2025.2', names.WRITTEN),
        ('stable/2026.1', names.WRITTEN),
        ('unmaintained/2025.1', names.WRITTEN),  # branched from stable/2025.1
        ('stable/2024.2', names.PKG_RESOURCES),
        ('unmaintained/2024.1', names.PKG_RESOURCES),
        ('unmaintained/2023.1', names.PKG_RESOURCES),
        ('unmaintained/zed', names.PKG_RESOURCES),
        ('stable/yoga', names.PKG_RESOURCES),
    ],
)
def test_rule_for(branch: str, rule: str) -> None:
    assert names.rule_for(branch) == rule


@pytest.mark.parametrize(
    'local, remote, written, pkg_resources',
    [
        ('prometheus_client', 'prometheus-client', False, True),
        ('prometheus-client', 'prometheus-client', True, True),
        ('pyyaml', 'PyYAML', False, False),
        ('oslo_config', 'oslo.config', False, False),
        ('oslo.config', 'oslo.config', True, True),
        ('a__-b', 'a-b', False, True),
    ],
)
def test_same(local: str, remote: str, written: bool, pkg_resources: bool) -> None:
    assert names.same(local, remote, names.WRITTEN) is written
    assert names.same(local, remote, names.PKG_RESOURCES) is pkg_resources
