"""Where the governance data files are found when no path is given."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from openstack_requirements.errors import FileError
from openstack_requirements.ops.files import inside

GLOBAL = 'global-requirements.txt'
UPPER = 'upper-constraints.txt'
DENYLIST_NAMES = ('denylist.txt', 'blacklist.txt')
PROJECTS = 'projects.txt'
BACKPORTS = 'backports.txt'
XFAILS = 'upper-constraints-xfails.txt'


def search_path() -> list[Path]:
    """The working directory, this source checkout, the installed data."""
    checkout = Path(__file__).resolve().parents[2]
    return [Path.cwd(), checkout,
            Path(sys.prefix) / 'share' / 'openstack-requirements']


def default_source() -> Path:
    """The first place holding a global-requirements.txt."""
    for place in search_path():
        if (place / GLOBAL).is_file():
            return place
    raise FileError(
        f'no {GLOBAL} in the working directory or the shipped data; '
        'pass its directory with --source')


def find(directory: str | os.PathLike[str], *names: str,
         required: bool = True) -> Path | None:
    """The first of ``names`` that exists in ``directory``."""
    for name in names:
        path = Path(directory) / name
        if not os.path.lexists(path):
            continue
        if not inside(path, directory):
            raise FileError(f'{path}: a symlink to {os.path.realpath(path)}, '
                            f'outside {directory}; refused')
        if path.is_dir():
            raise FileError(f'{path}: is a directory, not a file')
        if path.is_file():
            return path
    if required:
        raise FileError(f'{directory}: no {" or ".join(names)}')
    return None


def denylist(directory: str | os.PathLike[str],
             required: bool = True) -> Path | None:
    """The excluded-packages file: denylist.txt or blacklist.txt."""
    return find(directory, *DENYLIST_NAMES, required=required)
