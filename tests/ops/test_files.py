"""The one writer: all or none, inside its roots, owner and mode kept,
no temporary left behind (faults injected at the k-th write, SIGKILL)."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from openstack_requirements.errors import FileError
from openstack_requirements.ops import files
from openstack_requirements.ops.files import Change, Changeset

ROOT = Path(__file__).resolve().parents[2]


def temporaries(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob('*') if files.TEMP_MARK in p.name)


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob('*')) if p.is_file()
    }


def five_files(root: Path) -> Changeset:
    changes = Changeset()
    for n in range(5):
        path = root / f'd{n}' / 'requirements.txt'
        path.parent.mkdir(parents=True)
        path.write_text(f'old {n}\n')
        changes.add(path, f'old {n}\n', f'new {n}\n', root)
    return changes


@pytest.mark.parametrize('k', range(1, 6))
def test_kth_write_fails_nothing_changes(
    tmp_path: Path, k: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    changes = five_files(tmp_path)
    before = snapshot(tmp_path)
    calls = []
    real = files._write_fd

    def disk_full(fd: int, data: bytes) -> None:
        calls.append(fd)
        if len(calls) == k:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd, data)

    monkeypatch.setattr(files, '_write_fd', disk_full)
    with pytest.raises(FileError, match='No space left on device; nothing was written'):
        changes.write()
    assert snapshot(tmp_path) == before
    assert temporaries(tmp_path) == []


def test_rename_failure_removes_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    changes = five_files(tmp_path)
    real = files._rename
    done: list[str] = []

    def fails_third(source: str, target: str) -> None:
        if len(done) == 2:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real(source, target)
        done.append(target)

    monkeypatch.setattr(files, '_rename', fails_third)
    with pytest.raises(FileError, match='files already replaced'):
        changes.write()
    assert temporaries(tmp_path) == []


def test_long_name_is_written(tmp_path: Path) -> None:
    path = tmp_path / ('x' * 230 + '-requirements.txt')
    path.write_text('old\n')
    Changeset([Change(str(path), 'old\n', 'new\n')]).write()
    assert path.read_text() == 'new\n'
    assert temporaries(tmp_path) == []


def test_stale_temporaries_removed(tmp_path: Path) -> None:
    target = tmp_path / 'requirements.txt'
    target.write_text('old\n')
    dead = subprocess.run(
        [sys.executable, '-c', 'import os; print(os.getpid())'],
        capture_output=True,
        text=True,
        check=True,
    )
    stale = tmp_path / f'.requirements.txt{files.TEMP_MARK}{dead.stdout.strip()}.0badf00d'
    stale.write_text('half')
    live = tmp_path / f'.other.txt{files.TEMP_MARK}{os.getppid()}.0badf00d'
    live.write_text('someone else is writing')
    Changeset([Change(str(target), 'old\n', 'new\n')]).write()
    assert not stale.exists()
    assert live.exists()  # its process still runs


def test_owner_group_and_mode_kept(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip('changing a file owner needs root')
    target = tmp_path / 'requirements.txt'
    target.write_text('old\n')
    os.chown(target, 1234, 5678)
    target.chmod(0o640)
    Changeset([Change(str(target), 'old\n', 'new\n')]).write()
    info = target.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (1234, 5678, 0o640)


def test_new_file_mode_from_umask_never_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_umask(mask: int) -> int:
        raise AssertionError('the writer changed the process umask')

    previous = os.umask(0o027)
    try:
        monkeypatch.setattr(os, 'umask', no_umask)
        target = tmp_path / 'new.txt'
        Changeset([Change(str(target), None, 'x\n')]).write()
    finally:
        monkeypatch.undo()
        os.umask(previous)
    assert target.stat().st_mode & 0o777 == 0o640


def test_read_only_refused_even_for_root(tmp_path: Path) -> None:
    target = tmp_path / 'requirements.txt'
    target.write_text('old\n')
    target.chmod(0o444)
    with pytest.raises(FileError, match='read-only file; nothing was written'):
        Changeset([Change(str(target), 'old\n', 'new\n')]).write()
    assert target.read_text() == 'old\n'


def test_symlink_inside_root_written_through(tmp_path: Path) -> None:
    real = tmp_path / 'common' / 'requirements.txt'
    real.parent.mkdir()
    real.write_text('old\n')
    link = tmp_path / 'project' / 'requirements.txt'
    link.parent.mkdir()
    link.symlink_to('../common/requirements.txt')
    Changeset([Change(str(link), 'old\n', 'new\n', str(tmp_path))]).write()
    assert link.is_symlink()
    assert real.read_text() == 'new\n'


def test_symlink_outside_root_refused(tmp_path: Path) -> None:
    outside = tmp_path / 'outside' / 'victim.txt'
    outside.parent.mkdir()
    outside.write_text('old\n')
    link = tmp_path / 'project' / 'requirements.txt'
    link.parent.mkdir()
    link.symlink_to(outside)
    with pytest.raises(
        FileError,
        match=(
            f'{link}: a symlink to {outside}, outside {link.parent}; '
            'refusing to write through it; nothing was written'
        ),
    ):
        Changeset([Change(str(link), 'old\n', 'new\n', str(link.parent))]).write()
    assert outside.read_text() == 'old\n'
    assert link.is_symlink()


def test_directory_symlinked_out_refused(tmp_path: Path) -> None:
    outside = tmp_path / 'outside'
    outside.mkdir()
    (outside / 'requirements.txt').write_text('old\n')
    project = tmp_path / 'project'
    project.mkdir()
    (project / 'doc').symlink_to(outside)
    target = project / 'doc' / 'requirements.txt'
    with pytest.raises(FileError, match='outside'):
        Changeset([Change(str(target), 'old\n', 'new\n', str(project))]).write()
    assert (outside / 'requirements.txt').read_text() == 'old\n'
    assert temporaries(tmp_path) == []


def test_scratch_files(tmp_path: Path) -> None:
    with files.scratch_directory('osr-test-') as place:
        assert place.stat().st_mode & 0o777 == 0o700
        path = files.write_scratch(place, 'pins.txt', 'a\n')
        files.write_scratch(place, 'pins.txt', 'b\n')
        assert path.read_text() == 'b\n'
    assert not place.exists()


# -- SIGKILL mid-run -------------------------------------------------------------

KILLER = textwrap.dedent("""
    import os, signal, sys
    from openstack_requirements.ops import files
    from openstack_requirements.cli.app import main

    seam, k = sys.argv[1], int(sys.argv[2])
    real = getattr(files, seam)
    calls = []

    def dying(*args):
        calls.append(1)
        if len(calls) == k:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args)

    setattr(files, seam, dying)
    sys.exit(main(sys.argv[3:]))
""")

GLOBAL = 'pbr>=2.0  # Apache-2.0\nsix>=1.10.0  # MIT\n'


def trees(root: Path, count: int) -> list[str]:
    made = []
    for n in range(count):
        tree = root / f'p{n}'
        (tree / 'doc').mkdir(parents=True)
        (tree / 'requirements.txt').write_text('pbr>=1.0\nsix\n')
        (tree / 'test-requirements.txt').write_text('six>=1.0\n')
        (tree / 'doc' / 'requirements.txt').write_text('pbr\n')
        made.append(str(tree))
    return made


@pytest.mark.slow
@pytest.mark.parametrize('seam, k', [('_write_fd', 1), ('_write_fd', 7), ('_rename', 5)])
def test_sigkill_mid_run_then_a_clean_run(tmp_path: Path, seam: str, k: int) -> None:
    source = tmp_path / 'source'
    source.mkdir()
    (source / 'global-requirements.txt').write_text(GLOBAL)
    roots = trees(tmp_path / 'trees', 4)
    argv = ['update-requirements', '--source', str(source), *roots]
    env = {**os.environ, 'PYTHONPATH': str(ROOT)}
    killed = subprocess.run(
        [sys.executable, '-c', KILLER, seam, str(k), *argv],
        capture_output=True,
        text=True,
        env=env,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    if seam == '_write_fd':  # killed before any rename: nothing changed
        assert all((Path(r) / 'requirements.txt').read_text() == 'pbr>=1.0\nsix\n' for r in roots)
    assert temporaries(tmp_path)  # the kill left some
    again = subprocess.run(
        [sys.executable, '-m', 'openstack_requirements.cli.app', *argv],
        capture_output=True,
        text=True,
        env=env,
    )
    assert again.returncode == 0, again.stderr
    assert temporaries(tmp_path) == []
    for root in roots:
        assert (Path(root) / 'requirements.txt').read_text() == (
            'pbr>=2.0  # Apache-2.0\nsix>=1.10.0  # MIT\n'
        )
        assert (Path(root) / 'doc' / 'requirements.txt').read_text() == (
            'pbr>=2.0  # Apache-2.0\n'
        )


def refusal(tmp_path: Path, case: str) -> Changeset:
    target = tmp_path / 'requirements.txt'
    target.write_text('old\n')
    if case == 'changed on disk':
        target.write_text('someone else\n')
    elif case == 'vanished':
        target.unlink()
    elif case == 'not a regular file':
        target.unlink()
        os.mkfifo(target)
    elif case == 'no such directory':
        return Changeset([Change(str(tmp_path / 'gone' / 'x.txt'), None, 'new\n', str(tmp_path))])
    elif case == 'two changes to one file':
        (tmp_path / 'link.txt').symlink_to('requirements.txt')
        return Changeset(
            [
                Change(str(target), 'old\n', 'a\n'),
                Change(str(tmp_path / 'link.txt'), 'old\n', 'b\n'),
            ]
        )
    return Changeset([Change(str(target), 'old\n', 'new\n')])


@pytest.mark.parametrize(
    'case',
    [
        'changed on disk',
        'vanished',
        'not a regular file',
        'no such directory',
        'two changes to one file',
    ],
)
def test_refusals_write_nothing(tmp_path: Path, case: str) -> None:
    changes = refusal(tmp_path, case)
    before = {p.name: p.is_fifo() or p.read_bytes() for p in tmp_path.rglob('*')}
    with pytest.raises(FileError, match=f'{case}.*nothing was written'):
        changes.check_writable()
    with pytest.raises(FileError, match=f'{case}.*nothing was written'):
        changes.write()
    assert {p.name: p.is_fifo() or p.read_bytes() for p in tmp_path.rglob('*')} == before


def test_nothing_pending_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / 'requirements.txt'
    target.write_text('same\n')
    changes = Changeset([Change(str(target), 'same\n', 'same\n')])
    assert (changes.diff(), changes.write()) == ('', [])


def test_suffix_writes_beside(tmp_path: Path) -> None:
    target = tmp_path / 'requirements.txt'
    target.write_text('old\n')
    changes = Changeset()
    changes.add(target, 'old\n', 'new\n', tmp_path)
    assert changes.write('new') == [f'{target}.new']
    assert (target.read_text(), Path(f'{target}.new').read_text()) == ('old\n', 'new\n')


def test_stale_temporaries_left_alone_when_not_ours(tmp_path: Path) -> None:
    (tmp_path / 'not-a-temp.osr-tmp.1.deadbeef').write_text('x')
    (tmp_path / f'.dir{files.TEMP_MARK}1.deadbeef').mkdir()
    assert files.remove_stale_temporaries(tmp_path) == []
    assert files.remove_stale_temporaries(tmp_path / 'missing') == []
