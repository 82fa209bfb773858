"""generate-constraints against a hostile index, at full size: ``tox -e hostile``.

The default test run serves each misbehaviour small, against small limits
(tests/ops/test_index_hostile.py, tests/cli/test_generate_hostile.py);
this serves the big ones from 127.0.0.1 and measures, for each, the peak
memory (resident set) of openstack-requirements itself and of the uv
processes it ran, the time, the exit status and the last line of stderr:

* ``page-4g``: a required package's index page, 4 MB of gzip inflating
  to 4 GiB;
* ``pkg-info-2g``: an sdist-only release whose PKG-INFO is 2 GiB (an older
  release has a wheel);
* ``sdist-8g``: an sdist-only release inflating to 8 GiB before its
  PKG-INFO;
* ``zip-4g``: a zip sdist whose PKG-INFO inflates to 4 GiB;
* ``metadata-4g``: reading a wheel's name from a METADATA inflating to
  4 GiB (the reader alone: uv reads that wheel itself);
* ``no-range-500m``: a 500 MB wheel and a 500 MB sdist from a server that
  ignores Range requests (the reader alone): bytes downloaded;
* ``json-16m``: a required package's JSON page just under the page limit,
  as dense in values as the limit on them lets it be;
* ``many-files``: 16 required packages whose pages list 50,000 files
  each (the most a page may list);
* ``drip``: a required package's page sent a byte every 5 s, under
  ``--timeout 30``: when the run ends;
* ``normal``: a small clean index, for comparison.

``python tools/hostile.py [SCENARIO ...]`` (default: all). Figures are
printed, never asserted. Bombs are written once into ``--work DIR``
(default: a temporary directory), a few tens of MB in all.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GIB = 1 << 30
SCENARIOS = (
    'normal',
    'page-4g',
    'pkg-info-2g',
    'sdist-8g',
    'zip-4g',
    'metadata-4g',
    'no-range-500m',
    'json-16m',
    'many-files',
    'drip',
)


def _child(argv: list[str]) -> int:
    """Run the command in this process; write its peak memory (ours, and
    the largest of the children's) to the file OSR_HOSTILE_REPORT names."""
    code = 0
    try:
        if argv[0] == 'reader':
            code = _reader(argv[1:])
        else:
            from openstack_requirements.cli.app import main

            code = main(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        Path(os.environ['OSR_HOSTILE_REPORT']).write_text(
            json.dumps({'rss': own * 1024, 'children': children * 1024, 'code': code})
        )
    return code


def _reader(argv: list[str]) -> int:
    """``reader wheel-name URL`` or ``reader sdist INDEX NAME``: the index
    reader alone; prints what it read and the bytes downloaded."""
    from openstack_requirements.ops.constraints.metadata.bounds import MetadataError
    from openstack_requirements.ops.constraints.metadata.index import Index

    if argv[0] == 'wheel-name':
        index = Index(None)
        name = index.wheel_name(argv[1])
        print(f'name {name!r}; {index.bytes_read} bytes downloaded', file=sys.stderr)
        return 0
    index = Index(argv[1])
    (sdist,) = [f for f in index.files(argv[2]) if f.is_sdist]
    try:
        found = index.metadata(sdist)
        print(f'read {found.requires_dist}', file=sys.stderr)
    except MetadataError as err:
        print(str(err), file=sys.stderr)
    print(f'{index.bytes_read} bytes downloaded', file=sys.stderr)
    return 0


def _bombs(work: Path) -> dict[str, Path]:
    from tests import bombs

    work.mkdir(parents=True, exist_ok=True)
    made = {
        'page-4g': work / 'page-4g.html.gz',
        'pkg-info-2g': work / 'pkginfo-2.0.tar.gz',
        'sdist-8g': work / 'gzbomb-2.0.tar.gz',
        'zip-4g': work / 'zipbomb-2.0.zip',
        'metadata-4g': work / 'metabomb-1.0-py3-none-any.whl',
    }
    for key, path in made.items():
        if path.exists():
            continue
        start = time.monotonic()
        partial = path.with_name(path.name + '.part')
        if key == 'page-4g':
            partial.write_bytes(bombs.gzip_zeros(4 * GIB, b'<html><body>'))
        elif key == 'pkg-info-2g':
            bombs.tar_gz(
                partial,
                'pkginfo',
                '2.0',
                pkg_info=(b'Metadata-Version: 2.1\nName: pkginfo\nVersion: 2.0\nDescription: '),
                pkg_info_zeros=2 * GIB,
            )
        elif key == 'sdist-8g':
            bombs.tar_gz(partial, 'gzbomb', '2.0', zeros_before=8 * GIB)
        elif key == 'zip-4g':
            _zip_sdist(partial, 'zipbomb', '2.0', 4 * GIB)
        else:
            bombs.wheel(partial, 'metabomb', '1.0', metadata_zeros=4 * GIB)
        partial.rename(path)
        print(
            f'  wrote {path.name}: {path.stat().st_size / 1e6:.1f} MB in '
            f'{time.monotonic() - start:.0f} s',
            flush=True,
        )
    return made


def _zip_sdist(path: Path, name: str, version: str, zeros: int) -> None:
    import zipfile

    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        with archive.open(f'{name}-{version}/PKG-INFO', 'w', force_zip64=True) as handle:
            handle.write(
                f'Metadata-Version: 1.1\nName: {name}\nVersion: {version}\nDescription: '.encode()
            )
            block = bytes(1 << 20)
            for _ in range(zeros >> 20):
                handle.write(block)


def _run(
    argv: list[str], work: Path, environ: dict[str, str]
) -> tuple[float, dict[str, int], str]:
    report = work / 'report.json'
    report.unlink(missing_ok=True)
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, __file__, '--child', *argv],
        env={**environ, 'OSR_HOSTILE_REPORT': str(report)},
        capture_output=True,
        text=True,
        timeout=3600,
    )
    elapsed = time.monotonic() - start
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    try:
        figures = json.loads(report.read_text())
    except (OSError, ValueError):
        figures = {'rss': 0, 'children': 0, 'code': done.returncode}
    return elapsed, figures, lines[-1] if lines else ''


def _scenario(
    name: str, made: dict[str, Path], work: Path, environ: dict[str, str]
) -> tuple[float, dict[str, int], str]:
    from tests import hostile_index, resolver_index
    from tests.hostile_index import Route

    wheels = work / 'wheels'
    reqs = work / 'global.txt'
    with hostile_index.serve() as served:

        def wheel(project: str, version: str, *requires: str) -> None:
            hostile_index.project(
                served, project, [hostile_index.wheel_bytes(wheels, project, version, requires)]
            )

        wheel('beta', '1.0')
        required = 'beta'
        if name == 'page-4g':
            served.add(
                '/simple/pagebomb/',
                Route(
                    path=made['page-4g'],
                    headers={'Content-Type': 'text/html', 'Content-Encoding': 'gzip'},
                ),
            )
            required = 'pagebomb'
        elif name in ('pkg-info-2g', 'sdist-8g', 'zip-4g'):
            required = {'pkg-info-2g': 'pkginfo', 'sdist-8g': 'gzbomb', 'zip-4g': 'zipbomb'}[name]
            hostile_index.project(
                served,
                required,
                [
                    (made[name].name, made[name]),
                    hostile_index.wheel_bytes(wheels, required, '1.0', ['beta']),
                ],
            )
        elif name == 'drip':
            served.page('drip', 'x' * 100000, drip=5)
            required = 'drip'
        elif name == 'json-16m':
            item = b'{"filename":"j-0.tar.gz","url":"/x","hashes":{},"yanked":false},'
            count = min((16 << 20) // len(item) - 1, 1_000_000 // 11)
            served.add(
                '/simple/jsonpage/',
                Route(
                    b'{"files":[' + item * count + item[:-1] + b']}',
                    headers={'Content-Type': 'application/vnd.pypi.simple.v1+json'},
                ),
            )
            required = 'jsonpage'
        elif name == 'many-files':
            names = [f'many{n}' for n in range(16)]
            for project in names:
                served.page(
                    project,
                    ''.join(f'<a href="/f/{project}-1.{v}.tar.gz">x</a>' for v in range(50_000)),
                )
            required = '\n'.join(names)
        elif name == 'metadata-4g':
            served.add('/files/metabomb.whl', Route(path=made['metadata-4g']))
            return _run(
                ['reader', 'wheel-name', f'{served.url}/files/metabomb.whl'], work, environ
            )
        elif name == 'no-range-500m':
            size = 500 * (1 << 20)
            served.add(
                '/files/big-1.0-py3-none-any.whl',
                Route(stream=hostile_index.zeros(size), length=size, ranges=False),
            )
            served.add(
                '/files/big-1.0.tar.gz',
                Route(stream=hostile_index.zeros(size), length=size, ranges=False),
            )
            served.page('big', '<a href="/files/big-1.0.tar.gz">big-1.0.tar.gz</a>')
            first = _run(
                ['reader', 'wheel-name', f'{served.url}/files/big-1.0-py3-none-any.whl'],
                work,
                environ,
            )
            second = _run(['reader', 'sdist', served.index, 'big'], work, environ)
            sent = served.sent('/files/big-1.0-py3-none-any.whl') + served.sent(
                '/files/big-1.0.tar.gz'
            )
            return (
                first[0] + second[0],
                {k: max(first[1][k], second[1][k]) for k in first[1]},
                f'wheel: {first[2]}; sdist: {second[2]}; the server sent '
                f'{sent / 1e6:.1f} MB of 1000',
            )
        resolver_index.write_requirements(reqs, required.split('\n'))
        timeout = '30' if name == 'drip' else '900'
        return _run(
            [
                'generate-constraints',
                '-r',
                str(reqs),
                '-p',
                '3.12',
                '--index-url',
                served.index,
                '--timeout',
                timeout,
            ],
            work,
            environ,
        )


def main(argv: list[str]) -> int:
    if argv[:1] == ['--child']:
        return _child(argv[1:])
    parser = argparse.ArgumentParser(prog='hostile', description=__doc__.split('\n')[0])
    parser.add_argument(
        'scenarios',
        nargs='*',
        metavar='SCENARIO',
        help=f'one of {", ".join(SCENARIOS)} (default: all)',
    )
    parser.add_argument('--work', type=Path, help='where the bombs are kept')
    args = parser.parse_args(argv)
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f'unknown scenario {", ".join(sorted(unknown))}')
    chosen = args.scenarios or list(SCENARIOS)
    work = args.work or Path(tempfile.mkdtemp(prefix='osr-hostile-'))
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(('PIP_', 'UV_'))
        and k.lower() not in ('http_proxy', 'https_proxy', 'all_proxy', 'no_proxy')
    }
    environ['UV_CACHE_DIR'] = str(work / 'uv-cache')
    print('writing the bombs...', flush=True)
    made = _bombs(work / 'bombs')
    print(
        f'{"scenario":<15} {"exit":>4} {"time s":>7} {"ours MB":>8} '
        f'{"uv MB":>7}  last line of stderr'
    )
    for name in chosen:
        shutil.rmtree(work / 'uv-cache', ignore_errors=True)
        elapsed, figures, last = _scenario(name, made, work, environ)
        print(
            f'{name:<15} {figures["code"]:>4} {elapsed:>7.1f} '
            f'{figures["rss"] / 1e6:>8.1f} {figures["children"] / 1e6:>7.1f}  '
            f'{last[:160]}',
            flush=True,
        )
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
