"""Parse-and-render throughput over the 23,000-line corpus, and start-up time.

Side by side in one run, each parse alone and parse + render: this
toolkit's model (render: canonical form), bare
``packaging.requirements.Requirement`` (render: ``str()``), the reference
``openstack-requirements==1.2.0`` in its own venv and the reference HEAD's
``parse_line`` (render: ``to_line(sort_specifiers=True)``). HEAD is on no
release of the package registry: name a checkout of openstack/requirements
with OSR_REFERENCE_HEAD to include it (see ``tools/reference.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tools import reference

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / 'tests' / 'data' / 'requirement-lines.txt'
REPEAT = 5

# Each snippet reads the corpus, runs its loop REPEAT times and prints the
# best time as JSON; all run as separate processes for a fair comparison.
_OURS = """
import json, sys, time
from openstack_requirements.errors import ParseError
from openstack_requirements.model import canonical, parse_line
try:
    from openstack_requirements.cache import clear_all as clear_caches
except ImportError:  # a --baseline tree from before the one cache helper:
    # the same caches emptied, one by one
    try:
        from openstack_requirements.model.parsing import clear_caches as _model
    except ImportError:  # or from before the model was split
        from openstack_requirements.model.requirement import clear_caches as _model
    from openstack_requirements.model import versions as _versions
    def clear_caches():
        _model()
        for cached in (_versions.parse_version, _versions._implied,
                       _versions.normal_marker):
            cached.cache_clear()
lines = open(sys.argv[1], encoding='utf-8').read().splitlines()
def run(render):
    clear_caches()  # each run starts cold, as one run of a command does
    ok = 0
    for n, text in enumerate(lines, 1):
        try:
            line = parse_line(text, lineno=n)
        except ParseError:
            continue
        if render:
            canonical(line).text
        ok += 1
    return ok
"""

_PACKAGING = """
import json, sys, time
from packaging.requirements import InvalidRequirement, Requirement
lines = open(sys.argv[1], encoding='utf-8').read().splitlines()
def run(render):
    ok = 0
    for text in lines:
        body = text.split(' #', 1)[0].strip()
        if not body or body.startswith(('#', '-')):
            ok += 1
            continue
        try:
            req = Requirement(body)
        except InvalidRequirement:
            continue
        if render:
            str(req)
        ok += 1
    return ok
"""

# The reference's parse_line, imported from its venv (1.2.0) or from a file
# (HEAD, argv[3]); render is to_line with sorted specifiers.
_REFERENCE = """
import importlib.util, json, sys, time, warnings
warnings.simplefilter('ignore')
if len(sys.argv) > 3:
    spec = importlib.util.spec_from_file_location('reference_requirement', sys.argv[3])
    requirement = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(requirement)
else:
    from openstack_requirements import requirement
lines = open(sys.argv[1], encoding='utf-8').read().splitlines()
def run(render):
    ok = 0
    for text in lines:
        try:
            req = requirement.parse_line(text, permit_urls=True)
            if render:
                req.to_line(comment_prefix='  ', sort_specifiers=True)
            ok += 1
        except Exception:
            pass
    return ok
"""


# Appended to each snippet: best of argv[2] runs of its run(render), as JSON.
_BEST_OF = """
result = {}
for name, render in (('parse', False), ('render', True)):
    best = None
    for _ in range(int(sys.argv[2])):
        t = time.perf_counter(); ok = run(render); dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    result[name] = (ok, best)
print(json.dumps(result))
"""


def _run(
    python: str | Path, code: str, *extra: str, tree: Path | None = None
) -> dict[str, tuple[int, float]]:
    env = None if tree is None else {**os.environ, 'PYTHONPATH': str(tree)}
    done = subprocess.run(
        [str(python), '-c', code + _BEST_OF, str(CORPUS), str(REPEAT), *extra],
        capture_output=True,
        text=True,
        check=True,
        cwd='/',
        env=env,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _startup(command: list[str], runs: int = 15, env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _ours_and_baseline(
    tree: Path | None,
) -> tuple[dict[str, tuple[int, float]], dict[str, tuple[int, float]] | None]:
    """Ours, and ours from the source tree ``tree`` if given: two rounds
    taking turns, the best of each kept."""
    if tree is None:
        return _run(sys.executable, _OURS), None
    runs: dict[str, list[dict[str, tuple[int, float]]]] = {'ours': [], 'baseline': []}
    for round_ in range(2):
        turns = ('ours', 'baseline') if round_ % 2 == 0 else ('baseline', 'ours')
        for who in turns:
            runs[who].append(_run(sys.executable, _OURS, tree=tree if who == 'baseline' else None))

    def best(results: list[dict[str, tuple[int, float]]]) -> dict[str, tuple[int, float]]:
        return {name: min((r[name] for r in results), key=lambda x: x[1]) for name in results[0]}

    return best(runs['ours']), best(runs['baseline'])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog='bench.py parse')
    parser.add_argument(
        '--baseline',
        type=Path,
        help='also ours from this source tree (an earlier commit, '
        'e.g. git archive REV | tar -x -C DIR), taking turns '
        'with ours; give it as --baseline=DIR to tools/bench.py',
    )
    args, _ = parser.parse_known_args(argv)  # other topics take other options
    total = len(CORPUS.read_text(encoding='utf-8').splitlines())
    head, head_from = reference.head_requirement()
    ours, baseline = _ours_and_baseline(None if args.baseline is None else args.baseline.resolve())
    bare = _run(sys.executable, _PACKAGING)
    ref = _run(reference.python(), _REFERENCE)
    rows = [
        (f'reference {reference.VERSION} parse_line', ref['parse']),
        (f'reference {reference.VERSION} + to_line', ref['render']),
    ]
    if head is not None:
        try:
            at_head = _run(sys.executable, _REFERENCE, str(head))
        except subprocess.CalledProcessError as err:
            print(
                f'reference HEAD ({head_from}) did not run: '
                + (err.stderr.strip().splitlines() or ['?'])[-1]
            )
        else:
            rows += [
                ('reference HEAD parse_line', at_head['parse']),
                ('reference HEAD + to_line', at_head['render']),
            ]
    else:
        print(f'reference HEAD: not measured: {head_from}')
    rows += [
        ('packaging Requirement()', bare['parse']),
        ('packaging Requirement() + str()', bare['render']),
    ]
    if baseline is not None:
        rows += [
            ('baseline: parse_line', baseline['parse']),
            ('baseline: parse_line + canonical render', baseline['render']),
        ]
    rows += [
        ('ours: parse_line', ours['parse']),
        ('ours: parse_line + canonical render', ours['render']),
    ]
    # relative to the newest reference's parse alone
    base = dict(rows).get('reference HEAD parse_line', ref['parse'])
    ref_rate = total / base[1]
    print(f'corpus: {total} lines, best of {REPEAT} runs each')
    print(f'{"implementation":40} {"ok lines":>9} {"seconds":>8} {"lines/s":>9} {"x ref":>6}')
    for name, (ok, seconds) in rows:
        rate = total / seconds
        print(f'{name:40} {ok:9d} {seconds:8.3f} {rate:9.0f} {rate / ref_rate:6.2f}')
    script = shutil.which('openstack-requirements', path=str(Path(sys.executable).parent))
    if script:
        median = _startup([script, '--help'])
        classic = _startup([str(Path(script).parent / 'normalize-requirements'), '--help'])
        print(
            f'start-up, median of 15: openstack-requirements --help {median:.3f} s; '
            f'normalize-requirements --help {classic:.3f} s (target < 0.15 s)'
        )
    if args.baseline is not None:
        # the same way for both: python -c, the tree on PYTHONPATH or not
        command = [
            sys.executable,
            '-c',
            'import sys; from openstack_requirements.cli.app '
            'import main; sys.exit(main(["--help"]))',
        ]
        env = {**os.environ, 'PYTHONPATH': str(args.baseline.resolve())}
        mine = min(_startup(command), _startup(command))
        theirs = min(_startup(command, env=env), _startup(command, env=env))
        print(
            f'start-up, python -c main --help, median of 15 (best of 2): '
            f'ours {mine:.3f} s, baseline {theirs:.3f} s'
        )
    return 0


if __name__ == '__main__':
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
