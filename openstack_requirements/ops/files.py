"""The one place the toolkit reads and writes files.

Writers compute every new text first, then hand them to a
:class:`Changeset`, which shows them as a diff or writes them all or
none: every target is checked (writable, not read-only, unchanged since it
was read, inside its root), every new text is written and flushed to a
temporary file beside its target, and only then are the temporaries
renamed over their targets, in one burst. A failure before the renames
removes every temporary and changes nothing.

A temporary is named ``.NAME.osr-tmp.PID.RANDOM``: a run that was killed
leaves some behind, and a later run writing in the same directory removes
those whose process is gone.

A target is written where it really lives: a symlinked file is written
through to its target (the link stays) when that target lies inside the
change's root, and refused otherwise; a target whose directory resolves
outside the root (a symlinked ``doc/``) is refused too. An existing file
keeps its owner, group and mode; a new file gets the mode the kernel gives
``0o666`` under the process umask.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import os
import re
import secrets
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from openstack_requirements.errors import FileError
from openstack_requirements.model import RequirementsFile as RequirementsFile

#: What marks a temporary of this writer: ``.NAME.osr-tmp.PID.RANDOM``.
TEMP_MARK = '.osr-tmp.'
_TEMP_RE = re.compile(r'^\..*\.osr-tmp\.(\d+)\.[0-9a-f]{8}$')
#: Room kept for the mark, pid and random part under a 255-byte name.
_NAME_ROOM = 200


def read_text(path: str | os.PathLike[str]) -> str:
    """The text of ``path`` (UTF-8, newlines kept as they are)."""
    with _reading(path):
        try:
            with open(path, encoding='utf-8', newline='') as handle:
                return handle.read()
        except UnicodeDecodeError as err:
            raise FileError(f'{path}: not UTF-8 text (byte {err.start})') from None


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of ``path``."""
    with _reading(path), open(path, 'rb') as handle:
        return handle.read()


@contextlib.contextmanager
def _reading(path: str | os.PathLike[str]) -> Iterator[None]:
    """Why ``path`` cannot be read, as a one-line :class:`FileError`."""
    try:
        yield
    except FileNotFoundError:
        raise FileError(f'{path}: no such file') from None
    except IsADirectoryError:
        raise FileError(f'{path}: is a directory, not a file') from None
    except PermissionError:
        raise FileError(f'{path}: permission denied') from None
    except OSError as err:
        raise FileError(f'{path}: {err.strerror}') from None


def read_requirements(path: str | os.PathLike[str], *, pbr: bool = False) -> RequirementsFile:
    return RequirementsFile.parse(read_text(path), str(path), pbr=pbr)


def inside(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> bool:
    """Whether ``path`` really lies inside ``root`` (symlinks resolved)."""
    return within(os.path.realpath(path), os.path.realpath(root))


def within(real: str, real_root: str) -> bool:
    """Whether the resolved path ``real`` lies inside the resolved
    directory ``real_root`` (:func:`inside`, for callers that resolve a
    root once for many paths)."""
    return os.path.commonpath([real_root, real]) == real_root


# -- scratch files -------------------------------------------------------------


@contextlib.contextmanager
def scratch_directory(prefix: str) -> Iterator[Path]:
    """A private directory (mode 700) for files a run hands to another
    program; removed with everything in it on exit."""
    with tempfile.TemporaryDirectory(prefix=prefix) as place:
        yield Path(place)


def write_scratch(directory: Path, name: str, text: str) -> Path:
    """Write ``text`` to ``directory/name`` (a scratch file: replaced if
    it exists, never written through a symlink)."""
    path = directory / name
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    with os.fdopen(fd, 'w', encoding='utf-8', newline='') as handle:
        handle.write(text)
    return path


_NOFOLLOW = getattr(os, 'O_NOFOLLOW', 0)


# -- changes -------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Change:
    path: str
    old: str | None  # None: the file is new
    new: str
    #: The directory the write must stay inside, symlinks resolved
    #: (default: the file's own directory).
    root: str | None = None

    @property
    def changed(self) -> bool:
        return self.old != self.new

    def diff(self) -> str:
        old = (self.old or '').splitlines(keepends=True)
        new = self.new.splitlines(keepends=True)
        name = self.path if os.path.isabs(self.path) else f'a/{self.path}'
        new_name = self.path if os.path.isabs(self.path) else f'b/{self.path}'
        lines = difflib.unified_diff(
            old, new, name if self.old is not None else '/dev/null', new_name
        )
        return ''.join(line if line.endswith('\n') else line + '\n' for line in lines)


@dataclasses.dataclass
class _Write:
    """One planned write: where the text goes and what it keeps."""

    shown: str  # the path as the user named it
    real: str  # where the bytes go (a symlink resolved)
    text: str
    owner: tuple[int, int, int] | None  # uid, gid, mode of the file replaced
    temp: str | None = None


class Changeset:
    """New texts for several files, written all together or not at all."""

    def __init__(self, changes: Iterable[Change] = ()) -> None:
        self.changes: list[Change] = list(changes)

    def add(
        self,
        path: str | os.PathLike[str],
        old: str | None,
        new: str,
        root: str | os.PathLike[str] | None = None,
    ) -> None:
        self.changes.append(Change(str(path), old, new, str(root) if root is not None else None))

    @property
    def pending(self) -> list[Change]:
        return [c for c in self.changes if c.changed]

    def diff(self) -> str:
        return ''.join(c.diff() for c in self.pending)

    def check_writable(self, suffix: str = '') -> None:
        """Fail before writing anything if any target cannot be written
        (read-only, even for root; outside its root; not writable), or if
        a file changed on disk since it was read."""
        self._plan(suffix)

    def _plan(self, suffix: str) -> list[_Write]:
        writes = []
        real_roots: dict[str, str] = {}
        for change in self.pending:
            target = change.path + (f'.{suffix}' if suffix else '')
            writes.append(_plan_one(change, target, real_roots))
            if change.old is not None:
                try:
                    current = read_text(change.path)
                except FileError:
                    raise FileError(
                        f'{change.path}: vanished while it was being updated; nothing was written'
                    ) from None
                if current != change.old:
                    raise FileError(
                        f'{change.path}: changed on disk while it was being '
                        'updated; nothing was written'
                    )
        reals = [w.real for w in writes]
        if len(set(reals)) != len(reals):
            twice = next(r for r in reals if reals.count(r) > 1)
            raise FileError(
                f'{twice}: two changes to one file (through a symlink); nothing was written'
            )
        return writes

    def write(self, suffix: str = '') -> list[str]:
        """Write every pending change (to ``path.suffix`` if given), all
        or none; the paths written, as named."""
        writes = self._plan(suffix)
        if not writes:
            return []
        for directory in dict.fromkeys(os.path.dirname(w.real) for w in writes):
            remove_stale_temporaries(directory)
        try:
            _write_temporaries(writes)
        except BaseException:
            _discard(writes)
            raise
        _rename_all(writes)
        return [w.shown for w in writes]


def check_target(path: str | os.PathLike[str], root: str | os.PathLike[str] | None = None) -> None:
    """Fail now, before long work, if ``path`` could not be written later
    (read-only, outside ``root``, not a regular file, no directory)."""
    _plan_one(Change(str(path), None, '', str(root) if root is not None else None), str(path))


def _plan_one(change: Change, target: str, real_roots: dict[str, str] | None = None) -> _Write:
    """Where ``target`` is really written, checked against its root
    (``real_roots``: the roots resolved so far, by root)."""
    root = change.root if change.root is not None else (os.path.dirname(os.path.abspath(target)))
    real_roots = {} if real_roots is None else real_roots
    real_root = real_roots.get(root)
    if real_root is None:
        real_root = real_roots[root] = os.path.realpath(root)
    real = os.path.realpath(target)
    if not within(real, real_root):
        if os.path.islink(target):
            raise FileError(
                f'{target}: a symlink to {real}, outside {root}; refusing '
                'to write through it; nothing was written'
            )
        raise FileError(f'{target}: resolves to {real}, outside {root}; nothing was written')
    directory = os.path.dirname(real)
    try:
        info = os.stat(real)
    except FileNotFoundError:
        owner = None
    except OSError as err:
        raise FileError(f'{target}: {err.strerror}') from None
    else:
        if not os.path.isfile(real):
            raise FileError(f'{target}: not a regular file; nothing was written')
        if not info.st_mode & 0o222 or not os.access(real, os.W_OK):
            raise FileError(f'{target}: read-only file; nothing was written')
        owner = (info.st_uid, info.st_gid, info.st_mode & 0o7777)
    if not os.path.isdir(directory):
        raise FileError(f'{directory}: no such directory; nothing was written')
    if not os.access(directory, os.W_OK | os.X_OK):
        raise FileError(f'{directory}: directory is not writable')
    return _Write(target, real, change.new, owner)


def _temp_name(real: str) -> str:
    directory, name = os.path.split(real)
    name = name.encode('utf-8')[:_NAME_ROOM].decode('utf-8', 'ignore')
    return os.path.join(directory, f'.{name}{TEMP_MARK}{os.getpid()}.{secrets.token_hex(4)}')


def _write_fd(fd: int, data: bytes) -> None:
    """Write all of ``data`` (a seam for fault-injection tests)."""
    view = memoryview(data)
    while view:
        done = os.write(fd, view)
        view = view[done:]


def _write_temporary(write: _Write) -> None:
    temp = _temp_name(write.real)
    # a new file's mode is what the kernel makes of 0o666 and the umask;
    # a replaced file's mode is set below, once its owner is
    mode = 0o600 if write.owner is not None else 0o666
    fd = os.open(
        temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, 'O_CLOEXEC', 0), mode
    )
    write.temp = temp
    try:
        _write_fd(fd, write.text.encode('utf-8'))
        if write.owner is not None:
            uid, gid, file_mode = write.owner
            info = os.fstat(fd)
            if (info.st_uid, info.st_gid) != (uid, gid):
                try:
                    os.fchown(fd, uid, gid)
                except PermissionError:
                    # not root: keep the group at least, when we may
                    with contextlib.suppress(PermissionError):
                        os.fchown(fd, -1, gid)
            os.fchmod(fd, file_mode)
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_temporaries(writes: list[_Write]) -> None:
    """Every temporary written and flushed (by a few threads: each write
    waits for the disk most of its time); the first failure raised."""

    def one(write: _Write) -> None:
        try:
            _write_temporary(write)
        except OSError as err:
            raise FileError(f'{write.shown}: {err.strerror}; nothing was written') from None

    _in_threads(one, writes)


_T = TypeVar('_T')


def _in_threads(work: Callable[[_T], None], items: list[_T]) -> None:
    """``work`` on every item, by a few threads when there are several
    (each waits for the disk most of its time); all done before it
    returns, then the first failure raised."""
    if len(items) < 4:
        for item in items:
            work(item)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(16, len(items))) as pool:
        futures = [pool.submit(work, item) for item in items]
    for future in futures:
        future.result()


def _discard(writes: list[_Write]) -> None:
    for write in writes:
        if write.temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(write.temp)
            write.temp = None


def _rename(source: str, target: str) -> None:
    """``os.replace`` (a seam for fault-injection tests)."""
    os.replace(source, target)


def _rename_all(writes: list[_Write]) -> None:
    done: list[str] = []
    for write in writes:
        assert write.temp is not None
        try:
            _rename(write.temp, write.real)
        except OSError as err:
            _discard(writes[len(done) :])
            already = ', '.join(done) or 'none'
            raise FileError(
                f'{write.shown}: {err.strerror}; files already replaced: {already}'
            ) from None
        write.temp = None
        done.append(write.shown)
    directories = list(dict.fromkeys(os.path.dirname(w.real) for w in writes))
    _in_threads(_sync_directory, directories)


def _sync_directory(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(directory: str | os.PathLike[str]) -> list[str]:
    """Remove the temporaries a killed run left in ``directory``: those
    whose process is gone. The paths removed."""
    removed: list[str] = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for name in names:
        match = _TEMP_RE.match(name)
        if match is None or _alive(int(match.group(1))):
            continue
        path = os.path.join(directory, name)
        if os.path.islink(path) or not os.path.isfile(path):
            continue
        with contextlib.suppress(OSError):
            os.unlink(path)
            removed.append(path)
    return removed


__all__ = [
    'Change',
    'Changeset',
    'check_target',
    'inside',
    'read_requirements',
    'read_text',
    'remove_stale_temporaries',
    'scratch_directory',
    'write_scratch',
]
