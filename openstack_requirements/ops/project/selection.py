"""Which projects a command looks at: the checkouts of a projects list."""

from __future__ import annotations

import os
from pathlib import Path

from openstack_requirements.errors import FileError
from openstack_requirements.ops.files import inside, read_text


def read_projects_list(path: str | os.PathLike[str]) -> list[str]:
    """The ``org/name`` entries of a projects.txt, in order."""
    names = []
    for line in read_text(path).splitlines():
        entry = line.split('#', 1)[0].strip()
        if entry:
            names.append(entry)
    return names


def find_listed_projects(projects_file: str | os.PathLike[str],
                         root: str | os.PathLike[str]
                         ) -> tuple[list[tuple[str, Path]], list[str]]:
    """The projects listed in ``projects_file`` found under ``root``, by
    their ``org/name`` path or else their last path part; and the names of
    those not found."""
    base = Path(root)
    if not base.is_dir():
        raise FileError(f'{base}: no such directory')
    found: list[tuple[str, Path]] = []
    missing: list[str] = []
    for name in read_projects_list(projects_file):
        for candidate in (base / name, base / name.rsplit('/', 1)[-1]):
            if candidate.is_dir() and not inside(candidate, base):
                raise FileError(
                    f'{projects_file}: {name}: resolves to '
                    f'{os.path.realpath(candidate)}, outside {base}; refused')
            if candidate.is_dir():
                found.append((name, candidate))
                break
        else:
            missing.append(name)
    return found, missing
