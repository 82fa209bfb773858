"""Benchmark generate-constraints: ours, bare uv, and the reference.

Runs, side by side in one go, on the whole real global-requirements.txt
(nothing left out):

* our ``generate-constraints`` for the supported Pythons (3.11 to 3.14),
  cold cache (a new uv cache directory) then warm (the same directory
  again), with the size the cache grew by and the index pages read (as
  ``-v`` says them);
* a bare ``uv pip compile`` of the same input for the same Pythons, cold
  and warm, in parallel as ours runs them (it builds sdists to read their
  metadata, so on a machine without the system libraries some packages
  need it fails: then it runs again on the list less the packages that
  need them, ``NEEDS_SYSTEM_LIBRARIES``, to still give a figure).
  Ours and bare uv take turns (``--repeat N`` rounds of: cold, cold,
  warm, warm; ours goes first in even rounds, bare uv in odd ones), so
  that a slow spell of the registry falls on both; the ratios compare the
  best run of each;
* with ``--reference``, the reference ``generate-constraints``
  (openstack-requirements==1.2.0), which really installs into a venv,
  for the interpreter this machine has, on a subset it can install
  (``--reference-subset``) or the list less the packages needing system
  libraries, with ours on the same input and Python release.

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

from openstack_requirements.ops import data  # noqa: E402 - after the path

#: Packages whose build needs system libraries this machine does not have,
#: and the global packages that pull them in (found by running the
#: reference until it installed everything else): left out only for the
#: bare uv and reference runs, which build sdists.
NEEDS_SYSTEM_LIBRARIES = (
    'systemd-python',  # libsystemd-journal (pkg-config)
    'libvirt-python',
    'virtualbmc',  # libvirt (pkg-config)
    'requests-kerberos',  # gssapi: krb5-config
    'python-ldap',
    'ldappool',  # OpenLDAP and SASL headers
)

#: A subset the reference installs in a few minutes (wheels on PyPI).
REFERENCE_SUBSET = (
    'pbr',
    'oslo.config',
    'oslo.i18n',
    'oslo.utils',
    'oslo.serialization',
    'oslo.log',
    'oslo.context',
    'stevedore',
    'cliff',
    'keystoneauth1',
    'python-keystoneclient',
    'debtcollector',
    'requests',
    'PyYAML',
    'WebOb',
    'Routes',
    'PasteDeploy',
    'jsonschema',
    'netaddr',
    'iso8601',
    'tenacity',
    'prettytable',
    'fixtures',
    'testtools',
    'Jinja2',
    'oslo.messaging',
    'oslo.db',
    'oslo.policy',
    'oslo.concurrency',
    'oslo.middleware',
    'oslo.service',
    'oslo.cache',
    'keystonemiddleware',
    'python-novaclient',
    'python-glanceclient',
    'python-neutronclient',
    'python-cinderclient',
    'openstacksdk',
    'osc-lib',
    'python-openstackclient',
    'SQLAlchemy',
    'alembic',
    'kombu',
    'eventlet',
    'futurist',
    'tooz',
    'castellan',
    'jsonpatch',
    'Babel',
    'pecan',
    'WSME',
    'paramiko',
    'cryptography',
    'psutil',
    'lxml',
    'msgpack',
)


def _filtered(
    source: Path, target: Path, *, drop: Sequence[str] = (), keep_only: Sequence[str] | None = None
) -> Path:
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
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(('PIP_', 'UV_')) and k != 'PYTHONPATH'
    }
    env['PIP_CONFIG_FILE'] = os.devnull
    if 'PIP_CERT' in os.environ:  # a proxy's CA, needed to reach the registry
        env['PIP_CERT'] = os.environ['PIP_CERT']
    env['UV_NO_CONFIG'] = '1'
    env['UV_PYTHON_DOWNLOADS'] = 'never'
    if cache is not None:
        env['UV_CACHE_DIR'] = str(cache)
    env.update(extra)
    return env


class Failed(Exception):
    def __init__(self, seconds: float, reason: str) -> None:
        super().__init__(reason)
        self.seconds = seconds
        self.reason = reason


def _timed(argv: Sequence[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.monotonic()
    done = subprocess.run(
        list(argv), capture_output=True, text=True, env=env, cwd=tempfile.gettempdir()
    )
    elapsed = time.monotonic() - start
    if done.returncode:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        reason = next(
            (line for line in lines if line.startswith('error:')),
            lines[-1] if lines else f'exit {done.returncode}',
        )
        raise Failed(elapsed, reason)
    return elapsed, done.stderr


#: A warm run that resolves anew (as when a page changed since).
ANEW = 'warm, --no-reuse'


def _size(place: Path) -> float:
    """Megabytes under ``place``."""
    from openstack_requirements.ops.constraints.resolvers.uv_env import directory_size

    return directory_size(place) / 1e6


def _ours(
    requirements: Path,
    pythons: Sequence[str],
    cache: Path,
    denylist: Path | None,
    tree: Path | None = None,
    extra: Sequence[str] = (),
) -> tuple[float, str]:
    """Ours; from the source tree ``tree`` (an earlier commit's) if
    given."""
    script = Path(sys.executable).parent / 'generate-constraints'
    argv = (
        [str(script)]
        if script.exists() and tree is None
        else [
            sys.executable,
            '-c',
            'import sys; from openstack_requirements.cli'
            '.app import generate_constraints as g; sys.exit(g())',
        ]
    )
    for python in pythons:
        argv += ['-p', python]
    argv += ['-r', str(requirements), '-v', *extra]  # -v: the pages read, said on stderr
    if denylist is not None:
        argv += ['-b', str(denylist)]
    if tree is not None:
        return _timed(argv, _env(cache, PYTHONPATH=str(tree)))
    return _timed(argv, _env(cache))


def _bare_uv(requirements: Path, python: str, cache: Path) -> float:
    from openstack_requirements.ops.constraints.resolvers.uv_env import uv_binary  # thread-safe

    argv = [
        uv_binary(),
        'pip',
        'compile',
        str(requirements),
        '--python-version',
        python,
        '--no-header',
        '--no-annotate',
        '--quiet',
        '--no-config',
        '--no-python-downloads',
    ]
    return _timed(argv, _env(cache))[0]


def _bare_uv_parallel(requirements: Path, pythons: Sequence[str], cache: Path) -> float:
    start = time.monotonic()
    with ThreadPoolExecutor(len(pythons)) as pool:
        futures = [pool.submit(_bare_uv, requirements, p, cache) for p in pythons]
        failures = []
        for future in futures:
            try:
                future.result()
            except Failed as err:
                failures.append(err)
    if failures:
        raise Failed(time.monotonic() - start, failures[0].reason)
    return time.monotonic() - start


def _reference(requirements: Path, interpreter: str) -> float:
    from tools import reference

    script = reference.script('generate-constraints')
    return _timed([str(script), '-p', interpreter, '-r', str(requirements)], _env())[0]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog='bench_constraints', description=__doc__.split('\n')[0])
    parser.add_argument(
        '-r', '--requirements', type=Path, default=ROOT / 'global-requirements.txt'
    )
    parser.add_argument('-b', '--denylist', type=Path, default=ROOT / 'denylist.txt')
    parser.add_argument('--pythons', default=','.join(data.PYTHONS))
    parser.add_argument(
        '--reference-python', default='python3.11', help='interpreter the reference installs with'
    )
    parser.add_argument(
        '--repeat', type=int, default=1, help='rounds of ours and bare uv, taking turns'
    )
    parser.add_argument(
        '--reference', action='store_true', help='also run the reference (minutes)'
    )
    parser.add_argument(
        '--reference-only', action='store_true', help='only the side-by-side with the reference'
    )
    parser.add_argument(
        '--reference-subset',
        action='store_true',
        help='run the reference on a small subset (a minute) '
        'instead of the list less the packages needing '
        'system libraries (minutes)',
    )
    parser.add_argument(
        '--baseline',
        type=Path,
        help='also ours from this source tree (an earlier '
        'commit, e.g. git archive REV | tar -x -C DIR), '
        'taking turns with ours',
    )
    parser.add_argument('--warm', type=int, default=1, help='warm runs after each cold one')
    parser.add_argument('--no-bare', action='store_true', help='leave bare uv out')
    args, _ = parser.parse_known_args(argv)  # other topics take other options
    pythons = args.pythons.split(',')
    rows: dict[tuple[str, str], list[float]] = {}
    notes: list[str] = []

    def row(what: str, inputs: str, seconds: float, extra: str = '') -> None:
        rows.setdefault((what, inputs), []).append(seconds)
        print(f'  {what:<46} {inputs:<26} {seconds:8.1f} s {extra}', file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix='bench-constraints-') as scratch:
        tmp = Path(scratch)
        full = _filtered(args.requirements, tmp / 'global.txt')
        fewer = _filtered(args.requirements, tmp / 'global-less.txt', drop=NEEDS_SYSTEM_LIBRARIES)
        count = sum(1 for _ in full.read_text().splitlines())
        label = f'g-r {count} reqs, py{"/".join(pythons)}'
        fewer_count = sum(1 for _ in fewer.read_text().splitlines())
        fewer_label = f'g-r less 6, {fewer_count} reqs'
        denylist = args.denylist if args.denylist.exists() else None
        if not args.reference_only:
            for round_ in range(max(1, args.repeat)):
                cache = tmp / f'ours-cache-{round_}'
                bare = tmp / f'bare-cache-{round_}'
                bare_fewer = tmp / f'bare-less-cache-{round_}'

                def ours(state: str, cache: Path = cache, tree: Path | None = None) -> None:
                    if tree is not None:
                        cache = cache.with_name(cache.name + '-baseline')
                    who = 'ours' if tree is None else 'baseline'
                    before = _size(cache) if cache.exists() else 0.0
                    extra = ['--no-reuse'] if state == ANEW else []
                    seconds, stderr = _ours(full, pythons, cache, denylist, tree, extra)
                    grown = _size(cache) - before
                    read = next(
                        (ln for ln in stderr.splitlines() if ln.startswith('index pages read')),
                        '',
                    )
                    if 'reusing the resolutions recorded' in stderr:
                        read += ' (recorded resolutions reused)'
                    row(
                        f'{who} generate-constraints, {state}',
                        label,
                        seconds,
                        f'cache +{grown:.0f} MB; {read}',
                    )
                    rows.setdefault((f'{who} cache growth MB, {state}', label), []).append(grown)
                    if tree is not None:
                        return
                    static = [
                        line.strip()
                        for line in stderr.splitlines()
                        if line.startswith('  ') and '==' in line
                    ]
                    if static and state == 'cold':
                        notes.append('resolved from static metadata: ' + ', '.join(static))

                def bare_uv(
                    state: str, cache: Path = bare, fewer_cache: Path = bare_fewer
                ) -> None:
                    before = _size(cache) if cache.exists() else 0.0
                    try:
                        seconds = _bare_uv_parallel(full, pythons, cache)
                        row(
                            f'bare uv pip compile x4 parallel, {state}',
                            label,
                            seconds,
                            f'cache +{_size(cache) - before:.0f} MB',
                        )
                    except Failed as err:
                        row(f'bare uv x4 parallel, {state}: FAILED', label, err.seconds)
                        notes.append(f'bare uv on the whole list, {state}: {err.reason}')
                    before = _size(fewer_cache) if fewer_cache.exists() else 0.0
                    seconds = _bare_uv_parallel(fewer, pythons, fewer_cache)
                    row(
                        f'bare uv pip compile x4 parallel, {state}',
                        fewer_label,
                        seconds,
                        f'cache +{_size(fewer_cache) - before:.0f} MB',
                    )

                # Whoever goes first meets the registry's cold caches:
                # the two take that turn in alternate rounds.
                others = []
                if args.baseline is not None:

                    def baseline(state: str) -> None:
                        ours(state, tree=args.baseline.resolve())

                    others.append(baseline)
                if not args.no_bare:
                    others.append(bare_uv)
                turns = (*others, ours) if round_ % 2 else (ours, *others)
                for state in ('cold', *['warm'] * max(1, args.warm)):
                    for turn in turns:
                        turn(state)
                ours(ANEW)  # what a warm run costs when a page has changed

        if args.reference or args.reference_only:
            if args.reference_subset:
                subset = _filtered(
                    args.requirements, tmp / 'subset.txt', keep_only=REFERENCE_SUBSET
                )
            else:
                subset = fewer
            interpreter = shutil.which(args.reference_python) or args.reference_python
            from openstack_requirements.ops.constraints.resolvers.base import interpreter_release

            version = interpreter_release(interpreter)
            size = sum(1 for _ in subset.read_text().splitlines())
            sub = f'{"subset" if args.reference_subset else "g-r less 6"} {size} reqs, py{version}'
            row('reference 1.2.0 generate-constraints', sub, _reference(subset, interpreter))
            small = tmp / 'ours-subset-cache'
            row('ours generate-constraints, cold', sub, _ours(subset, [version], small, None)[0])
            row('ours generate-constraints, warm', sub, _ours(subset, [version], small, None)[0])

    times = {key: min(runs) for key, runs in rows.items()}
    print(f'{"run":<46} {"input":<26} {"best":>8}  all runs')
    for (what, inputs), runs in rows.items():
        every = ', '.join(f'{r:.1f}' for r in runs)
        print(f'{what:<46} {inputs:<26} {min(runs):8.1f}  {every}')
    for note in notes:
        print(note)
    if not args.reference_only:
        ours_warm = times[('ours generate-constraints, warm', label)]
        ours_cold = times[('ours generate-constraints, cold', label)]
        grown = times[('ours cache growth MB, cold', label)]
        print(
            f'ours, whole list, {len(pythons)} Pythons: cold {ours_cold:.1f} s (target <= 25), '
            f'warm {ours_warm:.1f} s (target <= 3), cache +{grown:.0f} MB cold '
            '(target <= 300)'
        )
        for inputs in (label, fewer_label):
            uv_warm = times.get(('bare uv pip compile x4 parallel, warm', inputs))
            uv_cold = times.get(('bare uv pip compile x4 parallel, cold', inputs))
            if uv_warm and uv_cold:
                print(
                    f'ours (whole list) / bare uv ({inputs}): cold '
                    f'{ours_cold / uv_cold:.2f}x, warm {ours_warm / uv_warm:.2f}x'
                )
    if args.reference or args.reference_only:
        ref = times[('reference 1.2.0 generate-constraints', sub)]
        print(
            f'reference / ours on {sub}: '
            f'cold {ref / times[("ours generate-constraints, cold", sub)]:.1f}x, '
            f'warm {ref / times[("ours generate-constraints, warm", sub)]:.1f}x '
            '(target >= 20x)'
        )
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
