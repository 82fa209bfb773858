"""Every real caller of openstack/requirements, run exactly as it writes its
command: upstream's tox environments, Zuul's requirements-check job,
devstack, the 2023 tools' callers and this README.

Each test works in a copy of this checkout's tracked files (the callers
run from a requirements checkout) and runs the installed console scripts
or the playbook script in a real subprocess.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT, TREES, ZUUL

# every test runs installed scripts or the playbook in a subprocess
pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
DATA_2026 = DATA / 'openstack-2026-08-22'
SCRIPT = 'playbooks/files/project-requirements-change.py'


def tracked_files() -> list[str]:
    done = subprocess.run(['git', 'ls-files', '-z'], cwd=ROOT, capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip('not a git checkout: cannot tell its tracked files')
    return [name for name in done.stdout.decode().split('\0') if name]


def copy_checkout(target: Path) -> Path:
    """The tracked files of this checkout, symlinks kept as symlinks."""
    for name in tracked_files():
        source, dest = ROOT / name, target / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the work tree
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, dest, follow_symlinks=False)
    return target


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    # laid out as Zuul does: src/opendev.org/openstack/requirements
    return copy_checkout(tmp_path / 'opendev.org' / 'openstack' / 'requirements')


def environment(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env['PATH'] = f'{BIN}{os.pathsep}{env.get("PATH", "")}'
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM='1',
        GIT_AUTHOR_NAME='t',
        GIT_AUTHOR_EMAIL='t@example.org',
        GIT_COMMITTER_NAME='t',
        GIT_COMMITTER_EMAIL='t@example.org',
    )
    env.update(extra)
    return env


def sh(command: str, cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    """``command`` as a caller's shell line (tox, devstack and Zuul run
    them through a shell or split them the same way)."""
    return subprocess.run(
        ['bash', '-c', command],
        cwd=cwd,
        env=environment(**extra),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


# -- upstream's tox environments ---------------------------------------------------


def test_tox_validate_with_denylist_and_blacklist(checkout: Path) -> None:
    assert (checkout / 'denylist.txt').is_symlink()
    done = sh(
        'validate-constraints global-requirements.txt upper-constraints.txt denylist.txt', checkout
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith('validate-constraints: 0 errors, 12 warnings (')
    older = sh(
        'validate-constraints global-requirements.txt upper-constraints.txt blacklist.txt',
        checkout,
    )
    assert (older.returncode, older.stdout, older.stderr) == (0, done.stdout, done.stderr)


def test_readme_lint_passes_on_the_shipped_data(checkout: Path) -> None:
    assert '    openstack-requirements lint\n' in (checkout / 'README.rst').read_text()
    done = sh('openstack-requirements lint', checkout)
    assert (done.returncode, done.stdout) == (0, '\n')


def test_readme_jobs_pass_on_the_shipped_data(checkout: Path, tmp_path: Path) -> None:
    readme = (checkout / 'README.rst').read_text()
    demo = tmp_path / 'demo'
    commands = [
        ('mkdir -p /tmp/demo', 0),
        (
            'printf \'pbr>=6.1.1  # Apache-2.0\\noslo.config>=9.0.0;python_version>"3.0"'
            "  # Apache-2.0\\n' \\\n        > /tmp/demo/requirements.txt",
            0,
        ),
        (
            'printf \'[build-system]\\nrequires = ["pbr>=6.1.1"]\\nbuild-backend = '
            '"pbr.build"\\n\' \\\n        > /tmp/demo/pyproject.toml',
            0,
        ),
        ('validate-constraints', 0),
        ('openstack-requirements lint', 0),
        ('check-requirements /tmp/demo', 0),
        ('check-constraints /tmp/demo', 0),
        ('update-requirements --diff /tmp/demo', 0),
        ('git -C /tmp/demo init -q && git -C /tmp/demo add -A', 0),
        ('git -C /tmp/demo -c user.name=demo -c user.email=demo@example.org commit -qm demo', 0),
        ('python3 playbooks/files/project-requirements-change.py /tmp/demo master', 0),
        (
            'cp upper-constraints.txt /tmp/uc.txt && edit-constraints --diff /tmp/uc.txt '
            "oslo.config 'oslo.config===10.0.0'",
            0,
        ),
    ]
    for command, code in commands:
        assert f'    {command}\n' in readme, command
        mine = command.replace('/tmp/demo', str(demo)).replace(
            '/tmp/uc.txt', str(tmp_path / 'uc.txt')
        )
        done = sh(mine, checkout)
        assert done.returncode == code, (command, done.stdout, done.stderr)
    assert 'oslo.config===10.0.0' in done.stdout


def test_tox_validate_projects(checkout: Path) -> None:
    # the other checkouts beside this one, as Zuul and devstack put them
    src = checkout.parent
    for name in ('nova', 'oslo.messaging'):
        (src / name).mkdir()
        shutil.copyfile(ZUUL / 'openstack' / name / '.zuul.yaml', src / name / '.zuul.yaml')
    done = sh('validate-projects projects.txt -f value -c Project -c Status', checkout)
    assert done.returncode == 1
    rows = [line.split(' ', 1) for line in done.stdout.splitlines()]
    assert len(rows) == 216 - 3 - 2 and {status for _, status in rows} == {'not found'}
    assert done.stderr == (
        'validate-projects: 216 projects, 2 run the check, 3 exempt, '
        '0 without it, 211 not found, 0 unreadable\n'
    )
    (checkout / 'projects.txt').write_text(
        'openstack/hacking\nopenstack/nova\nopenstack/oslo.messaging\n'
    )
    done = sh('validate-projects projects.txt', checkout)
    assert (done.returncode, done.stdout) == (0, '\n'), done.stderr


@pytest.mark.network
def test_tox_generate_as_the_proposal_job(checkout: Path) -> None:
    if not Path('/usr/bin/python3.11').is_file():
        pytest.skip('the proposal job names /usr/bin/python3.11; not here')
    # a global list of three real packages (the whole one takes minutes)
    (checkout / 'global-requirements.txt').write_text(
        'pbr  # Apache-2.0\nsix  # MIT\nstevedore  # Apache-2.0\n'
    )
    done = sh(
        'generate-constraints -d denylist.txt -r global-requirements.txt '
        '-p /usr/bin/python3.11 > upper-constraints.txt',
        checkout,
        UV_CACHE_DIR=str(checkout.parent / 'uv-cache'),
    )
    assert done.returncode == 0, done.stderr
    pins = [
        line.split('===')[0]
        for line in (checkout / 'upper-constraints.txt').read_text().splitlines()
        if not line.startswith('#')
    ]
    assert {'pbr', 'six', 'stevedore'} <= set(pins)
    check = sh(
        'validate-constraints global-requirements.txt upper-constraints.txt denylist.txt', checkout
    )
    assert check.returncode == 0, check.stdout


def test_denylist_and_blacklist_options(checkout: Path) -> None:
    nova = checkout / 'tests' / 'data' / 'trees' / 'nova-2026-08-21'
    runs = [
        sh(f'check-constraints {option} {nova}', checkout)
        for option in (
            '-d denylist.txt',
            '--denylist denylist.txt',
            '-b blacklist.txt',
            '--blacklist blacklist.txt',
        )
    ]
    assert {(r.returncode, r.stdout) for r in runs} == {(0, runs[0].stdout)}, runs[0]
    missing = sh(f'check-constraints -d nope.txt {nova}', checkout)
    assert missing.returncode == 1 and 'nope.txt' in missing.stderr


# -- the 2023 tree's callers -------------------------------------------------------


def test_update_requirements_hacking(checkout: Path, tmp_path: Path) -> None:
    # a global list that carries hacking, as the 2015-2017 ones did
    (checkout / 'blacklist.txt').write_text(
        (checkout / 'blacklist.txt').read_text().replace('hacking\n', '')
    )
    with (checkout / 'global-requirements.txt').open('a') as handle:
        handle.write('hacking>=6.1.0  # Apache-2.0\n')
    project = tmp_path / 'demo'
    project.mkdir()
    (project / 'test-requirements.txt').write_text('hacking>=3.0,<3.1  # Apache-2.0\n')
    plain = sh(f'update-requirements {project}', checkout)
    assert plain.returncode == 0, plain.stderr
    assert (project / 'test-requirements.txt').read_text() == ('hacking>=3.0,<3.1  # Apache-2.0\n')
    asked = sh(f'update-requirements -H {project}', checkout)
    assert asked.returncode == 0, asked.stderr
    assert (project / 'test-requirements.txt').read_text() == 'hacking>=6.1.0  # Apache-2.0\n'


@pytest.mark.network
def test_tox_check_uc(checkout: Path) -> None:
    # the pins of a few real packages, in the 2023 positional form
    pins = [
        line
        for line in (checkout / 'upper-constraints.txt').read_text().splitlines()
        if line.split('===')[0] in ('pbr', 'six', 'stevedore', 'PyYAML')
    ]
    assert len(pins) == 4
    (checkout / 'upper-constraints.txt').write_text('\n'.join(pins) + '\n')
    done = sh(
        'check-conflicts upper-constraints.txt upper-constraints-xfails.txt',
        checkout,
        UV_CACHE_DIR=str(checkout.parent / 'uv-cache'),
    )
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert done.stderr == 'check-conflicts: 0 errors, 0 warnings (1 check run)\n'


# -- devstack -------------------------------------------------------------------------

DEVSTACK = """
REQUIREMENTS_DIR={reqs}
name=oslo.config
project_dir=/opt/stack/oslo.config
flags={flags}
$REQUIREMENTS_DIR/.venv/bin/edit-constraints \\
    $REQUIREMENTS_DIR/upper-constraints.txt -- $name \\
    "$flags file://$project_dir#egg=$name"
"""


@pytest.mark.parametrize(
    'flags, line',
    [
        ('-e', '-e file:///opt/stack/oslo.config#egg=oslo.config'),  # setup_develop
        ('""', 'file:///opt/stack/oslo.config#egg=oslo.config'),  # setup_install
    ],
)
def test_devstack_points_a_library_at_its_checkout(checkout: Path, flags: str, line: str) -> None:
    (checkout / '.venv').symlink_to(BIN.parent)  # devstack's requirements venv
    uc = checkout / 'upper-constraints.txt'
    before = uc.read_text()
    done = sh(DEVSTACK.format(reqs=checkout, flags=flags), checkout)
    assert (done.returncode, done.stdout, done.stderr) == (0, '', '')
    after = uc.read_text()
    assert 'oslo.config===10.7.0\n' in before
    assert after == before.replace('oslo.config===10.7.0\n', line + '\n')
    # and back, as a later run does for another library
    done = sh(f'edit-constraints {uc} -- oslo.config oslo.config===10.7.0', checkout)
    assert done.returncode == 0 and uc.read_text() == before


def test_edit_constraints_removes_and_names_what_is_missing(checkout: Path) -> None:
    uc = checkout / 'upper-constraints.txt'
    before = uc.read_text()
    done = sh(f'edit-constraints {uc} -- oslo.config', checkout)
    assert done.returncode == 0
    assert uc.read_text() == before.replace('oslo.config===10.7.0\n', '')
    done = sh(f'edit-constraints {uc} --', checkout)
    assert done.returncode == 2
    assert done.stderr.endswith(
        'edit-constraints: error: the following arguments are required: NAME\n'
    )
    assert done.stderr.startswith('usage: edit-constraints [-h]')


def test_classic_scripts_name_themselves(checkout: Path) -> None:
    done = sh('update-requirements --help', checkout)
    assert done.returncode == 0
    assert done.stdout.startswith('usage: update-requirements [-h]')
    assert 'openstack-requirements' not in done.stdout
    demo = checkout / 'tests' / 'data' / 'trees' / 'nova-2026-08-21'
    verbose = sh(f'update-requirements -v --diff {demo}', checkout)
    assert verbose.returncode == 0, verbose.stderr
    assert verbose.stderr.splitlines() == [
        f'Syncing {demo}/{name}'
        for name in (
            'requirements.txt',
            'test-requirements.txt',
            'doc/requirements.txt',
            'pyproject.toml',
        )
    ]
    combined = sh('openstack-requirements update-requirements --bogus', checkout)
    assert 'openstack-requirements update-requirements: error:' in combined.stderr


# -- Zuul's requirements-check job -------------------------------------------------------


def git(repo: Path, *args: str) -> None:
    subprocess.run(['git', *args], cwd=repo, env=environment(), check=True, capture_output=True)


@pytest.fixture
def nova(tmp_path: Path) -> Path:
    """nova's dependency files, as a git repository with one commit."""
    repo = tmp_path / 'nova'
    shutil.copytree(TREES / 'nova-2026-08-21', repo)
    git(repo, 'init', '-q')
    git(repo, 'add', '-A')
    git(repo, 'commit', '-q', '-m', 'nova')
    return repo


def job(checkout: Path, args: str, python: str = 'python3') -> subprocess.CompletedProcess[str]:
    return sh(f'{python} {checkout / SCRIPT} {args}', checkout)


def head(repo: Path) -> str:
    return subprocess.run(
        ['git', 'log', '-n', '1', '--format=%H'],
        cwd=repo,
        env=environment(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_requirements_check_passes_a_clean_tree(checkout: Path, nova: Path) -> None:
    done = job(checkout, f'{nova} master')
    assert done.returncode == 0, (done.stdout, done.stderr)
    lines = done.stdout.splitlines()
    assert lines[1:5] == [
        'Branch: master (strict)',
        f'Source: {nova}',
        f'Requirements: {checkout}',
        f'Patch under test: {head(nova)}',
    ]
    assert lines[-1] == 'Updated requirements match openstack/requirements.'
    assert done.stderr == ''
    # the data of the day, named with --reqs; BRANCH defaults to master
    dated = job(checkout, f'--reqs {DATA_2026} {nova}')
    assert dated.returncode == 0, dated.stdout
    assert f'Requirements: {DATA_2026}' in dated.stdout.splitlines()
    # upstream's tox env runs the script itself, with --local
    local = sh(f'{checkout / SCRIPT} --local {nova}', checkout)
    assert local.returncode == 0, (local.stdout, local.stderr)


def test_requirements_check_fails_a_package_not_in_the_list(checkout: Path, nova: Path) -> None:
    with (nova / 'requirements.txt').open('a') as handle:
        handle.write('left-pad>=1.0  # MIT\n')
    git(nova, 'commit', '-q', '-am', 'add left-pad')
    lines = (nova / 'requirements.txt').read_text().splitlines()
    done = job(checkout, f'--reqs {DATA_2026} {nova} master')
    assert done.returncode == 1
    assert done.stdout.splitlines()[-3:] == [
        f'ERROR: requirements.txt:{len(lines)}: left-pad: not in the global requirements '
        '(nor in the denylist) [in-global]',
        '*** Incompatible requirement found!',
        '*** See https://docs.openstack.org/requirements/latest/',
    ]
    assert f'Patch under test: {head(nova)}' in done.stdout


def test_requirements_check_with_the_job_s_two_files(
    checkout: Path, nova: Path, tmp_path: Path
) -> None:
    """The reference's job reads global-requirements.txt and denylist.txt
    (backports.txt when there is one): they are enough."""
    reqs = tmp_path / 'reqs'
    reqs.mkdir()
    for name in ('global-requirements.txt', 'denylist.txt'):
        shutil.copy(DATA_2026 / name, reqs / name)
    done = job(checkout, f'--reqs {reqs} {nova} master')
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert done.stderr == (
        f'{SCRIPT.rsplit("/", 1)[-1]}: upper-constraint '
        f'skipped: {reqs}/upper-constraints.txt: no such file\n'
    )
    assert [line for line in done.stdout.splitlines() if line.startswith('Checks:')][0].endswith(
        ' (1 skipped: upper-constraint)'
    )
    assert done.stdout.splitlines()[-1] == ('Updated requirements match openstack/requirements.')
    # a package not in the list still fails the change
    with (nova / 'requirements.txt').open('a') as handle:
        handle.write('left-pad>=1.0  # MIT\n')
    git(nova, 'commit', '-q', '-am', 'add left-pad')
    failed = job(checkout, f'--reqs {reqs} {nova} master')
    assert failed.returncode == 1
    assert '*** Incompatible requirement found!' in failed.stdout


def test_requirements_check_branch_leniency(checkout: Path, nova: Path) -> None:
    with (nova / 'requirements.txt').open('a') as handle:
        handle.write('pbr>=5.8.0 # Apache-2.0\n')  # nova's first line, again
    (nova / 'pyproject.toml').unlink()
    git(nova, 'commit', '-q', '-am', 'pbr twice, no pyproject.toml')
    strict = job(checkout, f'{nova} master')
    assert strict.returncode == 1
    assert [
        line.split(' [')[-1] for line in strict.stdout.splitlines() if line.startswith('ERROR')
    ] == ['build-backend]', 'duplicates]']
    assert strict.stdout.splitlines()[-3:] == [
        '*** Incompatible requirement found!',
        '*** Invalid or missing pyproject.toml!',
        '*** See https://docs.openstack.org/requirements/latest/',
    ]
    unmaintained = job(checkout, f'{nova} unmaintained/2023.1')
    assert unmaintained.returncode == 1  # strict, but no pyproject.toml needed
    assert [
        line.split(' [')[-1]
        for line in unmaintained.stdout.splitlines()
        if line.startswith('ERROR')
    ] == ['duplicates]']
    stable = job(checkout, f'{nova} stable/2025.1')
    assert stable.returncode == 0, stable.stdout
    assert 'Branch: stable/2025.1 (lenient: duplicates allowed)' in stable.stdout
    assert not [
        line for line in stable.stdout.splitlines() if line.startswith(('ERROR', 'WARNING'))
    ]


def test_requirements_check_bad_input(checkout: Path, tmp_path: Path) -> None:
    (tmp_path / 'plain').mkdir()
    done = job(checkout, str(tmp_path / 'plain'))
    assert done.returncode == 1 and done.stdout == ''
    assert done.stderr.startswith(f'{tmp_path / "plain"}: not a git checkout with a commit')
    assert job(checkout, '').returncode == 2


def dependencies_only(tmp_path: Path) -> Path:
    """A directory of this interpreter's site-packages, less this package:
    on PYTHONPATH (with -S), the package is not installed."""
    import site
    import sysconfig

    deps = tmp_path / 'deps'
    deps.mkdir()
    for place in {sysconfig.get_paths()['purelib'], *site.getsitepackages()}:
        for entry in Path(place).iterdir():
            if (
                not entry.name.lower().startswith(
                    ('openstack_requirements', 'openstack-requirements', '__editable__')
                )
                and not (deps / entry.name).exists()
            ):
                (deps / entry.name).symlink_to(entry)
    return deps


def test_requirements_check_without_the_package_installed(
    checkout: Path, nova: Path, tmp_path: Path
) -> None:
    """An interpreter with the dependencies but not this package: the
    script runs the checkout's copy, and its checks."""
    env = {'PYTHONPATH': str(dependencies_only(tmp_path)), 'PYTHONNOUSERSITE': '1'}
    probe = sh(f'{sys.executable} -S -c "import openstack_requirements"', tmp_path, **env)
    assert probe.returncode == 1  # really not installed
    python = f'{sys.executable} -S'
    done = sh(f'{python} {checkout / SCRIPT} {nova}', tmp_path, **env)
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert 'Checks: build-backend, data-lines,' in done.stdout
    with (nova / 'requirements.txt').open('a') as handle:
        handle.write('left-pad>=1.0  # MIT\n')
    git(nova, 'commit', '-q', '-am', 'add left-pad')
    done = sh(f'{python} {checkout / SCRIPT} {nova}', tmp_path, **env)
    assert done.returncode == 1
    assert '*** Incompatible requirement found!' in done.stdout


# -- the shipped data, from an installed package ------------------------------------------


def test_installed_package_finds_both_denylist_names(checkout: Path, tmp_path: Path) -> None:
    """Built and installed as users get it: the data is shipped under both
    names, and the commands find it with no checkout around."""
    pytest.importorskip('setuptools')
    pytest.importorskip('pbr')
    wheels = tmp_path / 'wheels'
    build = sh(
        f'{sys.executable} -m pip wheel -q --no-deps --no-build-isolation '
        f'--no-index -w {wheels} .',
        checkout,
        PBR_VERSION='1.0.0',
    )
    assert build.returncode == 0, build.stderr
    [wheel] = wheels.glob('*.whl')
    venv = tmp_path / 'venv'
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', str(venv)], check=True)
    # -I: never touch the running environment's own install
    install = sh(
        f'{sys.executable} -m pip install -q -I --no-deps --no-index --prefix {venv} {wheel}',
        tmp_path,
    )
    assert install.returncode == 0, install.stderr
    assert (BIN / 'validate-constraints').exists()  # still installed here
    share = venv / 'share' / 'openstack-requirements'
    assert (share / 'denylist.txt').read_text() == (share / 'blacklist.txt').read_text()
    elsewhere = tmp_path / 'elsewhere'
    elsewhere.mkdir()
    env = {'PYTHONPATH': str(dependencies_only(tmp_path)), 'PYTHONNOUSERSITE': '1'}
    python = venv / 'bin' / 'python'
    found = sh(
        f'{python} -c "from openstack_requirements.ops import data; '
        f'print(data.locate(data.DENYLIST_NAMES))"',
        elsewhere,
        **env,
    )
    assert found.stdout == f'{share / "denylist.txt"}\n', found.stderr
    done = sh(f'{python} -m openstack_requirements.cli.app validate-constraints', elsewhere, **env)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith('validate-constraints: 0 errors, 12 warnings (')
