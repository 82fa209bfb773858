"""The reference tools, ``openstack-requirements==1.2.0``, in a venv of their own.

Used by the benchmarks and the differential tests. The venv is built once
(from the package registry) and kept under ~/.cache; set OSR_REFERENCE_VENV
to use another place.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

VERSION = '1.2.0'


def venv_dir() -> Path:
    default = Path.home() / '.cache' / 'openstack-requirements' / f'reference-{VERSION}'
    return Path(os.environ.get('OSR_REFERENCE_VENV', default))


def python() -> Path:
    """The interpreter of the reference venv, building it if needed."""
    place = venv_dir()
    interpreter = place / 'bin' / 'python'
    marker = place / '.complete'
    if not marker.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(place)
        done = subprocess.run(
            [
                str(interpreter),
                '-m',
                'pip',
                'install',
                '--quiet',
                '--disable-pip-version-check',
                f'openstack-requirements=={VERSION}',
                'setuptools<70',
            ],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError('cannot install the reference tools:\n' + done.stderr[-2000:])
        marker.write_text(VERSION)
    return interpreter


def head_requirement() -> tuple[Path | None, str]:
    """The reference HEAD's ``openstack_requirements/requirement.py``, and
    where it came from (or why there is none).

    Taken from a checkout of openstack/requirements named by
    OSR_REFERENCE_HEAD (the checkout or the file itself), else from the
    newest release on the package registry when it is newer than
    :data:`VERSION` (downloaded once into ~/.cache). Nothing of it is kept
    in this repository.
    """
    given = os.environ.get('OSR_REFERENCE_HEAD')
    if given:
        path = Path(given)
        if path.is_dir():
            path = path / 'openstack_requirements' / 'requirement.py'
        if not path.is_file():
            return None, f'OSR_REFERENCE_HEAD={given}: no requirement.py there'
        return path, f'OSR_REFERENCE_HEAD ({path})'
    cache = venv_dir().parent / 'reference-head'
    done = subprocess.run(
        [
            sys.executable,
            '-m',
            'pip',
            'download',
            '--quiet',
            '--no-deps',
            '--no-binary',
            ':all:',
            '--disable-pip-version-check',
            '-d',
            str(cache),
            'openstack-requirements',
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        return None, 'the package registry did not answer: ' + (
            done.stderr.strip().splitlines() or ['?']
        )[-1]
    newest = max(
        cache.glob('openstack_requirements-*.tar.gz'),
        key=lambda p: [int(x) for x in _version_of(p).split('.') if x.isdigit()],
    )
    version = _version_of(newest)
    if version == VERSION:
        return None, (
            f'the newest release on the package registry is '
            f'{VERSION}: no release holds HEAD (set '
            'OSR_REFERENCE_HEAD to a checkout of openstack/requirements)'
        )
    target = cache / version / 'requirement.py'
    if not target.exists():
        import tarfile

        with tarfile.open(newest) as archive:
            member = next(
                m
                for m in archive.getmembers()
                if m.name.endswith('/openstack_requirements/requirement.py')
            )
            source = archive.extractfile(member)
            assert source is not None
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read())
    return target, f'openstack-requirements=={version} from the package registry'


def _version_of(sdist: Path) -> str:
    return sdist.name[len('openstack_requirements-') : -len('.tar.gz')]


def script(name: str) -> Path:
    """A console script of the reference (``generate-constraints``...)."""
    python()
    return venv_dir() / 'bin' / name


if __name__ == '__main__':
    print(python())
    sys.exit(0)
