"""update-requirements, side by side with the reference, and a 200-tree batch.

1. Every corpus tree, synced (``--exact --soft-update``) against the data of
   the nearest date, by ours and by the reference ``openstack-requirements
   ==1.2.0`` (which takes one project per run), each as its own process on
   a fresh copy; the best of a few runs.
2. 200 generated project trees (requirements*.txt, setup.cfg extras,
   pyproject.toml; 90 packages each from the global list, each package
   with one of three minimums) synced by ours in one invocation; the
   reference on the first few of them, one process per tree as it must be
   run.

``--baseline DIR`` (a source tree of an earlier commit: ``git archive REV |
tar -x -C DIR``) adds ours from that tree, taking turns with ours, on the
200 trees and on each corpus tree: a change must not make the sync slower.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import DATA, TREES, nearest_data  # noqa: E402
from tools import reference  # noqa: E402

REPEAT = 5
BATCH = 200
REFERENCE_SAMPLE = 5


def _ours_command() -> list[str]:
    script = Path(sys.executable).parent / 'update-requirements'
    if script.exists():
        return [str(script)]
    return [
        sys.executable,
        '-c',
        'import sys; from openstack_requirements.cli.app import '
        'update_requirements as m; sys.exit(m())',
    ]


def _copy(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    for path in sorted(source.rglob('*')):
        if path.is_file():
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)


def _reference_source(data: Path, place: Path) -> Path:
    place.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(data / 'global-requirements.txt', place / 'global-requirements.txt')
    excluded = data / 'blacklist.txt'
    if not excluded.exists():
        excluded = data / 'denylist.txt'
    shutil.copyfile(excluded, place / 'blacklist.txt')
    return place


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of ``command``."""
    cpu = _cpu()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(f'{command[0]} failed:\n{done.stderr[-2000:]}')
    return elapsed, _cpu() - cpu


def _best(tree: Path, work: Path, command: list[str]) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(REPEAT):
        _copy(tree, work)
        wall, cpu = _timed([*command, str(work)])
        walls.append(wall)
        cpus.append(cpu)
    return min(walls), min(cpus)


def _generate(count: int, place: Path, data: Path) -> list[Path]:
    """Project trees drawing their packages from the global list."""
    names = []
    for line in (data / 'global-requirements.txt').read_text().splitlines():
        body = line.split('#', 1)[0].strip()
        if body and not body.startswith('-'):
            names.append(
                body.split(';')[0]
                .split('<')[0]
                .split('>')[0]
                .split('!')[0]
                .split('=')[0]
                .split('[')[0]
                .strip()
            )
    names = sorted(set(names))
    rng = random.Random(3)
    # As in OpenStack, the projects using a package state one of a few
    # minimums for it (and most share one licence comment).
    minimums = {
        name: [f'{rng.randint(0, 9)}.{rng.randint(0, 20)}.0' for _ in range(3)] for name in names
    }
    roots = []
    for n in range(count):
        root = place / f'project-{n:03d}'
        (root / 'doc').mkdir(parents=True)
        picks = rng.sample(names, 90)

        def req(name: str) -> str:
            bound = f'>={rng.choice(minimums[name])}'
            comment = '  # Apache-2.0' if rng.random() < 0.7 else ''
            return f'{name}{bound}{comment}'

        (root / 'requirements.txt').write_text(
            '# The order of packages is significant.\n\n'
            + '\n'.join(req(p) for p in picks[:55])
            + '\n'
        )
        (root / 'test-requirements.txt').write_text('\n'.join(req(p) for p in picks[55:75]) + '\n')
        (root / 'doc' / 'requirements.txt').write_text(
            '\n'.join(req(p) for p in picks[75:83]) + '\n'
        )
        (root / 'setup.cfg').write_text(
            f'[metadata]\nname = project-{n}\n\n[extras]\n'
            + ''.join(f'extra{i} =\n  {req(p)}\n' for i, p in enumerate(picks[83:86]))
        )
        (root / 'pyproject.toml').write_text(
            f'[project]\nname = "project-{n}"\n'
            'dependencies = [\n'
            + ''.join(f'    "{req(p).split("  #")[0]}",\n' for p in picks[86:88])
            + ']\n\n[project.optional-dependencies]\n'
            + ''.join(
                f'opt{i} = ["{req(p).split("  #")[0]}"]\n' for i, p in enumerate(picks[88:90])
            )
        )
        roots.append(root)
    return roots


def _compile(tree: Path = ROOT) -> None:
    """Byte-compile the package, as an installed one is: tox sets
    PYTHONDONTWRITEBYTECODE, which would make every run of ours compile
    its modules anew while the reference's are compiled at install."""
    import compileall

    compileall.compile_dir(str(tree / 'openstack_requirements'), quiet=1)


_FROM_TREE = [
    sys.executable,
    '-c',
    'import sys; from openstack_requirements.cli.app import '
    'update_requirements as m; sys.exit(m())',
]


def _side_by_side(
    baseline: Path, work: Path, batch: list[Path], data: Path
) -> list[tuple[str, ...]]:
    """Ours and ours from ``baseline``, taking turns (ours first in even
    rounds): each corpus tree, and the 200-tree batch; the best of each."""
    _compile(baseline)
    env = {**os.environ, 'PYTHONPATH': str(baseline)}
    ours = _ours_command()
    cases = [
        (tree.name, [tree], ['--exact', '--soft-update', '--source', str(nearest_data(tree))])
        for tree in sorted(TREES.iterdir())
    ]
    cases.append(
        (f'{BATCH} generated trees, one run', batch, ['--soft-update', '--source', str(data)])
    )
    rows: list[tuple[str, ...]] = []
    for label, trees, options in cases:
        best: dict[str, tuple[float, float]] = {}
        for round_ in range(3):
            turns = ('ours', 'baseline') if round_ % 2 == 0 else ('baseline', 'ours')
            for who in turns:
                copies = []
                for n, tree in enumerate(trees):
                    copy = work / 'side' / who / f'{n:03d}'
                    _copy(tree, copy)
                    copies.append(str(copy))
                command = ours if who == 'ours' else _FROM_TREE
                wall, cpu = _timed(
                    [*command, *options, *copies], env if who == 'baseline' else None
                )
                old = best.get(who)
                best[who] = (wall, cpu) if old is None else (min(old[0], wall), min(old[1], cpu))
        mine, theirs = best['ours'], best['baseline']
        rows.append(
            (
                label,
                f'{mine[0]:.3f}',
                f'{theirs[0]:.3f}',
                f'{theirs[0] / mine[0]:.2f}x',
                f'{mine[1]:.3f}',
                f'{theirs[1]:.3f}',
                f'{theirs[1] / mine[1]:.2f}x',
            )
        )
    return rows


def _print(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        print('  '.join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog='bench.py update')
    parser.add_argument(
        '--baseline',
        type=Path,
        help='also ours from this source tree, taking turns '
        'with ours; give it as --baseline=DIR to tools/bench.py',
    )
    args, _ = parser.parse_known_args(argv)  # other topics take other options
    _compile()
    ours = _ours_command()
    ref_script = reference.script('update-requirements')
    rows: list[tuple[str, ...]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for tree in sorted(TREES.iterdir()):
            data = nearest_data(tree)
            ref_source = _reference_source(data, work / 'src' / data.name)
            command = [*ours, '--exact', '--soft-update', '--source', str(data)]
            theirs = _best(
                tree, work / 'ref', [str(ref_script), '--soft-update', '--source', str(ref_source)]
            )
            mine = _best(tree, work / 'ours', command)
            rows.append((tree.name, *_cells(mine, theirs)))
            # the report as CI reads it: no table to lay out
            mine = _best(tree, work / 'ours', [*command, '-f', 'json'])
            rows.append(('  same, -f json', *_cells(mine, theirs)))

        data = DATA / 'openstack-2026-08-22'
        batch = _generate(BATCH, work / 'batch', data)
        batch_copy = work / 'batch-ref'
        shutil.copytree(work / 'batch', batch_copy)
        mine = _timed([*ours, '--soft-update', '--source', str(data), *map(str, batch)])
        ref_source = _reference_source(data, work / 'src' / 'batch')
        sample = sorted(batch_copy.iterdir())[:REFERENCE_SAMPLE]
        runs = [
            _timed([str(ref_script), '--soft-update', '--source', str(ref_source), str(root)])
            for root in sample
        ]
        theirs = (
            sum(r[0] for r in runs) / len(runs) * BATCH,
            sum(r[1] for r in runs) / len(runs) * BATCH,
        )
        rows.append((f'{BATCH} generated trees, one run', *_cells(mine, theirs)))
        if args.baseline is not None:
            # the batch above is synced now: the same trees made anew
            fresh = _generate(BATCH, work / 'batch-side', data)
            side = _side_by_side(args.baseline.resolve(), work, fresh, data)

    _print(('sync', 'ours wall', 'ref wall', 'wall x', 'ours cpu', 'ref cpu', 'cpu x'), rows)
    print(
        f'(seconds; per tree the best of {REPEAT} runs, each a fresh '
        'process on a fresh copy; the reference takes one tree a run, so '
        f'its {BATCH}-tree figures are {BATCH} x the mean of '
        f'{REFERENCE_SAMPLE} runs)'
    )
    if args.baseline is not None:
        print()
        _print(
            ('sync', 'ours wall', 'baseline wall', 'wall x', 'ours cpu', 'baseline cpu', 'cpu x'),
            side,
        )
        print('(seconds, best of 3 each, ours and the baseline taking turns; x > 1: ours faster)')
    return 0


def _cells(mine: tuple[float, float], theirs: tuple[float, float]) -> tuple[str, ...]:
    return (
        f'{mine[0]:.3f}',
        f'{theirs[0]:.3f}',
        f'{theirs[0] / mine[0]:.1f}x',
        f'{mine[1]:.3f}',
        f'{theirs[1]:.3f}',
        f'{theirs[1] / mine[1]:.1f}x',
    )


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
