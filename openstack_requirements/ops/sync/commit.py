"""Sync projects and commit each one's change: the proposals a bot made.

For each project, in its own git work tree: the governed files (every
dependency file the sync reads) must have no uncommitted change, else the
project is refused and left alone; the sync is planned (against the
branch named, when it exists already), written, and exactly the synced
files are committed with the fixed subject, a body listing every change
per file, and a ``Change-Id`` trailer when the repository uses Gerrit.
Each project stands alone: one refused or failing leaves the others to go
on. A project already in sync gets no commit, so a second run commits
nothing. Nothing is pushed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Final, Literal

from openstack_requirements.errors import ParseError, RequirementsError
from openstack_requirements.model import parse_line, render_specifier
from openstack_requirements.ops import git, sync
from openstack_requirements.ops.files import Changeset
from openstack_requirements.ops.project import read_project

SUBJECT = 'Updated from global requirements'

#: What happened in one project.
Status = Literal['committed', 'unchanged', 'refused', 'failed']
COMMITTED: Final = 'committed'
UNCHANGED: Final = 'unchanged'
REFUSED: Final = 'refused'
FAILED: Final = 'failed'


@dataclasses.dataclass
class Outcome:
    """What happened in one project."""

    root: Path
    status: Status
    #: The commit id, or why nothing was committed.
    detail: str = ''
    rows: list[sync.Row] = dataclasses.field(default_factory=list)
    branch: str | None = None
    message: str = ''

    @property
    def reason(self) -> str:
        """The Reason cell of the project's row."""
        if self.status == COMMITTED:
            where = f' on branch {self.branch}' if self.branch else ''
            return f'committed {self.detail[:12]}{where}'
        if self.status == UNCHANGED:
            return 'in sync: nothing to commit'
        return f'not committed: {self.detail}'


def commit_projects(
    roots: Iterable[str | os.PathLike[str]],
    global_list: sync.GlobalList,
    policy: sync.Policy = sync.Policy.MERGE,
    soft: bool = False,
    *,
    branch: str | None = None,
    change_id: bool = False,
    include: Sequence[str] = (),
    progress: Callable[[Path], None] | None = None,
) -> list[Outcome]:
    outcomes = []
    for root in roots:
        path = Path(root)
        if progress is not None:
            progress(path)
        try:
            outcomes.append(_one(path, global_list, policy, soft, branch, change_id, include))
        except RequirementsError as err:
            outcomes.append(Outcome(path, FAILED, err.render()))
    return outcomes


def _one(
    root: Path,
    global_list: sync.GlobalList,
    policy: sync.Policy,
    soft: bool,
    branch: str | None,
    change_id: bool,
    include: Sequence[str],
) -> Outcome:
    project = read_project(root, include)
    top = git.toplevel(root)
    if top is None:
        return Outcome(root, REFUSED, 'not in a git work tree')
    governed = [os.path.relpath(f.path, root) for f in project.files]
    dirty = git.dirty(root, governed)
    if dirty:
        return Outcome(root, REFUSED, 'uncommitted changes in ' + ', '.join(dirty))
    on_branch = git.current_branch(root)
    if branch and on_branch != branch and git.branch_exists(root, branch):
        git.switch(root, branch)
        on_branch = branch
        project = read_project(root, include)  # the branch's own files
    planned = sync.sync_project(project, global_list, policy, soft)
    if planned.problems:
        return Outcome(root, FAILED, '; '.join(str(p) for p in planned.problems), planned.rows)
    changes = Changeset(planned.changes)
    if not changes.pending:
        return Outcome(root, UNCHANGED, '', planned.rows, on_branch)
    if branch and on_branch != branch:
        git.switch(root, branch, create=True)
    message = commit_message(project.root, planned.rows)
    if change_id or (top / '.gitreview').is_file():
        parent = git.run(root, 'rev-parse', 'HEAD', check=False).stdout
        message += '\nChange-Id: ' + make_change_id(message, changes, parent.strip(), root)
    names = [os.path.relpath(c.path, root) for c in changes.pending]
    sync.write(changes)
    try:
        commit = git.commit(root, names, message)
    except RequirementsError:
        sync.write(
            Changeset(dataclasses.replace(c, old=c.new, new=c.old or '') for c in changes.pending)
        )
        raise
    return Outcome(root, COMMITTED, commit, planned.rows, branch, message)


def commit_message(root: Path, rows: Iterable[sync.Row]) -> str:
    """The subject, then every change as ``package: old -> new`` under the
    file (and section) it is in."""
    prefix = str(root) + os.sep
    by_file: dict[str, list[str]] = {}
    for row in rows:
        label = row.file.removeprefix(prefix)
        pbr = label.startswith('setup.cfg')
        by_file.setdefault(label, []).append(
            f'  {row.package}: {_describe(row.old, pbr, "(none)")} -> '
            f'{_describe(row.new, pbr, "(removed)")}'
        )
    # a line may be reported twice (a change and a note about it)
    body = ''.join(
        f'{label}\n' + ''.join(f'{line}\n' for line in dict.fromkeys(lines))
        for label, lines in by_file.items()
    )
    return f'{SUBJECT}\n\n{body}'


def _describe(text: str, pbr: bool, empty: str) -> str:
    """A line's specifiers and markers, as the change reads."""
    if not text:
        return empty
    try:
        req = parse_line(text, pbr=pbr).requirement
    except ParseError:
        return text
    if req is None:
        return text
    described = render_specifier(req.specifier) or '(any version)'
    if req.marker_text:
        described += f';{req.marker_text}'
    return described


def make_change_id(message: str, changes: Changeset, parent: str, root: Path) -> str:
    """Gerrit's ``I`` and 40 hex digits, from what the commit holds: the
    same change on the same parent gets the same id, so proposing it
    again updates the review instead of opening another."""
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(parent.encode())
    digest.update(message.encode())
    for change in changes.pending:
        name = os.path.relpath(change.path, root)
        digest.update(b'\0' + name.encode() + b'\0')
        digest.update(change.new.encode())
    return 'I' + digest.hexdigest()
