"""Render ``health -f html`` in a real headless browser and save a
screenshot: ``tox -e browser`` (opt-in; needs Debian's ``chromium``:
``apt-get install chromium``).

The report is made against the test index of ``tests/health_index.py``
on 127.0.0.1 (no network); the page is loaded from a file with the
browser's networking off. ``--output FILE`` (default
``health-report.png``) is where the screenshot goes; the page is kept
beside it (``.html``). Exit 1 if no browser is found or it saves nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BROWSERS = ('chromium', 'chromium-browser', 'google-chrome')
FLAGS = (
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-default-apps',
    '--disable-sync',
    '--no-first-run',
    '--hide-scrollbars',
    '--window-size=1400,900',
)


def report(directory: Path) -> str:
    sys.path.insert(0, str(ROOT))
    from openstack_requirements.cli.app import RequirementsApp
    from tests import health_index

    (directory / 'global-requirements.txt').write_text(
        'fresh  # MIT\nyanked  # MIT\nold  # MIT\nmajor  # BSD\nstale!=0.5,>=1.0  # MIT\n'
    )
    (directory / 'upper-constraints.txt').write_text(
        'fresh===2.0\nyanked===1.0\nold===1.0\nmajor===1.0\nstale===1.0\n'
    )
    os.environ['XDG_CACHE_HOME'] = str(directory / 'cache')
    with health_index.serve() as index:
        index.add(health_index.Project('fresh')).release('2.0', 10)
        index.add(health_index.Project('yanked')).release('1.0', 90, yanked='broken')
        index.add(health_index.Project('old')).release('1.0', 3 * 365)
        index.add(health_index.Project('major')).release('1.0', 90).release('2.0', 9)
        index.add(health_index.Project('stale')).release('1.0', 9)
        out = directory / 'page.html'
        app = RequirementsApp()
        with out.open('w') as handle:
            app.stdout = handle
            argv = [
                'health',
                '--source',
                str(directory),
                '--index-url',
                index.url,
                '--all',
                '-f',
                'html',
            ]
            sys.argv = ['openstack-requirements', *argv]  # the page shows it
            app.run(argv)
    return str(out)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog='html_screenshot')
    parser.add_argument('--output', default='health-report.png')
    args = parser.parse_args(argv)
    browser = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    if browser is None:
        print('no headless browser: apt-get install chromium', file=sys.stderr)
        return 1
    target = Path(args.output).absolute()
    with tempfile.TemporaryDirectory() as tmp:
        page = report(Path(tmp))
        shutil.copy(page, target.with_suffix('.html'))
        target.unlink(missing_ok=True)
        subprocess.run(
            [browser, *FLAGS, f'--screenshot={target}', Path(page).as_uri()],
            check=False,
            timeout=120,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    if not target.is_file() or target.stat().st_size == 0:
        print(f'{browser} saved no screenshot', file=sys.stderr)
        return 1
    print(f'{target} ({target.stat().st_size} bytes)')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
