"""The resolver driver interface and what every driver shares."""

from __future__ import annotations

import abc
import contextlib
import dataclasses
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from openstack_requirements.errors import RequirementsError
from openstack_requirements.ops.constraints import Pin, python_key
from openstack_requirements.ops.constraints.cutoff import ExcludeNewer

NAMESPACE = 'openstack_requirements.resolvers'
_BARE_VERSION = re.compile(r'^\d+\.\d+$')
_RELEASE = re.compile(r'^(\d+\.\d+)\.\d+$')


class ResolutionError(RequirementsError):
    """A resolver could not resolve: its own explanation, and for which
    Python."""

    def __init__(self, python: str, resolver: str, explanation: str) -> None:
        self.python = python
        self.resolver = resolver
        self.explanation = explanation.strip()
        super().__init__(f'{resolver}: resolution failed for Python {python}')

    def render(self) -> str:
        if not self.explanation:
            return str(self)
        body = '\n'.join('    ' + line for line in self.explanation.splitlines())
        return f'{self}:\n{body}'


class RunTimedOut(ResolutionError):
    """The run's deadline passed (or it was interrupted) while the
    resolver ran: one line."""

    def render(self) -> str:
        return f'{self.resolver}: Python {self.python}: {self.explanation}'


@dataclasses.dataclass(frozen=True)
class Target:
    """One Python to resolve for: its ``X.Y`` version and, when given, the
    interpreter that has it and the ``X.Y.Z`` release to resolve for.

    Without a release, a resolver that needs no interpreter resolves for
    ``X.Y.0``: a package whose ``Requires-Python`` asks for a later patch
    release (``>=3.11.5``) is then out of reach."""

    python: str
    interpreter: str | None = None
    release: str | None = None


@dataclasses.dataclass(frozen=True)
class ResolverOptions:
    index_url: str | None = None
    find_links: tuple[str, ...] = ()
    no_index: bool = False
    #: Seconds the whole run may take (every read of the index and every
    #: resolution); None: no limit.
    timeout: float | None = None
    #: When the run must end (a ``time.monotonic()`` value; set from
    #: ``timeout`` when the run starts, see :meth:`started`).
    deadline: float | None = None
    #: Let the resolver build an sdist whose metadata it cannot read
    #: otherwise (runs the sdist's build backend).
    allow_build: bool = False
    #: Say how much the resolver's cache grew.
    cache_report: bool = False
    #: ``--exclude-newer``: releases uploaded after its cut-off are not
    #: considered (but for its exempt projects).
    exclude_newer: ExcludeNewer | None = None
    #: Keep each resolution's PEP 751 lock file (:attr:`Resolver.locks`).
    pylock: bool = False
    #: Which versions of the direct requirements the resolver prefers:
    #: None, the highest; ``lowest-direct``, the lowest each allows (uv's
    #: ``--resolution``; a driver without it refuses).
    resolution: str | None = None
    #: Hand back a recorded resolution whose every index page is served
    #: unchanged (:mod:`.replay`); false: resolve anew (``--no-reuse``).
    reuse: bool = True

    def started(self) -> ResolverOptions:
        """These options with the run's deadline set, if not yet."""
        if self.deadline is not None or self.timeout is None:
            return self
        return dataclasses.replace(self, deadline=time.monotonic() + self.timeout)

    def remaining(self) -> float | None:
        """Seconds left before the deadline (None: no limit)."""
        if self.deadline is None:
            return self.timeout
        return self.deadline - time.monotonic()

    def index_arguments(self, index_url: bool = True) -> list[str]:
        """The index options as pip and uv spell them (``--index-url``
        left out when ``index_url`` is false: given another way)."""
        argv: list[str] = []
        if index_url and self.index_url:
            argv += ['--index-url', self.index_url]
        for place in self.find_links:
            argv += ['--find-links', place]
        if self.no_index:
            argv.append('--no-index')
        return argv


def interpreter_version(interpreter: str, timeout: float = 30) -> str:
    """``X.Y`` of an interpreter, by running it."""
    return interpreter_release(interpreter, timeout).rsplit('.', 1)[0]


def interpreter_release(interpreter: str, timeout: float = 30) -> str:
    """``X.Y.Z`` of an interpreter, by running it."""
    try:
        done = subprocess.run(
            [interpreter, '-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=clean_environment(('PYTHON',)),
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise RequirementsError(f'{interpreter}: cannot run it ({err})') from None
    version = done.stdout.strip()
    if done.returncode or not _RELEASE.match(version):
        detail = (done.stderr.strip().splitlines() or [''])[-1]
        raise RequirementsError(
            f'{interpreter}: not a working Python interpreter' + (f' ({detail})' if detail else '')
        )
    return version


def target_for(spec: str) -> Target:
    """A ``-p`` value: a version (``3.12``), a release (``3.12.4``), an
    interpreter name found on PATH (``python3.12``) or a path
    (``/usr/bin/python3.12``; its release is resolved for)."""
    if _BARE_VERSION.match(spec):
        return Target(spec)
    release = _RELEASE.match(spec)
    if release:
        return Target(release.group(1), release=spec)
    if os.sep in spec:
        path = spec if os.access(spec, os.X_OK) and os.path.isfile(spec) else None
    else:
        path = shutil.which(spec)
    if path is None:
        raise RequirementsError(f'{spec}: no such Python interpreter')
    full = interpreter_release(path)
    return Target(full.rsplit('.', 1)[0], path, full)


def clean_environment(
    drop: Sequence[str], keep: Sequence[str] = (), **set_: str
) -> dict[str, str]:
    """``os.environ`` without variables starting with ``drop`` (except
    those named in ``keep``), plus ``set_``."""
    env = {k: v for k, v in os.environ.items() if k in keep or not k.startswith(tuple(drop))}
    env.update(set_)
    return env


Progress = Callable[[str], None]


class Resolver(abc.ABC):
    """A way to resolve a requirements file for one Python, installing
    nothing. One instance serves one run (:func:`load` makes a new one); it
    may resolve several targets at once."""

    #: The plugin name.
    name: str = ''
    #: One line for ``--help`` and the docs.
    description: str = ''
    #: Whether the driver runs the target's own interpreter.
    needs_interpreter: bool = False
    #: Whether all runs share one cache: then the lowest Python resolves
    #: alone first and fills it, and the others run in parallel on a warm
    #: cache rather than all waiting on each other's cache locks.
    shares_cache: bool = False
    #: Whether the driver honours :attr:`ResolverOptions.exclude_newer`
    #: and :attr:`ResolverOptions.pylock`.
    can_exclude_newer: bool = False
    can_lock: bool = False

    def __init__(self) -> None:
        #: The resolver processes running (ended by :meth:`cancel`).
        self._children: set[subprocess.Popen[str]] = set()
        self._children_lock = threading.Lock()
        self._cancelled = False
        #: With :attr:`ResolverOptions.pylock`: each Python's PEP 751 lock
        #: file (TOML text), by ``X.Y``, of the last run.
        self.locks: dict[str, str] = {}

    @abc.abstractmethod
    def resolve(
        self, requirements: Path, target: Target, options: ResolverOptions
    ) -> dict[str, Pin]:
        """The pins for ``target``, by canonical name; raises
        :class:`ResolutionError` when the requirements conflict."""

    def prepare(self, target: Target) -> Target:
        """Check ``target`` can be resolved before anything runs (find its
        interpreter if the driver needs one)."""
        return target

    @contextlib.contextmanager
    def session(
        self,
        options: ResolverOptions,
        progress: Progress | None = None,
        requirements: Path | None = None,
        targets: Sequence[Target] = (),
    ) -> Iterator[None]:
        """The span of one run's resolutions of ``requirements`` for
        ``targets`` (what they share lives as long); may say what it
        learnt through ``progress`` at its end."""
        yield

    def finish(self, results: dict[str, dict[str, Pin]]) -> dict[str, dict[str, Pin]]:
        """The results of a session's resolutions, completed (names as
        the packages spell them, where the driver learns them late)."""
        return results

    def run(
        self,
        argv: Sequence[str],
        target: Target,
        options: ResolverOptions,
        env: Mapping[str, str],
        cwd: Path | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run the resolver process within the run's deadline; a failure or
        a timeout becomes a :class:`ResolutionError` carrying the
        resolver's explanation. :meth:`cancel` ends it at once."""
        left = options.remaining()
        if self._cancelled or (left is not None and left <= 0):
            raise self._timed_out(target, options)
        try:
            process = subprocess.Popen(
                list(argv),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=dict(env),
                stdin=subprocess.DEVNULL,
                cwd=cwd,
                start_new_session=True,
            )
        except OSError as err:
            raise ResolutionError(
                target.python, self.name, f'cannot run {argv[0]}: {err}'
            ) from None
        with self._children_lock:
            self._children.add(process)
        try:
            stdout, stderr = process.communicate(timeout=left)
        except subprocess.TimeoutExpired:
            _kill(process)
            process.communicate()
            raise self._timed_out(target, options) from None
        except BaseException:
            _kill(process)
            process.communicate()
            raise
        finally:
            with self._children_lock:
                self._children.discard(process)
        if self._cancelled:
            raise self._timed_out(target, options)
        done = subprocess.CompletedProcess(list(argv), process.returncode, stdout, stderr)
        if done.returncode:
            raise ResolutionError(target.python, self.name, self.explain(done.stdout, done.stderr))
        return done

    def _timed_out(self, target: Target, options: ResolverOptions) -> ResolutionError:
        if self._cancelled:
            return RunTimedOut(target.python, self.name, 'interrupted')
        return RunTimedOut(
            target.python,
            self.name,
            f'timed out: the whole run may take {options.timeout or 0:g} s (--timeout)',
        )

    def cancel(self) -> None:
        """Stop the run now (interrupted): end the resolver processes
        running, start no other."""
        self._cancelled = True
        with self._children_lock:
            running = list(self._children)
        for process in running:
            _kill(process)

    def explain(self, stdout: str, stderr: str) -> str:
        """The part of the resolver's output that explains a failure."""
        return stderr or stdout


def resolve_all(
    resolver: Resolver,
    requirements: Path,
    targets: Sequence[Target],
    options: ResolverOptions,
    progress: Progress | None = None,
) -> dict[str, dict[str, Pin]]:
    """Resolve for every target; ``{python: pins}``.

    The targets resolve in parallel; with a resolver whose runs share a
    cache, the first one alone first, so that the others start from the
    cache it filled. Raises the failures (all of them, in Python order) once
    every run has ended.
    """
    lock = threading.Lock()

    def say(message: str) -> None:
        if progress is not None:
            with lock:
                progress(message)

    def one(target: Target) -> dict[str, Pin]:
        say(f'resolving for Python {target.python} with {resolver.name}...')
        start = time.monotonic()
        try:
            pins = resolver.resolve(requirements, target, options)
        except ResolutionError:
            say(f'Python {target.python}: failed after {time.monotonic() - start:.1f} s')
            raise
        say(f'Python {target.python}: {len(pins)} packages in {time.monotonic() - start:.1f} s')
        return pins

    ordered = sorted(targets, key=lambda t: python_key(t.python))
    options = options.started()
    resolver._cancelled = False  # a new run
    resolver.locks = {}
    waves = [ordered]
    if resolver.shares_cache and len(ordered) > 1:
        waves = [ordered[:1], ordered[1:]]
    results: dict[str, dict[str, Pin]] = {}
    failures: list[ResolutionError] = []
    with resolver.session(options, say, requirements, ordered):
        pool = ThreadPoolExecutor(max_workers=max(1, len(ordered)))
        try:
            for wave in waves:
                futures = [(t, pool.submit(one, t)) for t in wave]
                for target, future in futures:
                    try:
                        results[target.python] = future.result()
                    except ResolutionError as err:
                        failures.append(err)
            if not failures:
                results = resolver.finish(results)
        except BaseException:
            # Interrupted (a signal) or another error: stop the others
            # now, rather than wait for them.
            resolver.cancel()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    timed_out = [f for f in failures if isinstance(f, RunTimedOut)]
    if timed_out:  # the run's deadline: all the others end so too
        raise timed_out[0]
    if len(failures) == 1:
        raise failures[0]
    if failures:
        raise ResolutionErrors(failures)
    return results


def _kill(process: subprocess.Popen[str]) -> None:
    """End a resolver process and what it started (its own session)."""
    import signal

    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        with contextlib.suppress(OSError):
            process.kill()


class ResolutionErrors(RequirementsError):
    """Several Pythons failed."""

    def __init__(self, failures: Sequence[ResolutionError]) -> None:
        self.failures = list(failures)
        pythons = ', '.join(f.python for f in failures)
        super().__init__(f'resolution failed for Python {pythons}')

    def render(self) -> str:
        return '\n'.join(f.render() for f in self.failures)


def load(name: str) -> Resolver:
    """The resolver plugin ``name``, loaded loudly."""
    from importlib.metadata import entry_points

    from stevedore import driver
    from stevedore.exception import NoMatches

    def fail(manager: object, entrypoint: object, err: BaseException) -> None:
        raise RequirementsError(f'cannot load resolver plugin {name}: {err}') from err

    known = {ep.name for ep in entry_points(group=NAMESPACE)}
    try:
        if name not in known:
            raise NoMatches(name)
        manager: Any = driver.DriverManager(
            NAMESPACE, name, invoke_on_load=True, on_load_failure_callback=fail
        )
    except NoMatches:
        raise RequirementsError(
            f'unknown resolver {name!r} (known: {", ".join(sorted(known))})'
        ) from None
    resolver = manager.driver
    assert isinstance(resolver, Resolver)
    return resolver
