"""The requirements-check job: a change's project against the requirements data.

Zuul runs ``playbooks/files/project-requirements-change.py`` in every
project that accepted the requirements contract, on each change to its
dependency files. This is what that script calls: the project checks of
``check-requirements`` (the same plugins, nothing of its own) with the
change's target branch, which the checks read as the gate does: strict
(duplicates reported) on any branch but ``stable/`` ones, ``pyproject.toml``
built with pbr required on master and main. Like the reference's job, it
needs only the global list and the denylist of the requirements checkout:
without ``upper-constraints.txt`` the ``upper-constraint`` check is skipped
(and said so).
"""

from __future__ import annotations

import configparser
import dataclasses
import importlib
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from openstack_requirements.errors import FileError, RequirementsError
from openstack_requirements.ops.files import read_text

if TYPE_CHECKING:
    from openstack_requirements.ops.checks.base import Check, Finding, Skipped
    from openstack_requirements.ops.checks.context import Context

DOCS_URL = 'https://docs.openstack.org/requirements/latest/'
#: The data files the job can do without (the reference's job reads only
#: the global list, the denylist and, when present, backports.txt).
OPTIONAL_DATA = ('upper',)
#: Checks the reference's job does not run: what they find is reported, as
#: a warning, and leaves the verdict to the others (the reference's job
#: never reads upper-constraints.txt, so a minimum above the constraint
#: passes its gate).
ADVISORY = ('upper-constraint',)
#: The check whose errors mean "Invalid or missing pyproject.toml".
PYPROJECT_CHECK = 'build-backend'


@dataclasses.dataclass(frozen=True)
class JobResult:
    """What the job found for one change."""

    source: Path
    requirements: Path
    branch: str
    strict: bool
    commit: str
    checks: tuple[str, ...]
    findings: tuple[Finding, ...]
    #: Checks left out for want of an optional data file.
    skipped: tuple[Skipped, ...] = ()

    def errors(self, check: str | None = None) -> list[Finding]:
        return [
            f
            for f in self.findings
            if f.severity == 'error' and (check is None or f.check == check)
        ]

    @property
    def incompatible(self) -> bool:
        """An error other than a missing or invalid pyproject.toml."""
        return any(f.check != PYPROJECT_CHECK for f in self.errors())

    @property
    def invalid_pyproject(self) -> bool:
        return bool(self.errors(PYPROJECT_CHECK))

    @property
    def passed(self) -> bool:
        return not self.errors()


def head_commit(source: str | os.PathLike[str]) -> str:
    """The commit checked out in ``source`` (the patch under test)."""
    try:
        done = subprocess.run(
            ['git', 'log', '-n', '1', '--format=%H'],
            cwd=source,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as err:
        raise RequirementsError(f'{source}: cannot run git: {err.strerror}') from None
    if done.returncode != 0 or not done.stdout.strip():
        reason = done.stderr.strip().splitlines()
        raise RequirementsError(
            f'{source}: not a git checkout with a commit' + (f' ({reason[-1]})' if reason else '')
        )
    return done.stdout.strip()


def project_checks(ignored: tuple[str, ...] = ()) -> list[Check]:
    """The default project checks, as ``check-requirements`` runs them.

    They are the plugins registered in the entry points; when the package
    runs from a checkout that is not installed (no entry points), the ones
    its ``setup.cfg`` registers."""
    from openstack_requirements.ops.checks import base

    try:
        found = base.available((base.PROJECT,))
    except ImportError:  # stevedore missing: not installed
        found = []
    if not found:
        found = _registered_in_checkout()
    return base.select(found, (), ignored)


def _registered_in_checkout() -> list[Check]:
    from openstack_requirements.ops.checks import base

    setup_cfg = Path(__file__).resolve().parents[3] / 'setup.cfg'
    if not setup_cfg.is_file():
        raise RequirementsError('no check plugins found: install openstack-requirements')
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(read_text(setup_cfg), str(setup_cfg))
    entries = parser.get('entry_points', base.NAMESPACE, fallback='')
    checks: list[Check] = []
    for entry in entries.splitlines():
        if '=' not in entry:
            continue
        name, target = (part.strip() for part in entry.split('=', 1))
        module, _, attribute = target.partition(':')
        try:
            check = getattr(importlib.import_module(module), attribute)()
        except (ImportError, AttributeError) as err:
            raise RequirementsError(f'cannot load check plugin {name}: {err}') from err
        if check.scope == base.PROJECT:
            checks.append(check)
    return sorted(checks, key=lambda c: c.name)


def job_findings(checks: Iterable[Check], context: Context) -> list[Finding]:
    """The findings of ``checks`` on ``context`` as the job weighs them: an
    error of an :data:`ADVISORY` check is a warning."""
    from openstack_requirements.ops.checks import base

    return [
        dataclasses.replace(f, severity=base.WARNING)
        if f.check in ADVISORY and f.severity == base.ERROR
        else f
        for f in base.run(checks, context)
    ]


def check_change(
    source: str | os.PathLike[str], requirements: str | os.PathLike[str], branch: str = 'master'
) -> JobResult:
    """Check the project checked out in ``source`` (a git checkout) against
    the requirements data in ``requirements``, for a change to ``branch``."""
    from openstack_requirements.ops.checks import base
    from openstack_requirements.ops.checks.context import Context
    from openstack_requirements.ops.project import read_project

    source, requirements = Path(source).absolute(), Path(requirements).absolute()
    if not source.is_dir():
        raise FileError(f'{source}: no such directory')
    if not requirements.is_dir():
        raise FileError(f'{requirements}: no such requirements directory')
    commit = head_commit(source)
    # a project with no dependency file passes, as the reference's job has it
    project = read_project(source, allow_empty=True)
    context = Context.from_source(requirements, project=project, branch=branch)
    checks, skipped = base.runnable(project_checks(), context, optional=OPTIONAL_DATA)
    findings = job_findings(checks, context)
    return JobResult(
        source,
        requirements,
        branch,
        context.strict,
        commit,
        tuple(c.name for c in checks),
        tuple(findings),
        tuple(skipped),
    )
