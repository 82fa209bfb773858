"""Benchmark generate-constraints: ours, bare uv, and the reference.

Runs, side by side in one go, on the real global-requirements.txt (less
the few packages that need system libraries to build, listed in the
output):

* our ``generate-constraints`` for Python 3.10 to 3.13, cold cache (a new
  uv cache directory) then warm (the same directory again);
* a bare ``uv pip compile`` of the same input for the same Pythons, cold
  and warm, run in parallel as ours runs them, and one after another.
  Ours and bare uv take turns (``--repeat N`` rounds of: cold, cold,
  warm, warm; ours goes first in even rounds, bare uv in odd ones), so
  that a slow spell of the registry, and its cold caches, fall on both;
  the ratios compare the best run of each;
* the reference ``generate-constraints`` (openstack-requirements==1.2.0),
  which really installs into a venv, for the interpreter this machine has,
  on the same input (``--reference-subset``: a subset it installs in a
  minute), with ours on the same input and Python release.

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
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: Packages whose build needs system libraries this machine does not have,
#: and the global packages that pull them in (found by running the
#: reference until it installed everything else).
NEEDS_SYSTEM_LIBRARIES = (
    'systemd-python',                  # libsystemd-journal (pkg-config)
    'libvirt-python', 'virtualbmc',    # libvirt (pkg-config)
    'requests-kerberos',               # gssapi: krb5-config
    'python-ldap', 'ldappool',         # OpenLDAP and SASL headers
)

#: A subset the reference installs in a few minutes (wheels on PyPI).
REFERENCE_SUBSET = (
    'pbr', 'oslo.config', 'oslo.i18n', 'oslo.utils', 'oslo.serialization',
    'oslo.log', 'oslo.context', 'stevedore', 'cliff', 'keystoneauth1',
    'python-keystoneclient', 'debtcollector', 'requests', 'PyYAML',
    'WebOb', 'Routes', 'PasteDeploy', 'jsonschema', 'netaddr', 'iso8601',
    'tenacity', 'prettytable', 'fixtures', 'testtools', 'Jinja2',
    'oslo.messaging', 'oslo.db', 'oslo.policy', 'oslo.concurrency',
    'oslo.middleware', 'oslo.service', 'oslo.cache', 'keystonemiddleware',
    'python-novaclient', 'python-glanceclient', 'python-neutronclient',
    'python-cinderclient', 'openstacksdk', 'osc-lib',
    'python-openstackclient', 'SQLAlchemy', 'alembic', 'kombu', 'eventlet',
    'futurist', 'tooz', 'castellan', 'jsonpatch', 'Babel', 'pecan', 'WSME',
    'paramiko', 'cryptography', 'psutil', 'lxml', 'msgpack',
)


def _filtered(source: Path, target: Path, *, drop: Sequence[str] = (),
              keep_only: Sequence[str] | None = None) -> Path:
    from packaging.utils import canonicalize_name

    from openstack_requirements.model import RequirementsFile

    dropped = {canonicalize_name(n) for n in drop}
    only = {canonicalize_name(n) for n in keep_only} if keep_only else None
    parsed = RequirementsFile.parse(source.read_text(), str(source))
    out = []
    for line in parsed.lines:
        key = line.key
        if key is None or key in dropped or (only is not None and key not in only):
            continue
        out.append(line.text + '\n')
    target.write_text(''.join(out))
    return target


def _env(cache: Path | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(('PIP_', 'UV_')) and k != 'PYTHONPATH'}
    env['PIP_CONFIG_FILE'] = os.devnull
    if 'PIP_CERT' in os.environ:  # a proxy's CA, needed to reach the registry
        env['PIP_CERT'] = os.environ['PIP_CERT']
    env['UV_NO_CONFIG'] = '1'
    env['UV_PYTHON_DOWNLOADS'] = 'never'
    if cache is not None:
        env['UV_CACHE_DIR'] = str(cache)
    env.update(extra)
    return env


def _timed(argv: Sequence[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.monotonic()
    done = subprocess.run(list(argv), capture_output=True, text=True, env=env)
    elapsed = time.monotonic() - start
    if done.returncode:
        raise SystemExit(f'failed: {" ".join(argv)}\n{done.stderr[-3000:]}')
    return elapsed, done.stdout


def _ours(requirements: Path, pythons: Sequence[str], cache: Path,
          denylist: Path | None) -> tuple[float, str]:
    script = Path(sys.executable).parent / 'generate-constraints'
    argv = ([str(script)] if script.exists() else
            [sys.executable, '-c', 'import sys; from openstack_requirements.cli'
             '.app import generate_constraints as g; sys.exit(g())'])
    for python in pythons:
        argv += ['-p', python]
    argv += ['-r', str(requirements)]
    if denylist is not None:
        argv += ['-b', str(denylist)]
    return _timed(argv, _env(cache))


def _bare_uv(requirements: Path, python: str, cache: Path) -> float:
    from openstack_requirements.ops.resolvers.uv import uv_binary  # thread-safe

    argv = [uv_binary(), 'pip', 'compile', str(requirements),
            '--python-version', python, '--no-header', '--no-annotate',
            '--quiet', '--no-config', '--no-python-downloads']
    return _timed(argv, _env(cache))[0]


def _bare_uv_parallel(requirements: Path, pythons: Sequence[str],
                      cache: Path) -> float:
    start = time.monotonic()
    with ThreadPoolExecutor(len(pythons)) as pool:
        list(pool.map(lambda p: _bare_uv(requirements, p, cache), pythons))
    return time.monotonic() - start


def _reference(requirements: Path, interpreter: str) -> float:
    from tools import reference

    script = reference.script('generate-constraints')
    return _timed([str(script), '-p', interpreter, '-r', str(requirements)],
                  _env())[0]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog='bench_constraints',
                                     description=__doc__.split('\n')[0])
    parser.add_argument('-r', '--requirements', type=Path,
                        default=ROOT / 'global-requirements.txt')
    parser.add_argument('-b', '--denylist', type=Path,
                        default=ROOT / 'blacklist.txt')
    parser.add_argument('--pythons', default='3.10,3.11,3.12,3.13')
    parser.add_argument('--reference-python', default='python3.11',
                        help='interpreter the reference installs with')
    parser.add_argument('--repeat', type=int, default=2,
                        help='rounds of ours and bare uv, taking turns')
    parser.add_argument('--no-reference', action='store_true')
    parser.add_argument('--reference-only', action='store_true',
                        help='only the side-by-side with the reference')
    parser.add_argument('--reference-subset', action='store_true',
                        help='run the reference on a small subset (a minute) '
                             'instead of the whole global list (minutes)')
    args, _ = parser.parse_known_args(argv)  # other topics take other options
    pythons = args.pythons.split(',')
    rows: dict[tuple[str, str], list[float]] = {}

    def row(what: str, inputs: str, seconds: float) -> None:
        rows.setdefault((what, inputs), []).append(seconds)
        print(f'  {what:<44} {inputs:<28} {seconds:8.1f} s', file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix='bench-constraints-') as scratch:
        tmp = Path(scratch)
        full = _filtered(args.requirements, tmp / 'global.txt',
                         drop=NEEDS_SYSTEM_LIBRARIES)
        count = sum(1 for _ in full.read_text().splitlines())
        label = f'g-r {count} reqs, py{"/".join(pythons)}'
        denylist = args.denylist if args.denylist.exists() else None
        if not args.reference_only:
            for round_ in range(max(1, args.repeat)):
                cache = tmp / f'ours-cache-{round_}'
                bare = tmp / f'bare-cache-{round_}'

                def ours(state: str, cache: Path = cache) -> None:
                    row(f'ours generate-constraints, {state}', label,
                        _ours(full, pythons, cache, denylist)[0])

                def bare_uv(state: str, cache: Path = bare) -> None:
                    row(f'bare uv pip compile x4 parallel, {state}', label,
                        _bare_uv_parallel(full, pythons, cache))

                # Whoever goes first meets the registry's cold caches:
                # the two take that turn in alternate rounds.
                turns = (bare_uv, ours) if round_ % 2 else (ours, bare_uv)
                for state in ('cold', 'warm'):
                    for turn in turns:
                        turn(state)
            row('bare uv pip compile x4 sequential, warm', label,
                sum(_bare_uv(full, p, bare) for p in pythons))

        if not args.no_reference:
            if args.reference_subset:
                subset = _filtered(args.requirements, tmp / 'subset.txt',
                                   keep_only=REFERENCE_SUBSET)
            else:
                subset = full
            interpreter = shutil.which(args.reference_python) or args.reference_python
            from openstack_requirements.ops.resolvers.base import interpreter_release
            version = interpreter_release(interpreter)
            size = sum(1 for _ in subset.read_text().splitlines())
            sub = f'{"subset" if args.reference_subset else "g-r"} {size} reqs, py{version}'
            row('reference 1.2.0 generate-constraints', sub,
                _reference(subset, interpreter))
            small = tmp / 'ours-subset-cache'
            row('ours generate-constraints, cold', sub,
                _ours(subset, [version], small, None)[0])
            row('ours generate-constraints, warm', sub,
                _ours(subset, [version], small, None)[0])

    times = {key: min(runs) for key, runs in rows.items()}
    print(f'{"run":<44} {"input":<28} {"best s":>8}  all runs')
    for (what, inputs), runs in rows.items():
        every = ', '.join(f'{r:.1f}' for r in runs)
        print(f'{what:<44} {inputs:<28} {min(runs):8.1f}  {every}')
    print(f'excluded (need system libraries to build): '
          f'{", ".join(NEEDS_SYSTEM_LIBRARIES)}')
    if not args.reference_only:
        ours_warm = times[('ours generate-constraints, warm', label)]
        ours_cold = times[('ours generate-constraints, cold', label)]
        uv_warm = times[('bare uv pip compile x4 parallel, warm', label)]
        uv_cold = times[('bare uv pip compile x4 parallel, cold', label)]
        print(f'ours / bare uv (parallel): cold {ours_cold / uv_cold:.2f}x, '
              f'warm {ours_warm / uv_warm:.2f}x (target <= 1.20x)')
    if not args.no_reference:
        ref = times[('reference 1.2.0 generate-constraints', sub)]
        print(f'reference / ours on {sub}: '
              f'cold {ref / times[("ours generate-constraints, cold", sub)]:.1f}x, '
              f'warm {ref / times[("ours generate-constraints, warm", sub)]:.1f}x '
              '(target >= 20x)')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
