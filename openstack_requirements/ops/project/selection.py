"""Which projects a command looks at: the one project selection.

Every command that reads projects takes them the same way
(``cli/base.py``'s ``add_projects``): project trees named on the command
line, and the projects of a ``projects.txt`` (``org/name`` a line) found
under one or more roots, as ``ORG/NAME`` or else ``NAME``. Without a root,
the roots are beside the checkout holding the list, where Zuul
(``src/HOST/ORG/NAME``) and devstack (``/opt/stack/NAME``) put the
checkouts. A listed project without a checkout is *missing*: the command
says so (a report that skipped it silently could mislead).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from openstack_requirements.errors import FileError
from openstack_requirements.ops.files import inside, read_text


@dataclasses.dataclass
class Selection:
    """The projects a run looks at."""

    #: ``(name, directory)`` of each project tree named (the directory as
    #: given is its name).
    directories: list[tuple[str, Path]]
    #: Each project of the list, in its order, with its checkout (``None``:
    #: none found under the roots).
    listed: list[tuple[str, Path | None]] = dataclasses.field(default_factory=list)
    #: The list read, as given (``None``: no list).
    projects_file: str | os.PathLike[str] | None = None
    #: Where the listed projects were looked for.
    roots: tuple[Path, ...] = ()

    @property
    def found(self) -> list[tuple[str, Path]]:
        """``(name, directory)`` of every project to read: the trees
        named, then the listed projects found."""
        return self.directories + [(name, path) for name, path in self.listed if path is not None]

    @property
    def missing(self) -> list[str]:
        """``org/name`` of the listed projects without a checkout."""
        return [name for name, path in self.listed if path is None]

    @property
    def where(self) -> str:
        """The roots, for messages: ``/src or /opt/stack``."""
        return ' or '.join(dict.fromkeys(str(root) for root in self.roots))


def read_projects_list(path: str | os.PathLike[str]) -> list[str]:
    """The ``org/name`` entries of a projects.txt, in order."""
    names = []
    for line in read_text(path).splitlines():
        entry = line.split('#', 1)[0].strip()
        if entry:
            names.append(entry)
    return names


def default_roots(projects_file: str | os.PathLike[str]) -> list[Path]:
    """Where the checkouts are when no root is given: beside the checkout
    holding ``projects_file``, as Zuul (``src/HOST/ORG/NAME``) and devstack
    (``/opt/stack/NAME``) lay them out."""
    siblings = Path(projects_file).resolve().parent.parent
    return [siblings.parent, siblings]


def checkout_of(
    name: str,
    roots: Iterable[Path],
    *,
    confined: bool = True,
    projects_file: str | os.PathLike[str] = '',
) -> Path | None:
    """The checkout of ``org/name`` under the first of ``roots`` holding
    it, as ``ORG/NAME`` or else ``NAME``. ``confined``: a checkout that
    resolves outside its root (a symlink, a name with ``..``) is refused."""
    for root in roots:
        for candidate in (root / name, root / name.rsplit('/', 1)[-1]):
            if not candidate.is_dir():
                continue
            if confined and not inside(candidate, root):
                raise FileError(
                    f'{projects_file}: {name}: resolves to '
                    f'{os.path.realpath(candidate)}, outside {root}; refused'
                )
            return candidate
    return None


def select(
    directories: Iterable[str | os.PathLike[str]] = (),
    projects_file: str | os.PathLike[str] | None = None,
    roots: Sequence[str | os.PathLike[str]] = (),
    *,
    confined: bool = True,
) -> Selection:
    """The project trees named, then the projects of ``projects_file``
    looked for under ``roots`` (default: :func:`default_roots`).
    ``confined``: see :func:`checkout_of` (a command that only reads a
    checkout's Zuul configuration may follow a symlinked one)."""
    selection = Selection([(str(d), Path(d)) for d in directories])
    if projects_file is None:
        if roots:
            raise FileError('--root goes with a projects list (--projects FILE)')
        return selection
    places = [Path(root) for root in roots] or default_roots(projects_file)
    for root in places:
        if not root.is_dir():
            raise FileError(f'{root}: no such directory')
    selection.projects_file = projects_file
    selection.roots = tuple(places)
    selection.listed = [
        (name, checkout_of(name, places, confined=confined, projects_file=projects_file))
        for name in read_projects_list(projects_file)
    ]
    return selection
