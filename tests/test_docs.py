"""The documentation builds without warnings and describes every command."""

from __future__ import annotations

import re
import shlex
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from tests.conftest import ROOT

DOC = ROOT / 'doc' / 'source'


def registered() -> set[str]:
    return {ep.name for ep in entry_points(group='openstack_requirements.cli')}


def test_sphinx_builds_without_warnings_with_every_command(tmp_path: Path) -> None:
    pytest.importorskip('sphinx', reason='sphinx is not installed')
    from sphinx.cmd.build import build_main

    out = tmp_path / 'html'
    warnings = tmp_path / 'warnings.txt'
    code = build_main(
        [
            '-W',
            '--keep-going',
            '-q',
            '-b',
            'html',
            '-w',
            str(warnings),
            '-d',
            str(tmp_path / 'doctrees'),
            str(DOC),
            str(out),
        ]
    )
    assert code == 0, warnings.read_text()
    assert warnings.read_text() == ''
    reference = (out / 'reference' / 'commands.html').read_text()
    titles = set(re.findall(r'<h3>([a-z-]+)<a class="headerlink"', reference))
    assert titles == registered()
    assert '--since' in reference and '--fix' in reference


def test_job_examples_name_real_commands() -> None:
    """Every command in a copy-paste example exists."""
    console = {
        line.split('=', 1)[0].strip()
        for line in (ROOT / 'setup.cfg').read_text().splitlines()
        if '= openstack_requirements.cli.app:' in line
    }
    commands = registered() | {'complete', 'help'}
    text = (DOC / 'user' / 'jobs.rst').read_text()
    text += (ROOT / 'README.rst').read_text()
    seen = 0
    for line in text.splitlines():
        words = shlex.split(line.strip().rstrip('\\')) if line.startswith('    ') else []
        if not words:
            continue
        if words[0] == 'openstack-requirements':
            assert words[1] in commands, line
            seen += 1
        elif words[0].endswith(('-requirements', '-constraints')):
            assert words[0] in console, line
            seen += 1
    assert seen >= 10
