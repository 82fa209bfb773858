"""Read order changes nothing: a file, a project, a multi-project run give the
same verdict and write the same bytes whatever was read before them (every
cache is keyed by all its result depends on)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from openstack_requirements import cache
from openstack_requirements.errors import RequirementsError
from openstack_requirements.ops.project import read_project
from tests.conftest import DATA, TREES

BOM = '\ufeff'
DATA_2026 = DATA / 'openstack-2026-08-22'


def test_a_line_reads_the_same_whatever_was_read_before(tmp_path: Path) -> None:
    """A byte-order mark is skipped on a file's first line only: the same
    text on line 2 is an error, read first or after the line-1 one."""
    first, second = tmp_path / 'first', tmp_path / 'second'
    first.mkdir()
    second.mkdir()
    (first / 'requirements.txt').write_text(f'{BOM}pbr>=2.0.0\n')
    (second / 'requirements.txt').write_text(f'six>=1.10.0\n{BOM}pbr>=2.0.0\n')

    def verdicts(order: list[Path]) -> dict[str, str]:
        cache.clear_all()
        found = {}
        for root in order:
            try:
                read_project(root)
                found[root.name] = 'read'
            except RequirementsError as err:
                found[root.name] = err.render().splitlines()[0]
        return found

    expected = {
        'first': 'read',
        'second': f'{second}/requirements.txt:2:1: expected a package name',
    }
    assert verdicts([first, second]) == expected
    assert verdicts([second, first]) == expected


# -- the corpus trees, and trees made to meet the caches' keys ----------------------


def other_trees(root: Path) -> None:
    """Projects whose lines share a text with another's, read differently:
    a byte-order mark on line 1 and on line 2; setup.cfg's ``name:marker``
    form beside the same text in a requirements file (not pip's form)."""
    texts = {
        'bom-first/requirements.txt': f'{BOM}pbr>=2.0.0\nsix>=1.9.0\n',
        'bom-second/requirements.txt': f'six>=1.9.0\n{BOM}pbr>=2.0.0\n',
        'pbr-form/requirements.txt': 'pbr>=2.0.0\n',
        'pbr-form/setup.cfg': (
            '[metadata]\nname = pbr-form\n\n[extras]\ntest =\n'
            "  six>=1.9.0:python_version>='3.10'\n"
        ),
        'pip-form/requirements.txt': "six>=1.9.0:python_version>='3.10'\n",
    }
    for name, text in texts.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding='utf-8')


def make_trees(root: Path) -> list[Path]:
    if root.exists():
        shutil.rmtree(root)
    for tree in sorted(TREES.iterdir()):
        shutil.copytree(tree, root / tree.name)
    other_trees(root)
    return sorted(p for p in root.iterdir() if p.is_dir())


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob('*')) if p.is_file()
    }


def orders(names: list[str]) -> list[list[str]]:
    """Sorted, reversed, and three shuffles (seeded: a failure repeats)."""
    found = [sorted(names), sorted(names, reverse=True)]
    for seed in range(3):
        shuffled = sorted(names)
        random.Random(seed).shuffle(shuffled)
        found.append(shuffled)
    return found


@pytest.mark.parametrize('soft', [False, True], ids=['hard', 'soft'])
def test_multi_project_update_in_every_order(run_app, tmp_path: Path, soft: bool) -> None:
    work = tmp_path / 'work'
    names = [p.name for p in make_trees(work)]
    seen = None
    for order in orders(names):
        make_trees(work)
        cache.clear_all()  # each order starts cold, as one run does
        argv = [
            'update-requirements',
            '--source',
            str(DATA_2026),
            '-f',
            'json',
            *(str(work / name) for name in order),
        ]
        result = run_app(*argv, *(['--soft-update'] if soft else []))
        rows = sorted(tuple(row.values()) for row in result.json())
        outcome = (result.code, rows, sorted(result.stderr.splitlines()), snapshot(work))
        if seen is None:
            seen = outcome
            # the trees read differently do differ: the test can tell
            assert any('bom-second/requirements.txt:2:1' in line for line in outcome[2])
            assert not any('bom-first' in line for line in outcome[2])
        assert outcome == seen, order


def test_check_requirements_project_by_project_in_every_order(run_app, tmp_path: Path) -> None:
    work = tmp_path / 'work'
    names = [p.name for p in make_trees(work)]
    seen = None
    for order in orders(names):
        cache.clear_all()
        verdicts = {}
        for name in order:  # one process, caches warm from the projects before
            result = run_app(
                'check-requirements', str(work / name), '--source', str(DATA_2026), '-f', 'json'
            )
            verdicts[name] = (result.code, result.stdout, result.stderr)
        if seen is None:
            seen = verdicts
            assert 'requirements.txt:2:1: expected a package name' in seen['bom-second'][2]
            assert 'expected a package name' not in seen['bom-first'][2]
        assert verdicts == seen, order
