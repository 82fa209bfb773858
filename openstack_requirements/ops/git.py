"""The few git operations the toolkit runs, through the ``git`` program.

Every call runs ``git -C DIR ...`` with the user's own configuration
(identity, hooks); a failure becomes a :class:`GitError` carrying git's
own message. Nothing here fetches or pushes.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from openstack_requirements.errors import RequirementsError


class GitError(RequirementsError):
    """git refused or failed."""


def run(
    directory: str | os.PathLike[str], *args: str, input: str | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    command = ['git', '-C', str(directory), *args]
    env = dict(os.environ, LC_ALL='C', GIT_TERMINAL_PROMPT='0')
    try:
        done = subprocess.run(command, capture_output=True, text=True, input=input, env=env)
    except FileNotFoundError:
        raise GitError('git: command not found') from None
    if check and done.returncode:
        reason = (done.stderr.strip().splitlines() or ['failed'])[-1]
        raise GitError(f'{directory}: git {args[0]}: {reason.removeprefix("fatal: ")}')
    return done


def toplevel(directory: str | os.PathLike[str]) -> Path | None:
    """The top of the work tree holding ``directory`` (``None`` when it
    is not in one)."""
    done = run(directory, 'rev-parse', '--show-toplevel', check=False)
    if done.returncode:
        return None
    return Path(done.stdout.strip())


def resolve(directory: str | os.PathLike[str], rev: str) -> str:
    """The commit ``rev`` names in the repository of ``directory``."""
    done = run(directory, 'rev-parse', '--verify', '--quiet', f'{rev}^{{commit}}', check=False)
    if done.returncode:
        if toplevel(directory) is None:
            raise GitError(f'{directory}: not a git repository (and no directory {rev!r})')
        raise GitError(f'{directory}: {rev!r} is neither a directory nor a git revision')
    return done.stdout.strip()


def show(directory: str | os.PathLike[str], commit: str, name: str) -> str | None:
    """The text of the file ``name`` of ``directory`` at ``commit``
    (``None`` when it is not there)."""
    done = run(directory, 'show', f'{commit}:./{name}', check=False)
    if done.returncode:
        return None
    return done.stdout


def dirty(directory: str | os.PathLike[str], paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Which of ``paths`` have changes not committed (staged, unstaged or
    untracked), as git names them from the top of the work tree."""
    names = [str(p) for p in paths]
    if not names:
        return []
    done = run(directory, 'status', '--porcelain=v1', '-z', '--untracked-files=all', '--', *names)
    found = []
    entries = done.stdout.split('\0')
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if not entry:
            continue
        if entry[0] in 'RC':  # a rename names its source next
            index += 1
        found.append(entry[3:])
    return found


def branch_exists(directory: str | os.PathLike[str], name: str) -> bool:
    done = run(directory, 'rev-parse', '--verify', '--quiet', f'refs/heads/{name}', check=False)
    return done.returncode == 0


def fork_point(directory: str | os.PathLike[str], branch: str) -> tuple[str, str]:
    """Where HEAD left ``branch`` (``origin``'s if the checkout has it, else
    the local one): the commit, and the branch as found."""
    if toplevel(directory) is None:
        raise GitError(f'{directory}: not a git repository')
    for ref in (f'origin/{branch}', branch):
        found = run(
            directory,
            'rev-parse',
            '--verify',
            '--quiet',
            f'refs/{"remotes" if ref != branch else "heads"}/{ref}',
            check=False,
        )
        if found.returncode:
            continue
        done = run(directory, 'merge-base', 'HEAD', found.stdout.strip(), check=False)
        if done.returncode:
            raise GitError(f'{directory}: HEAD has no commit in common with {ref}')
        return done.stdout.strip(), ref
    raise GitError(f'{directory}: no branch {branch} (nor origin/{branch})')


def current_branch(directory: str | os.PathLike[str]) -> str | None:
    done = run(directory, 'symbolic-ref', '--quiet', '--short', 'HEAD', check=False)
    return done.stdout.strip() or None


def switch(directory: str | os.PathLike[str], name: str, create: bool = False) -> None:
    run(directory, 'checkout', '-q', *(['-b'] if create else []), name)


def commit(directory: str | os.PathLike[str], paths: Sequence[str], message: str) -> str:
    """Commit exactly ``paths`` (whatever else is staged stays staged);
    the new commit's id."""
    run(directory, 'commit', '-q', '--only', '-F', '-', '--', *paths, input=message)
    return run(directory, 'rev-parse', 'HEAD').stdout.strip()
