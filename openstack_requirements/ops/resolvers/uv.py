"""The ``uv`` resolver: ``uv pip compile`` for a target Python version.

uv resolves for any ``--python-version`` without an interpreter of that
version, so every target resolves on one machine. uv is kept from its user
configuration (``--no-config``, no ``UV_*`` variables but the cache
location) and from downloading interpreters; it reads only the settings
this module writes for the run (:func:`config`).
"""

from __future__ import annotations

import functools
import json
import tempfile
import threading
from pathlib import Path

from openstack_requirements.errors import RequirementsError
from openstack_requirements.ops.constraints import Pin
from openstack_requirements.ops.resolvers.base import (
    ResolutionError,
    Resolver,
    ResolverOptions,
    Target,
    clean_environment,
)

#: The user's uv variables that are kept: where the cache is.
_KEEP = ('UV_CACHE_DIR',)

#: The index uv uses when none is given.
PYPI = 'https://pypi.org/simple'


_FIND_LOCK = threading.Lock()


def uv_binary() -> str:
    """The uv executable. Found once, under a lock: finding it reads
    sysconfig, which is not thread-safe, and resolutions run in threads."""
    with _FIND_LOCK:
        return _find_uv_binary()


@functools.lru_cache(maxsize=1)
def _find_uv_binary() -> str:
    try:
        from uv import find_uv_bin
    except ImportError:  # pragma: no cover - uv is a dependency
        raise RequirementsError(
            'the uv resolver needs the uv package (pip install uv)') from None
    try:
        return str(find_uv_bin())
    except FileNotFoundError as err:  # pragma: no cover
        raise RequirementsError(f'uv: {err}') from None


def config(options: ResolverOptions) -> str | None:
    """The ``uv.toml`` a resolution runs with, or None when it uses no index.

    It names the index (``--index-url``, else PyPI) and lets uv keep the
    index's distribution files once read. A file on an index never changes
    (a new release is a new file), but an index or mirror that sends no
    caching headers makes uv ask for every wheel again, each run and each
    Python, to read metadata it already holds: most of a warm run's time.
    The index's pages are still asked for every time, so a release made a
    second ago is seen.
    """
    if options.no_index:
        return None
    url = options.index_url or PYPI
    return ('[[index]]\n'
            f'url = {json.dumps(url)}\n'
            'default = true\n'
            'cache-control = { files = "max-age=365000000, immutable" }\n')


def command(requirements: Path, target: Target, options: ResolverOptions,
            config_file: Path | None = None) -> list[str]:
    """The ``uv pip compile`` command line for ``target``; with
    ``config_file`` (written from :func:`config`), the index is named
    there."""
    argv = [uv_binary(), 'pip', 'compile', str(requirements),
            '--python-version', target.release or target.python,
            '--no-header', '--no-annotate', '--color', 'never',
            '--no-config', '--no-python-downloads']
    if target.interpreter:
        argv += ['--python', target.interpreter]
    if config_file is not None:
        argv += ['--config-file', str(config_file)]
    return argv + options.index_arguments(index_url=config_file is None)


def environment(options: ResolverOptions) -> dict[str, str]:
    extra = {'UV_NO_CONFIG': '1', 'UV_PYTHON_DOWNLOADS': 'never'}
    if options.timeout:
        extra['UV_HTTP_TIMEOUT'] = str(max(1, int(options.timeout)))
    return clean_environment(('UV_',), keep=_KEEP, **extra)


def parse_pins(output: str, python: str, resolver: str = 'uv'
               ) -> dict[str, Pin]:
    """``name==version`` lines (what ``uv pip compile`` prints) as pins."""
    from openstack_requirements.model import parse_line

    pins: dict[str, Pin] = {}
    for number, text in enumerate(output.splitlines(), 1):
        line = parse_line(text, path=f'<{resolver} output>', lineno=number)
        requirement = line.requirement
        if requirement is None:
            continue
        exact = [s for s in requirement.specifier if s.operator == '==']
        if requirement.name is None or len(exact) != 1 or requirement.url:
            raise ResolutionError(python, resolver,
                                  f'not an exact pin: {text.strip()}')
        pin = Pin(requirement.name, exact[0].version, exact_name=False)
        pins[pin.key] = pin
    return pins


class UvResolver(Resolver):
    name = 'uv'
    description = 'uv pip compile per Python version; no interpreter needed'

    def prepare(self, target: Target) -> Target:
        uv_binary()
        return target

    #: Every run reads and fills one cache (uv's), which keeps the
    #: index's files (:func:`config`).
    shares_cache = True

    def resolve(self, requirements: Path, target: Target,
                options: ResolverOptions) -> dict[str, Pin]:
        settings = config(options)
        with tempfile.TemporaryDirectory(prefix='uv-settings-') as place:
            config_file = None
            if settings is not None:
                config_file = Path(place) / 'uv.toml'
                config_file.write_text(settings, encoding='utf-8')
            done = self.run(command(requirements, target, options,
                                    config_file),
                            target, options, environment(options))
        return parse_pins(done.stdout, target.python, self.name)

    def explain(self, stdout: str, stderr: str) -> str:
        # uv warns that the target Python is not installed: true and moot.
        return '\n'.join(line for line in (stderr or stdout).splitlines()
                         if 'will be used to build dependencies' not in line)
