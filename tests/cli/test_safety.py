"""The repros of the safety review, through the real App: nothing written
outside a project, nothing read from outside it, read-only files kept."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.parametrize(
    'argv',
    [
        ('edit-constraints', '{path}', 'pbr', 'pbr===6.1.1'),
        ('normalize-requirements', '--save', '{path}'),
        ('lint', '--fix', '{path}'),
    ],
)
def test_read_only_file_refused_by_every_writer(
    run_app, tmp_path: Path, argv: tuple[str, ...]
) -> None:
    path = tmp_path / 'global-requirements.txt'
    text = 'six >= 1.0\npbr>=1.0\n'
    path.write_text(text)
    path.chmod(0o444)
    result = run_app(*(a.format(path=path) for a in argv))
    assert (result.code, result.stderr) == (1, f'{path}: read-only file; nothing was written\n')
    assert path.read_text() == text


def test_generate_refuses_a_read_only_output_before_resolving(run_app, tmp_path: Path) -> None:
    requirements = tmp_path / 'global-requirements.txt'
    requirements.write_text('pbr>=2.0\n')
    output = tmp_path / 'upper-constraints.txt'
    output.write_text('pbr===6.1.1\n')
    output.chmod(0o444)
    result = run_app(
        'generate-constraints',
        '-r',
        str(requirements),
        '-p',
        '3.11',
        '--resolver',
        'no-such-resolver',
        '--output',
        str(output),
    )
    assert (result.code, result.stderr) == (1, f'{output}: read-only file; nothing was written\n')
    assert output.read_text() == 'pbr===6.1.1\n'


# -- nothing written outside a project -------------------------------------------

GLOBAL = 'pbr>=2.0  # Apache-2.0\nsix>=1.10.0  # MIT\n'


@pytest.fixture
def source(tmp_path: Path) -> Path:
    place = tmp_path / 'source'
    place.mkdir()
    (place / 'global-requirements.txt').write_text(GLOBAL)
    return place


def victim(tmp_path: Path) -> Path:
    """A project outside the roots a run is given."""
    place = tmp_path / 'outside' / 'victim'
    place.mkdir(parents=True)
    (place / 'requirements.txt').write_text('pbr>=1.0\n')
    return place


@pytest.mark.parametrize('entry', ['../outside/victim', '{abs}', 'openstack/../../outside/victim'])
def test_projects_entries_leading_out_refused(
    run_app, tmp_path: Path, source: Path, entry: str
) -> None:
    outside = victim(tmp_path)
    root = tmp_path / 'root'
    (root / 'openstack' / 'nova').mkdir(parents=True)
    (root / 'openstack' / 'nova' / 'requirements.txt').write_text('pbr>=1.0\n')
    listed = tmp_path / 'projects.txt'
    listed.write_text(f'openstack/nova\n{entry.format(abs=outside)}\n')
    result = run_app(
        'update-requirements',
        '--source',
        str(source),
        '--projects',
        str(listed),
        '--root',
        str(root),
    )
    assert result.code == 1
    assert 'outside' in result.stderr and 'refused' in result.stderr
    assert (outside / 'requirements.txt').read_text() == 'pbr>=1.0\n'
    assert (root / 'openstack' / 'nova' / 'requirements.txt').read_text() == ('pbr>=1.0\n')


@pytest.mark.parametrize('sub', ['doc', 'tools'])
def test_directory_symlinked_out_of_the_tree(
    run_app, tmp_path: Path, source: Path, sub: str
) -> None:
    outside = victim(tmp_path)
    project = tmp_path / 'project'
    project.mkdir()
    (project / 'requirements.txt').write_text('pbr>=1.0\n')
    (project / sub).symlink_to(outside)
    result = run_app('update-requirements', '--source', str(source), str(project))
    assert result.code == 1
    assert result.stderr.startswith(
        f'{project / sub}: leads to {outside}, outside the project {project}; refused\n'
    )
    assert (outside / 'requirements.txt').read_text() == 'pbr>=1.0\n'
    assert (project / 'requirements.txt').read_text() == 'pbr>=1.0\n'


def test_symlinked_file_inside_the_project_written_through(
    run_app, tmp_path: Path, source: Path
) -> None:
    project = tmp_path / 'project'
    (project / 'doc').mkdir(parents=True)
    (project / 'requirements.txt').write_text('pbr>=1.0\n')
    (project / 'doc' / 'requirements.txt').symlink_to('../requirements.txt')
    result = run_app('update-requirements', '--source', str(source), str(project / 'doc'))
    # doc alone is the project: its link leads out of it
    assert result.code == 1 and 'refused' in result.stderr
    result = run_app('update-requirements', '--source', str(source), str(project))
    assert result.code == 1  # one file reached twice, through the link
    assert 'two changes to one file' in result.stderr
    (project / 'doc' / 'requirements.txt').unlink()
    (project / 'doc' / 'real.txt').write_text('six\n')
    (project / 'doc' / 'requirements.txt').symlink_to('real.txt')
    result = run_app('update-requirements', '--source', str(source), str(project))
    assert result.code == 0, result
    assert (project / 'doc' / 'requirements.txt').is_symlink()
    assert (project / 'doc' / 'real.txt').read_text() == 'six>=1.10.0  # MIT\n'


# -- nothing read from outside, no secret printed ---------------------------------

SECRET = 'hunter2-do-not-print'


@pytest.mark.parametrize(
    'command', ['check-requirements', 'update-requirements', 'check-constraints']
)
@pytest.mark.parametrize('name', ['test-requirements.txt', 'setup.cfg', 'pyproject.toml'])
def test_file_leading_out_is_not_read(
    run_app, tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch, command: str, name: str
) -> None:
    monkeypatch.setenv('OSR_TEST_SECRET', SECRET)
    (source / 'upper-constraints.txt').write_text('pbr===6.1.1\n')
    project = tmp_path / 'project'
    project.mkdir()
    (project / 'requirements.txt').write_text('pbr>=2.0\n')
    (project / name).symlink_to('/proc/self/environ')
    result = run_app(command, '--source', str(source), str(project))
    assert result.code == 1
    assert SECRET not in result.stdout + result.stderr
    assert result.stderr.startswith(f'{project / name}: a symlink to /proc/')
    assert 'outside the project' in result.stderr


# -- directories where files should be -------------------------------------------


@pytest.mark.parametrize(
    'name', ['requirements.txt', 'setup.cfg', 'pyproject.toml', 'doc/requirements.txt']
)
def test_directory_for_a_file(run_app, tmp_path: Path, source: Path, name: str) -> None:
    project = tmp_path / 'project'
    (project / name).mkdir(parents=True)
    (project / 'test-requirements.txt').write_text('pbr>=1.0\n')
    result = run_app('update-requirements', '--source', str(source), str(project))
    assert (result.code, result.stderr) == (
        1,
        f'{project / name}: is a directory, not a file\nnothing was written\n',
    )


def test_denylist_directory(run_app, tmp_path: Path, source: Path) -> None:
    (source / 'denylist.txt').mkdir()
    project = tmp_path / 'project'
    project.mkdir()
    (project / 'requirements.txt').write_text('pbr>=1.0\n')
    result = run_app('update-requirements', '--source', str(source), str(project))
    assert (result.code, result.stderr) == (
        1,
        f'{source / "denylist.txt"}: is a directory, not a file\n',
    )


# -- dependency sources of the wrong shape ----------------------------------------


@pytest.mark.parametrize(
    'body, message',
    [
        (
            '[project]\ndependencies = "pbr>=1.0"\n',
            '2:1: project.dependencies must be an array of strings',
        ),
        (
            '[project]\ndependencies = ["pbr", 1]\n',
            '2:1: project.dependencies must be an array of strings',
        ),
        (
            '[project]\noptional-dependencies = "x"\n',
            '2:1: project.optional-dependencies must be a table of arrays',
        ),
        (
            '[project.optional-dependencies]\ntest = "x"\n',
            '2:1: project.optional-dependencies.test must be an array of strings',
        ),
        ('project = "x"\n', '1:1: project must be a table'),
        ('dependency-groups = 1\n', '1:1: dependency-groups must be a table of arrays'),
        (
            '[dependency-groups]\ntest = [{include = "x"}]\n',
            '2:1: dependency-groups.test must be an array of strings',
        ),
        (
            '[project]\ndependencies = ["a"]\ndependencies = ["b"]\n',
            '3:1: invalid TOML: Key "dependencies" already exists.',
        ),
        (
            '[project]\ndependencies = ["pbr>=6.1.1  # Apache-2.0"]\n',
            '2:13: a comment is not allowed in a requirement string',
        ),
        ('[project]\ndependencies = ["-e ."]\n', '2:1: not a PEP 508 requirement'),
    ],
)
def test_pyproject_of_the_wrong_shape(
    run_app, tmp_path: Path, source: Path, body: str, message: str
) -> None:
    project = tmp_path / 'project'
    project.mkdir()
    (project / 'pyproject.toml').write_text(body)
    for command in ('update-requirements', 'check-requirements'):
        result = run_app(command, '--source', str(source), str(project))
        assert result.code == 1
        assert result.stderr.splitlines()[0] == (f'{project / "pyproject.toml"}:{message}')


# -- files that read back ---------------------------------------------------------


def test_setup_cfg_last_value_without_final_newline(run_app, tmp_path: Path, source: Path) -> None:
    project = tmp_path / 'project'
    project.mkdir()
    (project / 'setup.cfg').write_text('[metadata]\nname = x\n[extras]\ntest =\n  pbr>=1.0\n  six')
    assert run_app('update-requirements', '--source', str(source), str(project)).code == 0
    assert (project / 'setup.cfg').read_text() == (
        '[metadata]\nname = x\n[extras]\ntest =\n  pbr>=2.0  # Apache-2.0\n  six>=1.10.0  # MIT'
    )


def test_setup_cfg_form_feed_in_a_value(run_app, tmp_path: Path, source: Path) -> None:
    project = tmp_path / 'project'
    project.mkdir()
    text = '[metadata]\nname = x\n[extras]\ntest =\n  pbr>=1.0\x0c  six\n'
    (project / 'setup.cfg').write_text(text)
    result = run_app('update-requirements', '--source', str(source), str(project))
    assert result.code == 1
    assert result.stderr.startswith(f'{project / "setup.cfg"}:5:')
    assert (project / 'setup.cfg').read_text() == text


def test_edit_constraints_crlf_without_final_newline(run_app, tmp_path: Path) -> None:
    path = tmp_path / 'upper-constraints.txt'
    path.write_bytes(b'pbr===1.0\r\nsix===1.0')
    assert run_app('edit-constraints', str(path), 'six', 'six===2.0').code == 0
    assert path.read_bytes() == b'pbr===1.0\r\nsix===2.0'


@pytest.mark.parametrize(
    'global_text',
    [
        'pbr>=2.0\npbr>=3.0\n',
        'oslo.config>=5.0\noslo_config>=6.0\n',
        "pbr>=2.0;python_version>='3'\npbr>=3.0 ; python_version >= '3'\n",
    ],
)
def test_duplicate_global_entry(run_app, tmp_path: Path, global_text: str) -> None:
    source = tmp_path / 'source'
    source.mkdir()
    (source / 'global-requirements.txt').write_text(global_text)
    name = global_text.split('>', 1)[0]
    project = tmp_path / 'project'
    project.mkdir()
    (project / 'requirements.txt').write_text(f'{name}\n')
    result = run_app('update-requirements', '--source', str(source), str(project))
    assert result.code == 1
    assert result.stderr.startswith(f'{source / "global-requirements.txt"}:2:1: ')
    assert 'is listed twice (line 1' in result.stderr
    assert (project / 'requirements.txt').read_text() == f'{name}\n'


def test_global_list_leading_out_of_source_is_not_read(
    run_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv('OSR_TEST_SECRET', SECRET)
    source = tmp_path / 'source'
    source.mkdir()
    (source / 'global-requirements.txt').symlink_to('/proc/self/environ')
    project = tmp_path / 'project'
    project.mkdir()
    (project / 'requirements.txt').write_text('pbr>=2.0\n')
    result = run_app('update-requirements', '--source', str(source), str(project))
    assert result.code == 1
    assert SECRET not in result.stdout + result.stderr
    assert result.stderr.startswith(f'{source / "global-requirements.txt"}: a symlink to /proc/')


def test_update_keeps_owner_group_and_mode(run_app, tmp_path: Path, source: Path) -> None:
    import os

    if os.geteuid() != 0:
        pytest.skip('changing a file owner needs root')
    project = tmp_path / 'project'
    project.mkdir()
    target = project / 'requirements.txt'
    target.write_text('pbr>=1.0\n')
    os.chown(target, 1234, 5678)
    target.chmod(0o640)
    assert run_app('update-requirements', '--source', str(source), str(project)).code == 0
    info = target.stat()
    assert target.read_text() == 'pbr>=2.0  # Apache-2.0\n'
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (1234, 5678, 0o640)
