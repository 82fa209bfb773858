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
            [str(interpreter), '-m', 'pip', 'install', '--quiet',
             '--disable-pip-version-check',
             f'openstack-requirements=={VERSION}', 'setuptools<70'],
            capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError('cannot install the reference tools:\n'
                               + done.stderr[-2000:])
        marker.write_text(VERSION)
    return interpreter


def script(name: str) -> Path:
    """A console script of the reference (``generate-constraints``...)."""
    python()
    return venv_dir() / 'bin' / name


if __name__ == '__main__':
    print(python())
    sys.exit(0)
