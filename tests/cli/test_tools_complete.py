"""Shell completion through cliff's complete command."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import entry_points

import pytest


@pytest.mark.slow
def test_bash_completion_knows_every_command_and_its_options() -> None:
    script_path = os.path.join(os.path.dirname(sys.executable), 'openstack-requirements')
    result = subprocess.run([script_path, 'complete'], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    script = result.stdout
    assert script.rstrip().endswith('complete -F _openstack_requirements openstack-requirements')
    commands = {ep.name for ep in entry_points(group='openstack_requirements.cli')}
    line = next(row for row in script.splitlines() if row.strip().startswith("cmds='"))
    assert commands <= set(line.strip()[len("cmds='") : -1].split())
    what_broke = next(row for row in script.splitlines() if 'cmds_what_broke=' in row)
    for option in ('--since', '--constraints', '--index-url', '--timeout'):
        assert f' {option}' in what_broke
    assert '--fix' in next(row for row in script.splitlines() if 'cmds_lint=' in row)
