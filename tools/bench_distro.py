"""Benchmark distro: the whole global list against one release's
Packages.xz (the goal: 3 s or less).

Runs ``openstack-requirements distro`` on the 2026 data as a fresh
process, best of N runs, wall and CPU time, then times its stages in this
process once (uncompress, read the index, compare). The index is
``--index FILE``, else Debian trixie's ``main/binary-amd64/Packages.xz``,
fetched once through apt (``apt-helper download-file``) into
``~/.cache/openstack-requirements/bench``. Prints one table; exits 0.

    python tools/bench_distro.py [--runs N] [--index FILE]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.bench_checks import _env, _ours, _time  # noqa: E402

DATA = ROOT / 'tests' / 'data' / 'openstack' / 'openstack-2026-08-22'
URL = 'http://deb.debian.org/debian/dists/trixie/main/binary-amd64/Packages.xz'
CACHE = Path.home() / '.cache' / 'openstack-requirements' / 'bench'
GOAL = 3.0


def fetched_index() -> Path | None:
    """Debian trixie's Packages.xz, fetched through apt once."""
    path = CACHE / 'trixie_main_binary-amd64_Packages.xz'
    if path.is_file():
        return path
    helper = '/usr/lib/apt/apt-helper'
    if not os.access(helper, os.X_OK):
        return None
    CACHE.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [helper, 'download-file', URL, str(path)], capture_output=True, text=True, check=False
    )
    return path if done.returncode == 0 and path.is_file() else None


def stages(index: Path, runs: int) -> list[tuple[str, float]]:
    """Seconds of each stage, in this process, best of ``runs``."""
    best: list[tuple[str, float]] = []
    for _ in range(runs):
        found = _stages(index)
        best = [
            (label, min(seconds, old))
            for (label, seconds), (_, old) in zip(found, best or found, strict=True)
        ]
    return best


def _stages(index: Path) -> list[tuple[str, float]]:
    from openstack_requirements.cli.base import governance_data
    from openstack_requirements.ops.distro import compression, indexes, releases, status

    start = time.perf_counter()
    data = compression.uncompressed(index)
    uncompressed = time.perf_counter()
    read = indexes.parse_index(data, str(index))
    parsed = time.perf_counter()
    global_lines, upper = governance_data(str(DATA))
    distributions = releases.Distributions([releases.Release('trixie', [read])])
    rows = status.rows(distributions, global_lines, upper, sorted(global_lines))
    compared = time.perf_counter()
    assert rows
    return [
        (
            f'uncompress ({index.stat().st_size / 1e6:.1f} MB -> {len(data) / 1e6:.1f} MB)',
            uncompressed - start,
        ),
        (f'read the index ({len(read)} packages)', parsed - uncompressed),
        (f'compare ({len(rows)} packages)', compared - parsed),
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--index', metavar='FILE', type=Path, default=None)
    args, _ = parser.parse_known_args(argv)  # options of other topics pass by
    index = args.index or fetched_index()
    if index is None:
        print('no Packages.xz: pass --index FILE (apt-helper cannot fetch one)')
        return 0
    command = [
        _ours('openstack-requirements'),
        'distro',
        '--source',
        str(DATA),
        '--packages',
        f'trixie={index}',
        '-f',
        'value',
    ]
    env = _env()
    _time(command, env)  # warm-up (.pyc files, the page cache)
    wall = cpu = float('inf')
    for _ in range(args.runs):
        run_wall, run_cpu = _time(command, env)
        wall, cpu = min(wall, run_wall), min(cpu, run_cpu)
    rows = [
        (f'distro, whole global list vs {index.name}', wall, cpu),
        *((f'  {label}', seconds, float('nan')) for label, seconds in stages(index, args.runs)),
    ]
    width = max(len(r[0]) for r in rows)
    print(f'{"case":<{width}}  {"wall":>6}  {"cpu":>6}')
    for label, seconds, used in rows:
        print(
            f'{label:<{width}}  {seconds:6.3f}  '
            + (f'{used:6.3f}' if used == used else f'{"":>6}')
        )
    print(f'goal: {GOAL:.1f} s wall: {"met" if wall <= GOAL else "NOT met"}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
