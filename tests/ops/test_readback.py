"""A rendered dependency file is read back before it is written."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from openstack_requirements.errors import FileError
from openstack_requirements.ops.project import (
    PyprojectToml,
    RequirementsTxt,
    SetupCfg,
)


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
    lines = [
        dataclasses.replace(source.lines[0], text='pbr>=1.0\x1f'),
        dataclasses.replace(source.lines[1], text='six;python_version>="3"\x1f'),
    ]
    text = toml.render_checked({source.label: lines})
    assert "'pbr>=1.0\x1f'" not in text
    assert '"pbr>=1.0\\u001f"' in text
    import tomllib

    assert tomllib.loads(text)['project']['dependencies'] == [
        'pbr>=1.0\x1f',
        'six;python_version>="3"\x1f',
    ]
    # a line break (pip would split there) does not read back: refused
    broken = [dataclasses.replace(source.lines[0], text='pbr>=1.0\r')]
    with pytest.raises(FileError, match='line break U[+]000D inside a line'):
        toml.render_checked({source.label: broken + source.lines[1:]})


@pytest.mark.parametrize(
    'text, reason',
    [
        # a line that does not parse
        ('six>=1.0,,', 'would not read back [(]line 2'),
        # a line joined with the next one (a comment) by a continuation
        ('six>=1.0 \\', 'would not read back as meant'),
    ],
)
def test_requirements_txt_that_would_not_read_back_is_refused(
    tmp_path: Path, text: str, reason: str
) -> None:
    path = tmp_path / 'requirements.txt'
    path.write_text('pbr>=2.0\nsix>=1.0\n# foo\n')
    reqs = RequirementsTxt.read(path, 'requirements.txt')
    source = reqs.sources[0]
    broken = [source.lines[0], dataclasses.replace(source.lines[1], text=text), source.lines[2]]
    with pytest.raises(FileError, match=reason):
        reqs.render_checked({source.label: broken})
    # read back as meant: the text
    fine = [
        source.lines[0],
        dataclasses.replace(source.lines[1], text='six>=1.1 # x'),
        source.lines[2],
    ]
    assert reqs.render_checked({source.label: fine}) == ('pbr>=2.0\nsix>=1.1 # x\n# foo\n')
