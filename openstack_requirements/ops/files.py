"""The one place the toolkit reads and writes files.

Writers compute every new text first, then hand them to a
:class:`Changeset`, which shows them as a diff, or writes each file
atomically (a temporary file in the same directory, then ``os.replace``)
after checking every target can be written.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from openstack_requirements.errors import FileError
from openstack_requirements.model import RequirementsFile


def read_text(path: str | os.PathLike[str]) -> str:
    """The text of ``path`` (UTF-8, newlines kept as they are)."""
    try:
        with open(path, encoding='utf-8', newline='') as handle:
            return handle.read()
    except FileNotFoundError:
        raise FileError(f'{path}: no such file') from None
    except IsADirectoryError:
        raise FileError(f'{path}: is a directory, not a file') from None
    except PermissionError:
        raise FileError(f'{path}: permission denied') from None
    except UnicodeDecodeError as err:
        raise FileError(
            f'{path}: not UTF-8 text (byte {err.start})') from None
    except OSError as err:
        raise FileError(f'{path}: {err.strerror}') from None


def read_requirements(path: str | os.PathLike[str], *,
                      pbr: bool = False) -> RequirementsFile:
    return RequirementsFile.parse(read_text(path), str(path), pbr=pbr)


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Replace ``path`` with ``text`` in one step, keeping its mode."""
    target = Path(path)
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f'.{target.name}.',
                               dir=target.parent or '.')
    try:
        with os.fdopen(fd, 'w', encoding='utf-8', newline='') as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@dataclasses.dataclass(frozen=True)
class Change:
    path: str
    old: str | None  # None: the file is new
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new

    def diff(self) -> str:
        old = (self.old or '').splitlines(keepends=True)
        new = self.new.splitlines(keepends=True)
        name = self.path if os.path.isabs(self.path) else f'a/{self.path}'
        new_name = self.path if os.path.isabs(self.path) else f'b/{self.path}'
        lines = difflib.unified_diff(
            old, new, name if self.old is not None else '/dev/null',
            new_name)
        return ''.join(line if line.endswith('\n') else line + '\n'
                       for line in lines)


class Changeset:
    """New texts for several files, written all together or not at all."""

    def __init__(self, changes: Iterable[Change] = ()) -> None:
        self.changes: list[Change] = list(changes)

    def add(self, path: str | os.PathLike[str], old: str | None,
            new: str) -> None:
        self.changes.append(Change(str(path), old, new))

    @property
    def pending(self) -> list[Change]:
        return [c for c in self.changes if c.changed]

    def diff(self) -> str:
        return ''.join(c.diff() for c in self.pending)

    def check_writable(self, suffix: str = '') -> None:
        """Fail before writing anything if any target cannot be written,
        or if a file changed on disk since it was read."""
        for change in self.pending:
            target = Path(change.path)
            directory = target.parent
            if (not suffix and target.exists()
                    and not os.access(target, os.W_OK)):
                raise FileError(f'{target}: permission denied (read-only)')
            if not os.access(directory, os.W_OK | os.X_OK):
                raise FileError(f'{directory}: directory is not writable')
            if change.old is not None:
                try:
                    current = read_text(target)
                except FileError:
                    raise FileError(
                        f'{target}: vanished while it was being updated'
                    ) from None
                if current != change.old:
                    raise FileError(
                        f'{target}: changed on disk while it was being '
                        'updated; nothing was written')

    def write(self, suffix: str = '') -> list[str]:
        """Write every pending change (to ``path.suffix`` if given)."""
        self.check_writable(suffix)
        written = []
        for change in self.pending:
            target = change.path + (f'.{suffix}' if suffix else '')
            try:
                write_atomic(target, change.new)
            except OSError as err:
                raise FileError(f'{target}: {err.strerror}') from None
            written.append(target)
        return written
