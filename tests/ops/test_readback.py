"""A rendered dependency file is read back before it is written."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from openstack_requirements.errors import FileError
from openstack_requirements.ops.project import PyprojectToml, SetupCfg


def test_setup_cfg_that_would_not_read_back_is_refused(tmp_path: Path) -> None:
    path = tmp_path / 'setup.cfg'
    path.write_text('[extras]\ntest =\n  pbr\n  six\n')
    cfg = SetupCfg.read(path, 'setup.cfg')
    source = cfg.sources[0]
    broken = [dataclasses.replace(source.lines[0], text='pbr\nnot-indented')]
    with pytest.raises(FileError, match='would not read back'):
        cfg.render_checked({source.label: broken + source.lines[1:]})


def test_pyproject_control_character_escaped(tmp_path: Path) -> None:
    """A control character cannot stand in a literal string: escaped in a
    basic one; a string that does not read back is refused."""
    path = tmp_path / 'pyproject.toml'
    path.write_text('[project]\ndependencies = [\n  \'pbr\',\n  "six",\n]\n')
    toml = PyprojectToml.read(path, 'pyproject.toml')
    source = toml.sources[0]
    # U+001F is a blank to pip and packaging, and no line break
    lines = [dataclasses.replace(source.lines[0], text='pbr>=1.0\x1f'),
             dataclasses.replace(source.lines[1], text='six;python_version>="3"\x1f')]
    text = toml.render_checked({source.label: lines})
    assert "'pbr>=1.0\x1f'" not in text
    assert '"pbr>=1.0\\u001f"' in text
    import tomllib
    assert tomllib.loads(text)['project']['dependencies'] == [
        'pbr>=1.0\x1f', 'six;python_version>="3"\x1f']
    # a line break (pip would split there) does not read back: refused
    broken = [dataclasses.replace(source.lines[0], text='pbr>=1.0\r')]
    with pytest.raises(FileError, match='line break U[+]000D inside a line'):
        toml.render_checked({source.label: broken + source.lines[1:]})
