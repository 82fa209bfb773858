"""Every dependency file of a project tree, governed or not (who-uses).

The sync and the checks read the files the gate governs; who-uses looks
for a package wherever a project declares it: every ``*requirements*.txt``,
``setup.cfg`` and ``pyproject.toml`` of the tree, at any depth. What is not
the project's own is passed over: version control (``.git``...), tox and
nox environments, virtualenvs (a directory holding ``pyvenv.cfg`` or an
``activate`` script) and ``node_modules``. Symlinked directories are not
followed; a file symlinked outside the project is refused.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from openstack_requirements.errors import FileError, RequirementsError
from openstack_requirements.ops.files import within
from openstack_requirements.ops.project.pyproject import PyprojectToml
from openstack_requirements.ops.project.requirements_txt import RequirementsTxt
from openstack_requirements.ops.project.setup_cfg import SetupCfg
from openstack_requirements.ops.project.sources import DependencyFile
from openstack_requirements.ops.project.tree import Project

#: Directories never looked into.
SKIPPED = frozenset({'.git', '.hg', '.svn', '.tox', '.nox', 'node_modules'})
REQUIREMENTS_PATTERN = '*requirements*.txt'
SETUP_CFG = 'setup.cfg'
PYPROJECT = 'pyproject.toml'


def is_virtualenv(directory: str) -> bool:
    """A virtualenv, by the files every one of them has."""
    return any(
        os.path.isfile(os.path.join(directory, *name))
        for name in (('pyvenv.cfg',), ('bin', 'activate'), ('Scripts', 'activate.bat'))
    )


def dependency_paths(root: Path) -> list[Path]:
    """The requirement files of the tree (the top directory first, then
    each directory in name order), then its setup.cfg files, then its
    pyproject.toml files."""
    found: dict[str, list[Path]] = {'txt': [], SETUP_CFG: [], PYPROJECT: []}
    for directory, subdirs, names in os.walk(root):
        subdirs[:] = sorted(
            d
            for d in subdirs
            if d not in SKIPPED and not is_virtualenv(os.path.join(directory, d))
        )
        for name in sorted(names):
            path = Path(directory) / name
            if fnmatch.fnmatchcase(name, REQUIREMENTS_PATTERN):
                found['txt'].append(path)
            elif name in (SETUP_CFG, PYPROJECT):
                found[name].append(path)
    return [path for paths in found.values() for path in paths]


def read_tree(root: str | os.PathLike[str]) -> tuple[Project, list[RequirementsError]]:
    """Every dependency file of the tree at ``root`` that reads, and why
    each other one does not (a file that does not read is left out, the
    others are still read). :class:`FileError` when ``root`` is not a
    directory or holds no dependency file at all."""
    root = Path(root)
    if not root.is_dir():
        raise FileError(
            f'{root}: no such project directory'
            if not root.exists()
            else f'{root}: not a directory'
        )
    real_root = os.path.realpath(root)
    files: list[DependencyFile] = []
    errors: list[RequirementsError] = []
    paths = dependency_paths(root)
    for path in paths:
        label = path.relative_to(root).as_posix()
        try:
            if not within(os.path.realpath(path), real_root):
                raise FileError(
                    f'{path}: a symlink to {os.path.realpath(path)}, '
                    f'outside the project {root}; refused'
                )
            if path.name == SETUP_CFG:
                dependency_file: DependencyFile = SetupCfg.read(path, label)
            elif path.name == PYPROJECT:
                dependency_file = PyprojectToml.read(path, label)
            else:
                dependency_file = RequirementsTxt.read(path, label)
        except RequirementsError as err:
            errors.append(err)
            continue
        if dependency_file.sources:
            files.append(dependency_file)
    if not paths:
        raise FileError(
            f'{root}: no dependency files (*requirements*.txt, setup.cfg, pyproject.toml)'
        )
    return Project(root, files), errors
