"""update-requirements --commit on real git repositories made here."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DATA, TREES

SHIPPED = DATA / 'openstack-2026-08-22'


@pytest.fixture(autouse=True)
def _git_identity(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """git as a bot runs it: its own identity, no user configuration."""
    monkeypatch.setenv('GIT_CONFIG_GLOBAL', str(tmp_path / 'gitconfig'))
    monkeypatch.setenv('GIT_CONFIG_NOSYSTEM', '1')
    for role in ('AUTHOR', 'COMMITTER'):
        monkeypatch.setenv(f'GIT_{role}_NAME', 'Proposal Bot')
        monkeypatch.setenv(f'GIT_{role}_EMAIL', 'bot@example.org')


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ['git', '-C', str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def repository(place: Path, tree: Path | None = None, files: dict[str, str] | None = None) -> Path:
    if tree is not None:
        shutil.copytree(tree, place)
    for name, text in (files or {}).items():
        (place / name).parent.mkdir(parents=True, exist_ok=True)
        (place / name).write_text(text)
    git(place, 'init', '-q', '-b', 'master')
    git(place, 'add', '.')
    git(place, 'commit', '-qm', 'Initial import')
    return place


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """The shipped data, with oslo.config's minimum raised."""
    place = tmp_path / 'data'
    shutil.copytree(SHIPPED, place)
    path = place / 'global-requirements.txt'
    path.write_text(
        path.read_text().replace(
            'oslo.config!=4.3.0,!=4.4.0  #', 'oslo.config>=9.5.0,!=4.3.0,!=4.4.0  #'
        )
    )
    return place


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """nova (Gerrit: .gitreview), a small project, and one whose
    requirements.txt has an uncommitted change."""
    place = tmp_path / 'src'
    repository(
        place / 'openstack' / 'nova',
        TREES / 'nova-2026-08-21',
        {'.gitreview': '[gerrit]\nhost=review.opendev.org\n'},
    )
    repository(
        place / 'openstack' / 'small',
        files={
            'requirements.txt': 'pbr>=6.1.1  # Apache-2.0\noslo.config>=6.0.0\n',
            'README.rst': 'small\n',
        },
    )
    dirty = repository(
        place / 'openstack' / 'dirty', files={'requirements.txt': 'oslo.config>=6.0.0\n'}
    )
    (dirty / 'requirements.txt').write_text('oslo.config>=7.0.0\n')
    (tmp_path / 'projects.txt').write_text('openstack/nova\nopenstack/small\nopenstack/dirty\n')
    return place


def update(run_app, source: Path, root: Path, *more: str):
    return run_app(
        'update-requirements',
        '--commit',
        '--soft-update',
        '--source',
        str(source),
        '--projects',
        str(root.parent / 'projects.txt'),
        '--root',
        str(root),
        '-f',
        'json',
        *more,
    )


def outcomes(result) -> dict[str, str]:
    return {Path(r['File']).name: r['Reason'] for r in result.json() if not r['Package']}


def test_commit_content_message_trailer_refusal(run_app, source: Path, root: Path) -> None:
    nova, small, dirty = (root / 'openstack' / n for n in ('nova', 'small', 'dirty'))
    nova_head = git(nova, 'rev-parse', 'HEAD')
    (small / 'README.rst').write_text('an unrelated change, left alone\n')
    git(small, 'add', 'README.rst')  # staged, and not ours to commit
    result = update(run_app, source, root)
    assert result.code == 1  # dirty was refused
    done = outcomes(result)
    assert re.fullmatch(r'committed [0-9a-f]{12}', done['nova'])
    assert re.fullmatch(r'committed [0-9a-f]{12}', done['small'])
    assert done['dirty'] == ('not committed: uncommitted changes in requirements.txt')
    assert f'{dirty}: not committed: uncommitted changes' in result.stderr

    # small: exactly the synced file, with every change in the message
    assert git(small, 'show', '--name-only', '--format=', 'HEAD') == 'requirements.txt\n'
    assert git(small, 'log', '-1', '--format=%B') == (
        'Updated from global requirements\n\n'
        'requirements.txt\n'
        '  oslo.config: >=6.0.0 -> >=9.5.0\n\n'
    )
    assert (small / 'requirements.txt').read_text() == (
        'pbr>=6.1.1  # Apache-2.0\noslo.config>=9.5.0  # Apache-2.0\n'
    )
    assert git(small, 'status', '--porcelain') == 'M  README.rst\n'
    assert git(small, 'rev-parse', '--abbrev-ref', 'HEAD') == 'master\n'

    # nova: Gerrit, so a Change-Id trailer; the parent is the old HEAD
    message = git(nova, 'log', '-1', '--format=%B')
    assert message.startswith('Updated from global requirements\n\n')
    block = message.split('\nrequirements.txt\n', 1)[1].split('\n\n')[0]
    assert '  oslo.config: >=9.3.0 -> >=9.5.0\n' in block + '\n'
    assert re.search(r'\n\nChange-Id: I[0-9a-f]{40}\n+$', message)
    assert git(nova, 'rev-parse', 'HEAD~1') == nova_head
    changed = git(nova, 'show', '--name-only', '--format=', 'HEAD').split()
    rows = [r for r in result.json() if r['Package'] and '/nova/' in r['File']]
    assert set(changed) == {r['File'].split('/nova/')[1].split(' ')[0] for r in rows}
    for row in rows:
        assert f'  {row["Package"]}: ' in message
    assert git(nova, 'status', '--porcelain') == ''

    # dirty: nothing committed, nothing written
    assert git(dirty, 'log', '--format=%s') == 'Initial import\n'
    assert (dirty / 'requirements.txt').read_text() == 'oslo.config>=7.0.0\n'

    # a second run commits nothing
    again = update(run_app, source, root)
    assert outcomes(again) == {
        'nova': 'in sync: nothing to commit',
        'small': 'in sync: nothing to commit',
        'dirty': done['dirty'],
    }
    assert git(small, 'rev-list', '--count', 'HEAD') == '2\n'


def test_branch_and_change_id(
    run_app, source: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(root)
    small = Path('openstack', 'small')  # relative to the working directory
    args = ('update-requirements', '--commit', '--source', str(source), str(small), '-f', 'json')
    (small / 'requirements.txt').write_text('oslo.config>=7.0.0\n')
    refused = run_app(*args)
    assert outcomes(refused)['small'] == ('not committed: uncommitted changes in requirements.txt')
    git(small, 'checkout', '-q', '--', 'requirements.txt')
    result = run_app(*args, '--branch', 'sync-reqs', '--change-id')
    assert result.code == 0, result
    assert outcomes(result)['small'].endswith(' on branch sync-reqs')
    assert git(small, 'rev-parse', '--abbrev-ref', 'HEAD') == 'sync-reqs\n'
    assert git(small, 'log', '-1', '--format=%s', 'master') == 'Initial import\n'
    assert git(small, 'show', '--name-only', '--format=', 'HEAD') == 'requirements.txt\n'
    message = git(small, 'log', '-1', '--format=%B')
    [change_id] = re.findall(r'^Change-Id: (I[0-9a-f]{40})$', message, re.M)
    # back on master, the branch already holds the sync: nothing to do
    git(small, 'checkout', '-q', 'master')
    again = run_app(*args, '--branch', 'sync-reqs', '--change-id')
    assert outcomes(again)['small'] == 'in sync: nothing to commit'
    assert git(small, 'rev-list', '--count', 'sync-reqs') == '2\n'
    assert change_id.startswith('I')


def test_change_id_comes_from_the_content(tmp_path: Path) -> None:
    from openstack_requirements.ops.files import Change, Changeset
    from openstack_requirements.ops.sync.commit import make_change_id

    def one(parent: str, new: str) -> str:
        changes = Changeset([Change(str(tmp_path / 'requirements.txt'), 'a\n', new)])
        return make_change_id('Updated\n', changes, parent, tmp_path)

    first = one('1' * 40, 'b\n')
    assert re.fullmatch(r'I[0-9a-f]{40}', first)
    assert one('1' * 40, 'b\n') == first
    assert one('2' * 40, 'b\n') != first
    assert one('1' * 40, 'c\n') != first


def test_flags_that_go_with_commit(run_app, source: Path, root: Path) -> None:
    small = str(root / 'openstack' / 'small')
    alone = run_app('update-requirements', '--branch', 'x', '--source', str(source), small)
    assert (alone.code, alone.stderr) == (1, '--branch and --change-id go with --commit\n')
    both = run_app('update-requirements', '--commit', '--diff', small)
    assert both.code == 2
    plain = root.parent / 'plain'
    plain.mkdir()
    (plain / 'requirements.txt').write_text('oslo.config>=6.0.0\n')
    outside = run_app(
        'update-requirements', '--commit', '--source', str(source), str(plain), small
    )
    assert outside.code == 1
    assert f'{plain}: not committed: not in a git work tree' in outside.stderr
    assert (plain / 'requirements.txt').read_text() == 'oslo.config>=6.0.0\n'
    assert git(Path(small), 'rev-list', '--count', 'HEAD') == '2\n'


def test_a_commit_git_refuses_leaves_the_files_as_they_were(
    run_app, source: Path, root: Path
) -> None:
    small = root / 'openstack' / 'small'
    hook = small / '.git' / 'hooks' / 'commit-msg'
    hook.write_text('#!/bin/sh\necho "no, thanks" >&2\nexit 1\n')
    hook.chmod(0o755)
    before = (small / 'requirements.txt').read_text()
    result = run_app(
        'update-requirements', '--commit', '--source', str(source), str(small), '-f', 'json'
    )
    assert result.code == 1
    assert outcomes(result)['small'].startswith('not committed: ')
    assert (small / 'requirements.txt').read_text() == before
    assert git(small, 'status', '--porcelain') == ''
    assert git(small, 'rev-list', '--count', 'HEAD') == '1\n'
