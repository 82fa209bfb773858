"""Helpers more than one test module uses (fixtures are in conftest.py)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from packaging.specifiers import Specifier

from openstack_requirements.errors import RequirementsError
from openstack_requirements.ops.constraints import resolvers

PYENV = Path('/root/.pyenv/versions')
#: Operators that pin a version or imply a lower bound.
PINS = ('==', '===', '~=')


def interpreter(python: str) -> str | None:
    """A real interpreter for ``python`` on this machine, or None."""
    candidates = [shutil.which(f'python{python}')]
    candidates += sorted(str(p) for p in PYENV.glob(f'{python}.*/bin/python{python}'))
    for candidate in candidates:
        if candidate:
            try:
                if resolvers.base.interpreter_version(candidate) == python:
                    return candidate
            except RequirementsError:
                continue
    return None


def contradictions(specs: list[Specifier]) -> list[str]:
    """A lower bound beside a pin or ``~=`` (a project's ``>=X`` beside a
    global ``!=X`` is kept as written: it admits X's post-releases)."""
    ops = {s.operator for s in specs}
    if ops & set(PINS) and ops & {'>=', '>'}:
        return ['lower bound beside a pin']
    return []


def copy_tree(source: Path, root: Path) -> None:
    """A writable copy (the shared corpus is read-only)."""
    for path in sorted(source.rglob('*')):
        if path.is_file():
            target = root / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in the file ``path``."""
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` as a test identity; its output."""
    return subprocess.run(
        ['git', '-C', str(repo), '-c', 'user.name=T', '-c', 'user.email=t@example.org', *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def count_uv_runs(monkeypatch: Any) -> list[str]:
    """The Python of each time uv really runs from now on (the real uv
    runs; only the calls are noted)."""
    from openstack_requirements.ops.constraints.resolvers import uv as uv_driver

    ran: list[str] = []
    real_run = uv_driver.UvResolver.run

    def counted(self: Any, argv: Any, target: Any, *args: Any, **kwargs: Any) -> Any:
        ran.append(target.python)
        return real_run(self, argv, target, *args, **kwargs)

    monkeypatch.setattr(uv_driver.UvResolver, 'run', counted)
    return ran
