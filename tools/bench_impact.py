"""impact on generated project trees: wall time, and how it grows.

For 54, 108, 216 (OpenStack's count) and 432 generated trees (as
tools/bench_update.py makes them: requirements*.txt, setup.cfg extras,
pyproject.toml, 90 packages each from the global list; here a tenth of
the lines also carry a cap), arranged under a root as ``projects.txt``
lists them, one ``openstack-requirements impact`` run, the shipped data
as base and a proposed copy with one change of each kind: a minimum
raised, the pinned version of a package excluded, a constraint bumped
beyond some projects' caps, a package in use denylisted (removed from the
global list and the constraints), a package added and one removed. Each
package changed is among the most used of the trees. The best of a few
runs, each a fresh process; the 216 figure is the one to keep under 2 s.

Then, on the 216 trees, changes of one package each: the exclusion
clean-up that broke the requirements-check job of several projects in
2024 (the exclusions of the most used package having some dropped from
its global line, while a tenth of the lines carry their package's global
exclusions, as trove carries oslo.serialization's ``!=2.19.1``), and a
constraint bump. For each: the wall time of a run (best of a few, each a
fresh process) and the time of its gate part alone (the job's checks of
every project touched, with both versions of the data; in process, the
projects read beforehand). Goal: the gate part under 2 s. The bump is
run again with its release served by an index on 127.0.0.1 (its wheel's
metadata file, PEP 658), to see what reading it adds and that it is the
only release read. Every other run reads no index (``--no-index``).
"""

from __future__ import annotations

import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import DATA  # noqa: E402
from tests.resolver_index import make_wheel, serve_simple_index  # noqa: E402
from tools.bench_update import _compile, _generate  # noqa: E402

COUNTS = (54, 108, 216, 432)
REPEAT = 5


def _command() -> list[str]:
    script = Path(sys.executable).parent / 'openstack-requirements'
    if script.exists():
        return [str(script)]
    return [
        sys.executable,
        '-c',
        'import sys; from openstack_requirements.cli.app import main; sys.exit(main())',
    ]


def _cap(roots: list[Path]) -> None:
    """A cap on a tenth of the requirement lines: ``<`` the next major
    version of the minimum."""
    rng = random.Random(5)
    line_re = re.compile(r'^(\S+?)>=(\d+)\.(\d+)\.0', re.MULTILINE)
    for root in roots:
        path = root / 'requirements.txt'

        def capped(match: re.Match[str]) -> str:
            if rng.random() >= 0.1:
                return match.group(0)
            return f'{match.group(0)},<{int(match.group(2)) + 1}'

        path.write_text(line_re.sub(capped, path.read_text()))


def _carry(roots: list[Path], data: Path) -> None:
    """A tenth of the requirement lines (after the caps) carry their
    package's global exclusions."""
    rng = random.Random(7)
    exclusions = {}
    for line in (data / 'global-requirements.txt').read_text().splitlines():
        match = re.match(r'([A-Za-z0-9][A-Za-z0-9._-]*)((?:,?!=[^,;\s]+)+)', line)
        if match:
            exclusions[match.group(1).lower()] = match.group(2).lstrip(',')
    line_re = re.compile(r'^(\S+?)(>=\d+\.\d+\.0)', re.MULTILINE)
    for root in roots:
        path = root / 'requirements.txt'

        def carried(match: re.Match[str]) -> str:
            extra = exclusions.get(match.group(1).lower())
            if extra is None or rng.random() >= 0.1:
                return match.group(0)
            return f'{match.group(0)},{extra}'

        path.write_text(line_re.sub(carried, path.read_text()))


def _most_used(roots: list[Path]) -> list[str]:
    counts: Counter[str] = Counter()
    for root in roots:
        for line in (root / 'requirements.txt').read_text().splitlines():
            name = re.split(r'[<>=!;\s\[]', line, maxsplit=1)[0]
            if name and not name.startswith('#'):
                counts[name] += 1
    return [name for name, _ in counts.most_common()]


def _replace_line(path: Path, name: str, make: object) -> str:
    """Replace the line of ``name`` in ``path`` by ``make(line)``; the
    line it was."""
    lines = path.read_text().splitlines(keepends=True)
    for index, line in enumerate(lines):
        if re.match(rf'{re.escape(name)}(?=[<>=!;\s\[]|$)', line, re.IGNORECASE):
            old = lines[index]
            lines[index] = make(old)  # type: ignore[operator]
            path.write_text(''.join(lines))
            return old
    raise LookupError(f'{name} not in {path}')


def _add_specifier(line: str, spec: str, first: bool) -> str:
    """A global line with ``spec`` added to its specifiers."""
    body, hash_, comment = line.rstrip('\n').partition('  #')
    requirement, semi, marker = body.partition(';')
    match = re.match(r'[A-Za-z0-9._-]+(\[[^\]]*\])?', requirement)
    assert match is not None
    name, specs = requirement[: match.end()], requirement[match.end() :]
    specs = ','.join(filter(None, [spec, specs] if first else [specs, spec]))
    return f'{name}{specs}{semi}{marker}{hash_}{comment}\n'


def _propose(base: Path, place: Path, used: list[str]) -> list[str]:
    """A copy of ``base`` with one change of each kind; what they are."""
    shutil.copytree(base, place)
    global_path = place / 'global-requirements.txt'
    upper_path = place / 'upper-constraints.txt'
    done = []
    picks = iter(used)

    def pinned(name: str) -> str | None:
        for line in upper_path.read_text().splitlines():
            if line.split('===')[0].lower() == name.lower():
                return line.split('===')[1].split(';')[0]
        return None

    for kind in ('minimum', 'exclusion', 'bump', 'denylist', 'remove'):
        name = next(picks)
        while pinned(name) is None:
            name = next(picks)
        version = pinned(name)
        if kind == 'minimum':
            _replace_line(
                global_path, name, lambda line, v=version: _add_specifier(line, f'>={v}', True)
            )
        elif kind == 'exclusion':
            _replace_line(
                global_path, name, lambda line, v=version: _add_specifier(line, f'!={v}', False)
            )
        elif kind == 'bump':
            _replace_line(
                upper_path,
                name,
                lambda line: re.sub(
                    r'===(\d+)', lambda m: f'==={int(m.group(1)) + 10}', line, count=1
                ),
            )
        elif kind == 'denylist':
            _replace_line(global_path, name, lambda line: '')
            _replace_line(upper_path, name, lambda line: '')
            with (place / 'denylist.txt').open('a') as handle:
                handle.write(f'{name}\n')
        elif kind == 'remove':
            _replace_line(global_path, name, lambda line: '')
        done.append(f'{kind}: {name}')
    with global_path.open('a') as handle:
        handle.write('brand-new-package>=1.0  # MIT\n')
    done.append('add: brand-new-package')
    return done


def _one_change(base: Path, place: Path, kind: str, used: list[str]) -> tuple[str, str, str]:
    """A copy of ``base`` with one change of ``kind``: what it is, and the
    package and version it pins anew (``''`` for none)."""
    shutil.copytree(base, place)
    global_path = place / 'global-requirements.txt'
    upper_path = place / 'upper-constraints.txt'
    text = global_path.read_text()
    for name in used:
        if kind == 'clean-up':
            match = re.search(
                rf'^{re.escape(name)}((?:,?!=[^,;\s]+)+)', text, re.MULTILINE | re.IGNORECASE
            )
            if match:
                _replace_line(
                    global_path, name, lambda line, m=match: line.replace(m.group(1), '', 1)
                )
                return f'clean-up: {match.group(0)} -> {name}', '', ''
        elif kind == 'bump':
            found = re.search(
                rf'^{re.escape(name)}===(\d+)(\S*)',
                upper_path.read_text(),
                re.MULTILINE | re.IGNORECASE,
            )
            if found:
                version = f'{int(found.group(1)) + 1}{found.group(2)}'
                _replace_line(
                    upper_path,
                    name,
                    lambda line, v=version: re.sub(r'===\S+', f'==={v}', line, count=1),
                )
                return f'bump: {name} {version}', name, version
    raise LookupError(kind)


def _gate_seconds(base: Path, proposed: Path, listed: Path, src: Path) -> float:
    """The gate part of impact, in process: best of :data:`REPEAT`."""
    from openstack_requirements.ops.reports import impact, usage

    before = impact.Snapshot.from_directory(base)
    after = impact.Snapshot.from_directory(proposed)
    keys = {c.key for c in impact.compare(before, after)}
    index = usage.declarations(usage.select(projects_file=listed, root=src).found)
    best = float('inf')
    for _ in range(REPEAT):
        start = time.perf_counter()
        impact.judge(before, after, index, keys, 'master')
        best = min(best, time.perf_counter() - start)
    return best


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(command: list[str]) -> tuple[float, float, str, str]:
    cpu = _cpu()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1) or not done.stdout.startswith('['):
        raise RuntimeError(f'impact failed:\n{done.stderr[-2000:]}')
    return wall, _cpu() - cpu, done.stdout, done.stderr.strip()


def main(argv: list[str]) -> int:
    _compile()
    command = _command()
    data = DATA / 'openstack-2026-08-22'
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        roots = _generate(max(COUNTS), work / 'src' / 'openstack', data)
        _cap(roots)
        _carry(roots, data)
        used = _most_used(roots)
        changes = _propose(data, work / 'proposed', used)
        print('changes: ' + '; '.join(changes))
        for count in COUNTS:
            listed = work / f'projects-{count}.txt'
            listed.write_text(''.join(f'openstack/{root.name}\n' for root in roots[:count]))
            argv_ = [
                *command,
                'impact',
                '--base',
                str(data),
                '--source',
                str(work / 'proposed'),
                '--projects',
                str(listed),
                '--root',
                str(work / 'src'),
                '-f',
                'json',
                '--no-index',
            ]
            runs = [_run(argv_) for _ in range(REPEAT)]
            wall = min(r[0] for r in runs)
            cpu = min(r[1] for r in runs)
            report = json.loads(runs[0][2])
            summary = runs[0][3].splitlines()[-1].split(': ', 1)[1]
            rows.append(
                (
                    str(count),
                    f'{wall:.3f}',
                    f'{cpu:.3f}',
                    f'{wall / count * 1000:.1f}',
                    str(len(report)),
                    summary,
                )
            )
        ones = []
        listed = work / 'projects-216.txt'
        for kind in ('clean-up', 'bump'):
            place = work / f'proposed-{kind}'
            what, name, version = _one_change(data, place, kind, used)
            argv_ = [
                *command,
                'impact',
                '--base',
                str(data),
                '--source',
                str(place),
                '--projects',
                str(listed),
                '--root',
                str(work / 'src'),
                '-f',
                'json',
            ]
            runs = [_run([*argv_, '--no-index']) for _ in range(REPEAT)]
            gate = _gate_seconds(data, place, listed, work / 'src')
            summary = runs[0][3].splitlines()[-1].split(': ', 1)[1]
            ones.append((what, f'{min(r[0] for r in runs):.3f}', f'{gate:.3f}', '', summary))
            if not name:
                continue
            # the same, its release read from an index on 127.0.0.1
            make_wheel(work / 'index', name, version, None, ('pbr>=2.0',))
            with serve_simple_index(work / 'index', core_metadata=True) as served:
                runs = [_run([*argv_, '--index-url', served.url]) for _ in range(REPEAT)]
                asked = len(served.ours) // REPEAT
            summary = runs[0][3].splitlines()[-1].split(': ', 1)[1]
            ones.append(
                (
                    f'{what}, read from an index',
                    f'{min(r[0] for r in runs):.3f}',
                    f'{gate:.3f}',
                    str(asked),
                    summary,
                )
            )
    _table(('projects', 'wall s', 'cpu s', 'ms/project', 'rows', 'summary'), rows)
    print(f'(best of {REPEAT} runs, each a fresh process, -f json)')
    print()
    _table(('216 projects, one package', 'wall s', 'gate s', 'requests', 'summary'), ones)
    print(
        f'(wall: best of {REPEAT} runs, each a fresh process, --no-index '
        'unless read from an index; gate: the gate part in process, best of '
        'as many; requests: what one run asked the index)'
    )
    return 0


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        print('  '.join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
