"""Where the governance data files are found when no path is given.

Every command finds its data files the same way, through :func:`locate`:
a file given on its own option is that file; else it is looked for in
``--source``, else beside another file given on its option (the global
list), else in :func:`default_source`.
"""

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

#: The Pythons the shipped upper-constraints.txt is generated for, as
#: openstack/requirements generates it (its tox.ini: 3.11 to 3.14 since
#: May 2026). generate-constraints and check-conflicts resolve for these
#: when no -p is given; tox.ini's generate and pyXY-check-uc envs follow
#: them (tests/test_pythons.py holds them to it).
PYTHONS = ('3.11', '3.12', '3.13', '3.14')


def search_path() -> list[Path]:
    """The working directory, this source checkout, the installed data."""
    checkout = Path(__file__).resolve().parents[2]
    return [Path.cwd(), checkout, Path(sys.prefix) / 'share' / 'openstack-requirements']


def default_source() -> Path:
    """The first place holding a global-requirements.txt."""
    for place in search_path():
        if (place / GLOBAL).is_file():
            return place
    raise FileError(
        f'no {GLOBAL} in the working directory or the shipped data; '
        'pass its directory with --source'
    )


Paths = str | os.PathLike[str]


def place(source: Paths | None = None, beside: Paths | None = None) -> Path:
    """Where the data files not given are looked for: ``source``, else the
    directory of ``beside`` (a data file given on its option), else
    :func:`default_source`."""
    if source is not None:
        return Path(source)
    if beside is not None:
        return Path(beside).parent
    return default_source()


def locate(
    name: str | tuple[str, ...],
    given: Paths | None = None,
    *,
    source: Paths | None = None,
    beside: Paths | None = None,
    required: bool = False,
) -> Path | None:
    """A data file: ``given`` (its option) if any, else the first of
    ``name`` (one of this module's names, or :data:`DENYLIST_NAMES`) in
    :func:`place` (``source``, ``beside``). A missing file is ``None``,
    or an error when ``required``."""
    if given is not None:
        return Path(given)
    names = (name,) if isinstance(name, str) else name
    return find(place(source, beside), *names, required=required)


def find(directory: str | os.PathLike[str], *names: str, required: bool = True) -> Path | None:
    """The first of ``names`` that exists in ``directory``."""
    for name in names:
        path = Path(directory) / name
        if not os.path.lexists(path):
            continue
        if not inside(path, directory):
            raise FileError(
                f'{path}: a symlink to {os.path.realpath(path)}, outside {directory}; refused'
            )
        if path.is_dir():
            raise FileError(f'{path}: is a directory, not a file')
        if path.is_file():
            return path
    if required:
        raise FileError(f'{directory}: no {" or ".join(names)}')
    return None
