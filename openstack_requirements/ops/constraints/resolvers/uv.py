"""The ``uv`` resolver: ``uv pip compile`` for a target Python version.

uv resolves for any ``--python-version`` without an interpreter of that
version, so every target resolves on one machine. uv is kept from its user
configuration (``--no-config``, no ``UV_*`` variables but the cache
location, no ``VIRTUAL_ENV``), from the caller's working directory and
``.venv`` (it runs in a directory of its own and is named the interpreter
it may use), and from downloading interpreters; it reads only the settings
this module writes for the run (:func:`config`).

No sdist is built to learn its dependencies: uv is given them
(``dependency-metadata``), read from the sdist's ``PKG-INFO`` or from the
index (:mod:`.sdists`), and kept from the releases that could not be read
(a constraint); and uv runs with an interpreter that cannot build (an
empty environment, no build isolation), so a build it still tries fails at
once, before any code of the sdist runs. Such a failure names the release:
its metadata is read and the resolution runs again. With ``allow_build``
uv is still given what was read, and builds the rest as it would by
itself.

The run has one deadline (``--timeout``), for the reads of the index and
for uv alike; uv's temporary files (its build locks) go to the run's
scratch directory, removed at the end, interrupted or not.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from openstack_requirements.errors import RequirementsError
from openstack_requirements.ops.constraints import Pin, lockfile
from openstack_requirements.ops.constraints.metadata import bounds, closure, static
from openstack_requirements.ops.constraints.metadata.index import Index
from openstack_requirements.ops.constraints.metadata.pages import DistFile
from openstack_requirements.ops.constraints.metadata.sdists import release
from openstack_requirements.ops.constraints.resolvers import replay
from openstack_requirements.ops.constraints.resolvers.base import (
    Progress,
    ResolutionError,
    Resolver,
    ResolverOptions,
    RunTimedOut,
    Target,
)
from openstack_requirements.ops.constraints.resolvers.uv_env import (
    PYPI,
    environment,
    uv_binary,
)
from openstack_requirements.ops.constraints.resolvers.uv_output import parse_pylock
from openstack_requirements.ops.constraints.resolvers.uv_session import UvSession

#: Resolutions tried for one Python before giving up learning.
MAX_ATTEMPTS = 60
#: Where uv says it could not read its settings file.
_SETTINGS_ERROR = re.compile(r'TOML parse error at line (\d+)')
#: A project name, as uv's explanations spell them.
_WORD = re.compile(r'[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?')


def config(
    options: ResolverOptions,
    metadata: Iterable[static.Metadata] = (),
    index_url: str | None = None,
) -> str:
    """The ``uv.toml`` a resolution runs with.

    It names the index (``--index-url``, else PyPI; none with
    ``--no-index``) and lets uv keep the index's distribution files once
    read. A file on an index never changes (a new release is a new file),
    but an index or mirror that sends no caching headers makes uv ask for
    every wheel again, each run and each Python, to read metadata it
    already holds. ``index_url`` is the index uv reads: the run's own
    (:mod:`.serve`), which reads each page of the real one once a run and
    serves it uncached, so a release made before the run is seen.
    ``metadata`` are the releases whose dependencies uv is told rather
    than building them.
    """
    parts = []
    if not options.no_index:
        url = index_url or options.index_url or PYPI
        parts.append(
            '[[index]]\n'
            f'url = {json.dumps(url)}\n'
            'default = true\n'
            'cache-control = { files = "max-age=365000000, immutable" }\n'
        )
    parts.extend(m.toml() for m in metadata)
    return '\n'.join(parts)


def command(
    requirements: Path,
    target: Target,
    options: ResolverOptions,
    config_file: Path | None = None,
    python: str | None = None,
    names: Iterable[str] = (),
) -> list[str]:
    """The ``uv pip compile`` command line for ``target``; with
    ``config_file`` (written from :func:`config`), the index is named
    there; ``python`` is the interpreter uv may use (default: the
    target's); ``names``: the projects the run knows of, those exempt
    from ``--exclude-newer`` named so to uv."""
    argv = [
        uv_binary(),
        'pip',
        'compile',
        str(requirements),
        '--python-version',
        target.release or target.python,
        '--no-header',
        '--no-annotate',
        '--color',
        'never',
        '--no-config',
        '--no-python-downloads',
    ]
    python = python or target.interpreter
    if python:
        argv += ['--python', python]
    if config_file is not None:
        argv += ['--config-file', str(config_file)]
    argv += options.index_arguments(index_url=config_file is None)
    if not options.allow_build:
        argv.append('--no-build-isolation')
    if options.exclude_newer is not None:
        argv += options.exclude_newer.uv_arguments(names)
    if options.resolution:
        argv += ['--resolution', options.resolution]
    return argv


def roots(requirements: Path | None) -> list[closure.Root]:
    """The requirements of the input, where the read-ahead starts."""
    if requirements is None:
        return []
    from openstack_requirements.ops.files import read_requirements

    try:
        found = read_requirements(requirements)
    except RequirementsError:
        return []  # uv says what is wrong with it
    return closure.roots_of(
        (r.name, str(r.specifier), r.extras, r.marker_text)
        for r in (line.requirement for line in found.lines)
        if r is not None and r.name and not r.url
    )


class UvResolver(Resolver):
    name = 'uv'
    description = 'uv pip compile per Python version; no interpreter needed'

    #: Every run reads and fills one cache (uv's), which keeps the
    #: index's files (:func:`config`).
    shares_cache = True
    can_exclude_newer = True
    can_lock = True

    def __init__(self) -> None:
        super().__init__()
        self._run: UvSession | None = None

    def prepare(self, target: Target) -> Target:
        uv_binary()
        return target

    @property
    def index(self) -> Index:
        """The index of the session running (what it read of it is
        shared by all its resolutions); outside a session, an error."""
        run = self._run
        if run is None:
            raise RequirementsError('uv: no session running')
        return run.index

    @property
    def reused(self) -> int:
        """Recorded resolutions the running session handed back."""
        run = self._run
        return run.replay.reused if run is not None else 0

    def read_sdists(self, files: Iterable[DistFile]) -> int:
        """Read, for the running session, the metadata of sdists its
        resolutions will likely meet (:meth:`.Sdists.read`)."""
        run = self._run
        return run.sdists.read(files) if run is not None else 0

    def metadata_of(self, file: DistFile) -> static.Metadata | None:
        """A file's metadata, through the running session's store."""
        run = self._run
        if run is None:
            raise RequirementsError('uv: no session running')
        return run.sdists.metadata_of(file)

    def refused(self, name: str, version: str) -> str:
        """Why the session keeps uv from ``name==version`` ('' if it does
        not): what the index served of it could not be read."""
        run = self._run
        if run is None:
            return ''
        found = run.sdists.refused().get(release(name, version))
        return found[1] if found else ''

    def cancel(self) -> None:
        super().cancel()
        run = self._run
        if run is not None:
            run.cancel()

    @contextlib.contextmanager
    def session(
        self,
        options: ResolverOptions,
        progress: Progress | None = None,
        requirements: Path | None = None,
        targets: Sequence[Target] = (),
    ) -> Iterator[None]:
        from openstack_requirements.ops import files

        options = options.started()
        with files.scratch_directory('osr-uv-') as scratch:
            run = UvSession(options, scratch, progress, targets)
            self._run = run
            try:
                if targets and not run.reusing(requirements, progress):
                    run.sdists.read_ahead(roots(requirements), targets)
                yield
                run.save()
            except BaseException:
                run.cancel()
                raise
            finally:
                self._run = None
                run.close()
                if progress is not None:
                    for line in run.report():
                        progress(line)

    def resolve(
        self, requirements: Path, target: Target, options: ResolverOptions
    ) -> dict[str, Pin]:
        run = self._run
        if run is None:
            options = options.started()
            with self.session(options):
                return self.resolve(requirements, target, options)
        key = run.resolution_key(requirements, target)
        found = run.replay.outcome(key) if key else None
        if found is not None:
            return self._deliver(run, found, target)
        try:
            outcome = self._resolve(run, requirements, target, options)
        except RunTimedOut:
            raise
        except ResolutionError as err:
            if key and replay.VERDICT in err.explanation:
                run.replay.keep(key, {'failed': err.explanation})
            raise
        if key:
            run.replay.keep(key, outcome)
        return self._deliver(run, outcome, target)

    def _deliver(self, run: UvSession, outcome: dict[str, Any], target: Target) -> dict[str, Pin]:
        """The pins of a resolution's outcome (its own or a recorded one),
        the metadata it used and its lock file noted for the run; a
        recorded failure raised again."""
        if 'failed' in outcome:
            raise ResolutionError(target.python, self.name, outcome['failed'])
        pins = {}
        for name, version, exact in outcome['pins']:
            pin = Pin(name, version, exact_name=exact)
            pins[pin.key] = pin
        run.sdists.recall(outcome.get('refused', ()))
        with run.lock:
            for name, version, source in outcome['used']:
                run.used[(name, version)] = source
            if outcome.get('lock') is not None:
                self.locks[target.python] = outcome['lock']
        run.spell(pins, {k: (u, d) for k, (u, d) in outcome['wheels'].items()})
        return pins

    def _resolve(
        self, run: UvSession, requirements: Path, target: Target, options: ResolverOptions
    ) -> dict[str, Any]:
        """Run uv until it resolves: the outcome (:meth:`_deliver`)."""
        from openstack_requirements.ops import files

        python = run.python_for(target)
        # uv reading the run's own index sees pages cut at --exclude-newer
        # already (Index.files); reading a local index itself, it is told.
        told = options if run.pages is None else dataclasses.replace(options, exclude_newer=None)
        met: set[str] = set()  # projects uv pinned, for --exclude-newer-exempt
        exempt = told.exclude_newer is not None and bool(told.exclude_newer.exempt)
        given = {canonicalize_name(r.name) for r in roots(requirements)} if exempt else set()
        # several resolutions for one Python may run at once in a session
        serial = f'{target.python}-{run.serial()}'
        for attempt in range(MAX_ATTEMPTS):
            offered = run.sdists.metadata_for(target.python)
            metadata = [m for _, m in offered]
            settings = files.write_scratch(
                run.scratch,
                f'uv-{serial}-{attempt}.toml',
                config(options, metadata, run.index_url),
            )
            names = (given | set(run.index.pages()) | met) if exempt else set()
            argv = command(requirements.resolve(), target, told, settings, python, names) + [
                '--format',
                'pylock.toml',
            ]
            refused = run.sdists.constraints()
            if refused:
                argv += [
                    '--constraint',
                    str(
                        files.write_scratch(
                            run.scratch, f'refused-{serial}-{attempt}.txt', refused
                        )
                    ),
                ]
            try:
                done = self.run(
                    argv, target, options, environment(options, run.scratch), cwd=run.scratch
                )
            except ResolutionError as err:
                failed = run.pages.first_error() if run.pages is not None else None
                if failed is not None:
                    raise failed from None
                named = _exempt_in(told, err.explanation) - names
                if named:  # uv failed on exempt projects it was not told of
                    met |= named
                    continue
                unread = _unreadable(err.explanation, settings, options, offered)
                if unread is not None:  # uv could not read what it was told
                    run.sdists.refuse(
                        unread[0], bounds.Refused(f'uv cannot read its metadata ({unread[1]})')
                    )
                    continue
                failure = static.build_failure(err.explanation)
                if (
                    failure is None
                    or options.allow_build
                    or not run.sdists.learn(*failure, target, upward=bool(options.resolution))
                ):
                    if failure is not None and not options.allow_build:
                        raise ResolutionError(
                            target.python,
                            self.name,
                            f'{failure[0]}=={failure[1]}: uv wanted to build '
                            'it and no metadata could be read without '
                            'building; --allow-build builds it',
                        ) from None
                    raise
                continue
            pins, wheels = parse_pylock(done.stdout, target.python, self.name)
            if _exempt_unnamed(told, pins, names):
                # Reading a local index itself, uv is told the exempt
                # projects by name: those it met first here.
                met |= set(pins)
                continue
            known = {release(m.name, m.version): m for m in metadata}
            used = []
            for key, pin in pins.items():
                found = known.get(release(key, pin.version))
                if found is not None:
                    pins[key] = Pin(found.name, pin.version)
                    used.append([found.name, pin.version, found.source])
            lock = None
            if options.pylock:
                # the index uv was given (config) and the user's
                real = None if options.no_index else options.index_url or PYPI
                seen = run.index_url or real
                lock = lockfile.complete(done.stdout, seen, real, run.index.files)
            return {
                'pins': [[p.name, p.version, p.exact_name] for p in pins.values()],
                'wheels': {k: list(w) for k, w in wheels.items()},
                'used': used,
                'lock': lock,
                'refused': [
                    [name, version, url, reason]
                    for (name, version), (url, reason) in sorted(run.sdists.refused().items())
                ],
            }
        raise ResolutionError(target.python, self.name, f'gave up after {MAX_ATTEMPTS} attempts')

    def finish(self, results: dict[str, dict[str, Pin]]) -> dict[str, dict[str, Pin]]:
        run = self._run
        if run is None:
            return results
        return {
            python: {key: run.spelt(pin) for key, pin in pins.items()}
            for python, pins in results.items()
        }

    def explain(self, stdout: str, stderr: str) -> str:
        # uv warns that the target Python is not installed: true and moot.
        return '\n'.join(
            line
            for line in (stderr or stdout).splitlines()
            if 'will be used to build dependencies' not in line
        )


def _exempt_in(options: ResolverOptions, explanation: str) -> set[str]:
    """The names in uv's explanation of a failure exempt from
    ``--exclude-newer``."""
    rule = options.exclude_newer
    if rule is None or not rule.exempt:
        return set()
    words = {canonicalize_name(w) for w in _WORD.findall(explanation)}
    return {w for w in words if rule.is_exempt(w)}


def _exempt_unnamed(options: ResolverOptions, pins: dict[str, Pin], names: set[str]) -> bool:
    """Whether uv pinned a project exempt from ``--exclude-newer`` that
    it was not told was exempt."""
    rule = options.exclude_newer
    return rule is not None and any(rule.is_exempt(k) and k not in names for k in pins)


def _unreadable(
    explanation: str,
    settings: Path,
    options: ResolverOptions,
    offered: Sequence[tuple[DistFile, static.Metadata]],
) -> tuple[DistFile, str] | None:
    """The release whose table of the settings file uv could not read,
    and uv's reason, if that is why it failed."""
    found = _SETTINGS_ERROR.search(explanation)
    if found is None or settings.name not in explanation:
        return None
    line = int(found.group(1))
    parts = [config(options, ())] + [m.toml() for _, m in offered]
    start = 1
    owner = None
    for index, part in enumerate(parts):
        if start > line:
            break
        owner = index
        start += part.count('\n') + 1
    if not owner:
        return None
    # after the position: the snippet (lines with a "|"), then the reason
    after = explanation[found.end() :].splitlines()[1:]
    reason = next(
        (text.strip() for text in after if text.strip() and '|' not in text), 'a settings error'
    )
    return offered[owner - 1][0], reason[:200]
