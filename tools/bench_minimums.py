"""Benchmark the minimums command: ours and plain uv, side by side.

On nova's tree (``tests/data/trees/nova-2026-08-21``; ``--tree`` for
another) for four Pythons (3.11 to 3.14; ``-p`` to choose):

* ours (``minimums``, in-process through its operation, which counts its
  resolutions), cold (a new uv cache directory) then warm (the same again);
* a plain ``uv pip compile --resolution lowest-direct`` of each install set
  for each Python, all in parallel, cold then warm: what one would run by
  hand, which finds the packages off their minimum but neither which
  minimums are false nor what to raise them to (and builds the sdists it
  cannot read).

Needs the package registry. ``main(argv)`` prints a table; exit 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOVA = ROOT / 'tests' / 'data' / 'trees' / 'nova-2026-08-21'
PYTHONS = ('3.11', '3.12', '3.13', '3.14')


def _env(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(('UV_', 'PIP_'))}
    env.update(UV_CACHE_DIR=str(cache), UV_NO_CONFIG='1', UV_PYTHON_DOWNLOADS='never')
    return env


def _ours(tree: Path, pythons: list[str], cache: Path) -> tuple[float, int, str]:
    """Seconds, resolutions, rows (and how many resolutions were reused)."""
    from openstack_requirements.ops.constraints.resolvers import ResolverOptions
    from openstack_requirements.ops.minimums.run import check_projects
    from openstack_requirements.ops.project import read_project

    os.environ['UV_CACHE_DIR'] = str(cache)
    start = time.monotonic()
    run = check_projects([(tree.name, read_project(tree))], pythons, ResolverOptions(timeout=1800))
    seconds = time.monotonic() - start
    return seconds, run.resolutions, f'{len(run.rows())} rows, {run.reused} reused'


def _plain(tree: Path, pythons: list[str], cache: Path) -> tuple[float, int, str]:
    """Seconds, resolutions, failures: plain uv, lowest-direct, each
    install set and Python at once."""
    from openstack_requirements.ops.constraints.resolvers.uv_env import uv_binary
    from openstack_requirements.ops.minimums.sets import install_sets
    from openstack_requirements.ops.project import read_project

    sets = install_sets(read_project(tree))
    scratch = Path(tempfile.mkdtemp(prefix='bench-minimums-'))
    jobs = []
    for number, install_set in enumerate(sets):
        path = scratch / f'set-{number}.txt'
        path.write_text(''.join(e.text() + '\n' for e in install_set.entries))
        jobs += [(path, python) for python in pythons]

    def one(job: tuple[Path, str]) -> int:
        path, python = job
        argv = [uv_binary(), 'pip', 'compile', str(path), '--python-version', python]
        argv += ['--resolution', 'lowest-direct', '--no-header', '--quiet', '--no-config']
        done = subprocess.run(argv, capture_output=True, text=True, env=_env(cache), cwd=scratch)
        return done.returncode

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(one, jobs))
    seconds = time.monotonic() - start
    shutil.rmtree(scratch, ignore_errors=True)
    return seconds, len(jobs), f'{sum(1 for c in codes if c)} failed'


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog='bench_minimums')
    parser.add_argument('--tree', type=Path, default=NOVA)
    parser.add_argument('-p', dest='pythons', action='append', default=[])
    args, _ = parser.parse_known_args(argv)
    pythons = args.pythons or list(PYTHONS)
    print(f'tree {args.tree.name}, Pythons {" ".join(pythons)}')
    print(f'{"run":<24}{"seconds":>9}{"resolutions":>13}  result')
    for label, work in (('ours', _ours), ('plain uv lowest-direct', _plain)):
        cache = Path(tempfile.mkdtemp(prefix='bench-minimums-cache-'))
        try:
            for temperature in ('cold', 'warm'):
                seconds, count, result = work(args.tree, pythons, cache)
                name = f'{label} {temperature}'
                print(f'{name:<24}{seconds:>9.1f}{count:>13}  {result}')
                sys.stdout.flush()
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
