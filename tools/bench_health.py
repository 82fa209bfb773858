"""Benchmark ``health`` on the real index (PyPI): upstream's
``tools/get-health-report.sh`` side by side on the same 20 packages, and
the whole shipped list, cold (no page kept) and warm (a second run within
``--max-age``).

Upstream's script is read from a checkout of openstack/requirements
(``--reference DIR`` or ``OSR_REFERENCE_HEAD``; it is not shipped here).
It counts each package's users through ``beagle``, a client of an
external code-search service that is not a package registry: a stub that
finds nothing stands in for it, so the script asks PyPI's JSON API only,
one package at a time (curl and jq). Without a checkout, that part is
skipped. Figures are measured, never asserted; the best of ``--repeat``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMAND = shutil.which('openstack-requirements') or 'openstack-requirements'


def _governed(path: Path) -> list[str]:
    from openstack_requirements.ops.files import read_requirements
    from openstack_requirements.ops.reports import health

    return [line.text for line in health.governed(read_requirements(path).requirement_lines())]


def _timed(argv: list[str], env: dict[str, str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - start


def _ours(source: Path, cache: Path, extra: list[str]) -> float:
    env = {**os.environ, 'XDG_CACHE_HOME': str(cache)}
    return _timed([COMMAND, 'health', '--source', str(source), '-f', 'value', *extra], env)


def _twenty(directory: Path, count: int) -> tuple[Path, list[str]]:
    lines = _governed(ROOT / 'global-requirements.txt')[:count]
    names = [
        line.split('!', 1)[0]
        .split('<', 1)[0]
        .split('>', 1)[0]
        .split('=', 1)[0]
        .split(';', 1)[0]
        .split()[0]
        for line in lines
    ]
    (directory / 'global-requirements.txt').write_text('\n'.join(lines) + '\n')
    keys = {n.lower().replace('_', '-') for n in names}
    upper = [
        line
        for line in (ROOT / 'upper-constraints.txt').read_text().splitlines()
        if line.split('===', 1)[0].lower().replace('_', '-') in keys
    ]
    (directory / 'upper-constraints.txt').write_text('\n'.join(upper) + '\n')
    return directory, names


def _upstream(reference: Path, directory: Path) -> float | None:
    script = reference / 'tools' / 'get-health-report.sh'
    if not script.is_file() or not shutil.which('jq') or not shutil.which('curl'):
        return None
    tools = directory / 'tools'
    tools.mkdir(exist_ok=True)
    for name in ('get-health-report.sh', 'functions'):
        shutil.copy(reference / 'tools' / name, tools / name)
    stub = directory / 'bin'
    stub.mkdir(exist_ok=True)
    (stub / 'beagle').write_text('#!/bin/sh\nexit 0\n')
    (stub / 'beagle').chmod(0o755)
    env = {
        **os.environ,
        'PATH': f'{stub}{os.pathsep}{os.environ["PATH"]}',
        'VIRTUAL_ENV': sys.prefix,
    }
    return _timed(['bash', str(tools / 'get-health-report.sh')], env, directory)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog='bench health')
    parser.add_argument(
        '--reference',
        default=os.environ.get('OSR_REFERENCE_HEAD'),
        help='a checkout of openstack/requirements (as --reference=DIR through tools/bench.py)',
    )
    parser.add_argument('--repeat', type=int, default=1)
    parser.add_argument('--count', type=int, default=20)
    args, _ = parser.parse_known_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        place = Path(tmp)
        (place / 'small').mkdir()
        small, names = _twenty(place / 'small', args.count)
        ours_small = min(
            _ours(small, place / f'c{n}', ['--max-age', '0']) for n in range(args.repeat)
        )
        theirs = _upstream(Path(args.reference), small) if args.reference else None
        rows.append((f'{len(names)} packages, ours (cold)', ours_small))
        if theirs is None:
            rows.append((f'{len(names)} packages, upstream', None))
        else:
            rows.append((f'{len(names)} packages, upstream', theirs))
        cold, warm = [], []
        for n in range(args.repeat):
            cache = place / f'whole{n}'
            cold.append(_ours(ROOT, cache, []))
            warm.append(_ours(ROOT, cache, []))
        rows.append(('whole list, cold (goal 20 s)', min(cold)))
        rows.append(('whole list, warm (goal 5 s)', min(warm)))
    print(f'{"run":40} {"seconds":>8}')
    for label, seconds in rows:
        shown = f'{seconds:8.2f}' if seconds is not None else '     n/a'
        print(f'{label:40} {shown}')
    if theirs is not None:
        print(f'upstream / ours on {len(names)} packages: {theirs / ours_small:.1f}x')
    return 0


if __name__ == '__main__':
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
