"""Benchmark generate-constraints on a local test index: ours and an
earlier tree's, cold and warm.

The index is made up here and served on 127.0.0.1 (as the tests serve
theirs: each page with its files' hashes, ``max-age=0``): ``--packages``
projects of three releases each, wheels only, each depending on a few
others; a tenth of them offer their newest release as an sdist only
(dependencies in its PKG-INFO, a build that fails), so the metadata
reader and its store are exercised. The requirements name every
project. Ours and the baseline (``--baseline TREE``: a source tree, e.g.
``git archive main | tar -x -C /tmp/base``) take turns, cold (a new uv
cache) then warm, for Python 3.10 to 3.13; the best of ``--repeat``
rounds is compared. No network. ``main(argv)`` prints a table; exit 0.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PYTHONS = ('3.10', '3.11', '3.12', '3.13')


def make_index(directory: Path, count: int) -> list[str]:
    """Write the projects' files into ``directory``; their names."""
    from tests import resolver_index

    names = [f'bench-pkg-{n:04d}' for n in range(count)]
    for number, name in enumerate(names):
        needs = [
            names[(number * 7 + k) % count] for k in (1, 2, 3) if (number * 7 + k) % count > number
        ]
        for minor in range(3):
            version = f'1.{minor}'
            if number % 10 == 0 and minor == 2:
                resolver_index.make_sdist(directory, name, version, needs)
            else:
                resolver_index.make_wheel(directory, name, version, requires=needs)
    return names


def run(tree: Path | None, index_url: str, requirements: Path, cache: Path) -> tuple[float, int]:
    argv = [
        sys.executable,
        '-c',
        'import sys; from openstack_requirements.cli'
        '.app import generate_constraints as g; sys.exit(g())',
        '-r',
        str(requirements),
        '--index-url',
        index_url,
    ]
    for python in PYTHONS:
        argv += ['-p', python]
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(('PIP_', 'UV_'))
        and k.lower() not in ('http_proxy', 'https_proxy', 'all_proxy', 'no_proxy')
    }
    env['UV_CACHE_DIR'] = str(cache)
    if tree is not None:
        env['PYTHONPATH'] = str(tree)
    start = time.monotonic()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - start
    if done.returncode:
        raise SystemExit(f'{"baseline" if tree else "ours"} failed:\n{done.stderr}')
    return elapsed, sum(1 for line in done.stdout.splitlines() if '===' in line)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog='bench_index')
    parser.add_argument(
        '--baseline', type=Path, help='a source tree to compare with (default: none)'
    )
    parser.add_argument('--packages', type=int, default=200)
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--warm', type=int, default=2)
    args, _ = parser.parse_known_args(argv)
    from tests import resolver_index

    with tempfile.TemporaryDirectory(prefix='osr-bench-index-') as place:
        tmp = Path(place)
        names = make_index(tmp / 'files', args.packages)
        requirements = resolver_index.write_requirements(tmp / 'global.txt', names)
        rows: dict[tuple[str, str], list[float]] = {}
        pins: dict[str, int] = {}
        with resolver_index.serve_simple_index(tmp / 'files') as index:
            trees = [('ours', None)]
            if args.baseline is not None:
                trees.append(('baseline', args.baseline.resolve()))
            for round_ in range(args.repeat):
                order = trees if round_ % 2 == 0 else trees[::-1]
                for state in ('cold', *['warm'] * args.warm):
                    for who, tree in order:
                        cache = tmp / f'cache-{who}-{round_}'
                        seconds, count = run(tree, index.url, requirements, cache)
                        rows.setdefault((who, state), []).append(seconds)
                        pins[who] = count
    print(
        f'{args.packages} projects, {len(PYTHONS)} Pythons, '
        f'pins: {", ".join(f"{k} {v}" for k, v in pins.items())}'
    )
    print(f'{"run":<22} {"best s":>7}  all runs')
    for (who, state), runs in rows.items():
        print(f'{who + ", " + state:<22} {min(runs):7.2f}  ' + ', '.join(f'{r:.2f}' for r in runs))
    if args.baseline is not None:
        for state in ('cold', 'warm'):
            ratio = min(rows[('ours', state)]) / min(rows[('baseline', state)])
            print(f'ours / baseline, {state}: {ratio:.2f}x')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
