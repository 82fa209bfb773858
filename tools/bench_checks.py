"""Benchmark the check commands side by side with the reference (1.2.0).

validate-constraints on the 2026 data, and check-requirements (reference:
check-constraints, the nearest thing it ships) on every corpus tree, each
as a fresh process, best of N runs, wall and CPU time (CPU time is the
steadier figure on a busy machine). Prints one table; exits 0.

    python tools/bench_checks.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / 'tests' / 'data' / 'openstack'
TREES = ROOT / 'tests' / 'data' / 'trees'


def _env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(('PIP_', 'UV_')) and k != 'PYTHONDONTWRITEBYTECODE'
    }
    return env


def _time(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, capture_output=True, env=env, cwd='/')
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _pair(
    ours: list[str], theirs: list[str], runs: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Best wall and best CPU time of ``runs`` for each, interleaved so that
    a load spike on the machine hits both sides alike; one warm-up run
    each (.pyc files)."""
    env = _env()
    _time(ours, env), _time(theirs, env)
    mine = [float('inf')] * 2
    ref = [float('inf')] * 2
    for _ in range(runs):
        for best, argv in ((mine, ours), (ref, theirs)):
            wall, cpu = _time(argv, env)
            best[0], best[1] = min(best[0], wall), min(best[1], cpu)
    return (mine[0], mine[1]), (ref[0], ref[1])


def _nearest(tree: Path) -> Path:
    from datetime import date

    day = date.fromisoformat(tree.name[-10:])
    return min(DATA.iterdir(), key=lambda p: abs((date.fromisoformat(p.name[-10:]) - day).days))


def _ours(name: str) -> str:
    found = Path(sys.executable).parent / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def cases() -> list[tuple[str, list[str], list[str]]]:
    sys.path.insert(0, str(ROOT))
    from tools import reference

    ref = reference.python().parent
    data = DATA / 'openstack-2026-08-22'
    files = [
        str(data / n) for n in ('global-requirements.txt', 'upper-constraints.txt', 'denylist.txt')
    ]
    rows = [
        (
            'validate-constraints 2026',
            [_ours('validate-constraints'), *files],
            [str(ref / 'validate-constraints'), *files],
        )
    ]
    for tree in sorted(TREES.iterdir()):
        near = _nearest(tree)
        deny = near / ('denylist.txt' if (near / 'denylist.txt').is_file() else 'blacklist.txt')
        rows.append(
            (
                f'check-requirements {tree.name}',
                [_ours('check-requirements'), str(tree), '--source', str(near)],
                [
                    str(ref / 'check-constraints'),
                    str(tree),
                    '-u',
                    str(near / 'upper-constraints.txt'),
                    '-g',
                    str(near / 'global-requirements.txt'),
                    '-b',
                    str(deny),
                ],
            )
        )
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=5)
    args, _ = parser.parse_known_args(argv)  # options of other topics pass by
    rows = []
    for label, ours, theirs in cases():
        (wall, cpu), (ref_wall, ref_cpu) = _pair(ours, theirs, args.runs)
        rows.append((label, wall, ref_wall, cpu, ref_cpu))
    width = max(len(r[0]) for r in rows)
    print(
        f'{"case":<{width}}  {"wall ours":>9}  {"wall 1.2.0":>10}  {"ratio":>6}'
        f'  {"cpu ours":>8}  {"cpu 1.2.0":>9}  {"ratio":>6}'
    )
    total = ('total', *(sum(r[i] for r in rows) for i in range(1, 5)))
    for label, wall, ref_wall, cpu, ref_cpu in [*rows, total]:
        print(
            f'{label:<{width}}  {wall:9.3f}  {ref_wall:10.3f}  {ref_wall / wall:5.1f}x'
            f'  {cpu:8.3f}  {ref_cpu:9.3f}  {ref_cpu / cpu:5.1f}x'
        )
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
