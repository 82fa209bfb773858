"""A project tree: the dependency files the gate governs, read losslessly.

:func:`read_project` reads the governed requirement files, setup.cfg
extras and pyproject.toml dependencies of a project (and the files it
asks to include), refusing a tree whose files lead out of it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path

from openstack_requirements.errors import FileError, ParseError
from openstack_requirements.ops.files import read_text, within
from openstack_requirements.ops.project.pyproject import PyprojectToml, key_line, load_toml
from openstack_requirements.ops.project.requirements_txt import RequirementsTxt
from openstack_requirements.ops.project.setup_cfg import SetupCfg
from openstack_requirements.ops.project.sources import DependencyFile, Source

#: The requirement files the OpenStack gate governs (its check job reads
#: these and no others; the last six are legacy names it still reads).
GOVERNED = (
    'requirements.txt',
    'test-requirements.txt',
    'doc/requirements.txt',
    'tools/pip-requires',
    'tools/test-requires',
    'requirements-py2.txt',
    'requirements-py3.txt',
    'test-requirements-py2.txt',
    'test-requirements-py3.txt',
)
#: Requirement files found at the top of a project, by pattern (for the
#: safety checks of :func:`check_tree`; only :data:`GOVERNED` files and
#: those a project includes are read).
TOP_PATTERNS = ('*requirements*.txt', 'tools/pip-requires', 'tools/test-requires')
#: Directories whose requirement files are looked at by :func:`check_tree`.
SUBDIRS = ('doc', 'api-ref', 'releasenotes', 'tools', 'docs')


@dataclasses.dataclass
class Project:
    """A project tree and its dependency files."""

    root: Path
    files: list[DependencyFile]

    @property
    def sources(self) -> list[Source]:
        return [source for f in self.files for source in f.sources]


def requirement_paths(root: Path, include: Sequence[str] = ()) -> list[Path]:
    """The requirements files of a project: the governed ones, then those
    matching an ``include`` pattern (relative to ``root``)."""
    found = [root / name for name in GOVERNED]
    for pattern in include:
        found.extend(sorted(root.glob(check_pattern(pattern))))
    return [p for p in dict.fromkeys(found) if p.is_file()]


def check_pattern(pattern: str) -> str:
    """``pattern`` if it names files inside a project, else an error."""
    parts = Path(pattern).parts
    if not pattern or Path(pattern).is_absolute() or '..' in parts:
        raise FileError(f'include pattern {pattern!r}: not a path inside the project')
    return pattern


#: The project's own setting: ``[tool.openstack-requirements] include``.
TOOL_TABLE = 'openstack-requirements'


def project_includes(root: Path) -> list[str]:
    """The patterns ``pyproject.toml`` asks to include
    (``[tool.openstack-requirements] include = [...]``)."""
    path = root / 'pyproject.toml'
    if not path.is_file():
        return []
    text = read_text(path)
    if TOOL_TABLE not in text:
        return []
    document = load_toml(text, path)
    table = document.get('tool', {}).get(TOOL_TABLE, {})
    include = table.get('include', []) if isinstance(table, dict) else None
    if not isinstance(include, list) or not all(isinstance(item, str) for item in include):
        raise ParseError(
            f'tool.{TOOL_TABLE}.include must be an array of strings',
            path=str(path),
            line=key_line(text, 'include'),
        )
    return [str(item) for item in include]


def read_project(
    root: str | os.PathLike[str], include: Sequence[str] = (), *, allow_empty: bool = False
) -> Project:
    """Read every dependency file of the project at ``root``: the governed
    requirement files, setup.cfg extras and pyproject.toml dependencies,
    and the requirement files matching ``include`` or the project's own
    ``[tool.openstack-requirements] include`` patterns.

    Raises :class:`FileError` when ``root`` is not a directory or holds no
    dependency file (unless ``allow_empty``), and :class:`ParseError` for a
    malformed one.
    """
    root = Path(root)
    if not root.exists():
        raise FileError(f'{root}: no such project directory')
    if not root.is_dir():
        raise FileError(f'{root}: not a directory')
    real_root = os.path.realpath(root)
    check_tree(root, real_root)
    patterns = [*include, *project_includes(root)]
    files: list[DependencyFile] = []
    for path in requirement_paths(root, patterns):
        if not within(os.path.realpath(path), real_root):
            raise FileError(
                f'{path}: a symlink to {os.path.realpath(path)}, '
                f'outside the project {root}; refused'
            )
        files.append(RequirementsTxt.read(path, path.relative_to(root).as_posix()))
    if (root / 'setup.cfg').is_file():
        cfg = SetupCfg.read(root / 'setup.cfg', 'setup.cfg')
        if cfg.sources:
            files.append(cfg)
    if (root / 'pyproject.toml').is_file():
        toml = PyprojectToml.read(root / 'pyproject.toml', 'pyproject.toml')
        if toml.sources:
            files.append(toml)
    if not files and not allow_empty:
        raise FileError(
            f'{root}: no dependency files (requirements.txt, '
            'test-requirements.txt, doc/requirements.txt, '
            'setup.cfg extras, pyproject.toml dependencies)'
        )
    return Project(root, files)


def check_tree(root: Path, real_root: str | None = None) -> None:
    """Refuse a project whose dependency files lead out of it, before any
    is read (a ``doc/`` or file symlinked elsewhere: its content is never
    read, nor written), or where a directory stands for a file
    (``real_root``: ``root`` resolved, if the caller has it)."""
    if real_root is None:
        real_root = os.path.realpath(root)

    def refuse(path: Path, what: str) -> None:
        raise FileError(f'{path}: {what}, outside the project {root}; refused')

    candidates: list[Path] = []
    for sub in SUBDIRS:
        place = root / sub
        if place.exists() and not within(os.path.realpath(place), real_root):
            refuse(place, f'leads to {os.path.realpath(place)}')
    for pattern in TOP_PATTERNS:
        candidates.extend(root.glob(pattern))
    for sub in SUBDIRS:
        candidates.extend((root / sub).glob('*requirements*.txt'))
    candidates += [root / 'setup.cfg', root / 'pyproject.toml']
    for path in candidates:
        if not os.path.lexists(path):
            continue
        if not within(os.path.realpath(path), real_root):
            refuse(path, f'a symlink to {os.path.realpath(path)}')
        if path.is_dir():
            raise FileError(f'{path}: is a directory, not a file')
