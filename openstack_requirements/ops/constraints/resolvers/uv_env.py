"""Where and how uv runs: its executable, its environment (kept from the
user's uv configuration and interpreter variables) and its cache."""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

from openstack_requirements.cache import bounded
from openstack_requirements.errors import RequirementsError
from openstack_requirements.ops.constraints.resolvers.base import (
    ResolverOptions,
    clean_environment,
)

#: The user's uv variables that are kept: where the cache is.
_KEEP = ('UV_CACHE_DIR',)
#: Other variables that would steer uv or the interpreter it runs.
_DROP = (
    'UV_',
    'VIRTUAL_ENV',
    'CONDA_PREFIX',
    'PYTHONPATH',
    'PYTHONHOME',
    'PYTHONUSERBASE',
    'PYTHONSTARTUP',
)

#: The index uv uses when none is given.
PYPI = 'https://pypi.org/simple'

_FIND_LOCK = threading.Lock()


def uv_binary() -> str:
    """The uv executable. Found once, under a lock: finding it reads
    sysconfig, which is not thread-safe, and resolutions run in threads."""
    with _FIND_LOCK:
        return _find_uv_binary()


@bounded(1)
def _find_uv_binary() -> str:
    try:
        from uv import find_uv_bin
    except ImportError:  # pragma: no cover - uv is a dependency
        raise RequirementsError('the uv resolver needs the uv package (pip install uv)') from None
    try:
        return str(find_uv_bin())
    except FileNotFoundError as err:  # pragma: no cover
        raise RequirementsError(f'uv: {err}') from None


def environment(options: ResolverOptions, scratch: Path | None = None) -> dict[str, str]:
    """uv's environment; with ``scratch``, its temporary files (build
    locks) go there."""
    extra = {'UV_NO_CONFIG': '1', 'UV_PYTHON_DOWNLOADS': 'never', 'PYTHONNOUSERSITE': '1'}
    left = options.remaining()
    if left is not None:
        extra['UV_HTTP_TIMEOUT'] = str(max(1, int(left)))
    if scratch is not None:
        temporary = scratch / 'tmp'
        temporary.mkdir(mode=0o700, exist_ok=True)
        extra['TMPDIR'] = str(temporary)
    return clean_environment(_DROP, keep=_KEEP, **extra)


def cache_dir(options: ResolverOptions) -> Path | None:
    """uv's cache directory for these runs (``UV_CACHE_DIR`` or uv's
    default)."""
    if os.environ.get('UV_CACHE_DIR'):
        return Path(os.environ['UV_CACHE_DIR'])
    left = options.remaining()
    try:
        done = subprocess.run(
            [uv_binary(), 'cache', 'dir', '--no-config'],
            capture_output=True,
            text=True,
            timeout=30 if left is None else min(30, max(1, left)),
            env=environment(options),
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = done.stdout.strip()
    return Path(found) if done.returncode == 0 and found else None


def directory_size(place: Path | None) -> int:
    if place is None:
        return 0
    total = 0
    for root, _, names in os.walk(place):
        for name in names:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total
