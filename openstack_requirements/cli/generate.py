"""generate-constraints: resolve requirements for several Pythons, merged."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from openstack_requirements.cli import base
from openstack_requirements.errors import RequirementsError

COLUMNS = ('Package', 'Python', 'Change', 'Old', 'New')


class GenerateConstraints(base.Lister):
    """Compute upper constraints for several Pythons, without installing.

    Resolves REQUIREMENTS for each Python given with -p (by default the
    Pythons the shipped constraints are made for; uv needs no interpreter
    for a bare version such as 3.12) and merges the results
    into one constraints file: the shipped file's header (or the output
    file's own), then name===version with names as each package spells
    them, a python_version marker on the lines that hold only for some of
    the Pythons. Nothing is built: a release offering only an sdist is
    resolved from the dependencies its PKG-INFO (or the index) declares,
    and listed on stderr. Prints the file, or writes it with --output
    (--diff and --check then work as in every writing command); with
    --compare BASELINE, lists per package and Python what changed against
    BASELINE instead of printing the file.
    Progress goes to stderr; -v adds the size of the resolver's cache.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:

        parser = super().get_parser(prog_name)
        base.add_pythons(
            parser,
            'a Python to resolve for: a version (3.12, resolved as 3.12.0 by uv), '
            'a release (3.12.4), an interpreter name (python3.12) or path',
        )
        parser.add_argument(
            '-r',
            '--requirements',
            required=True,
            metavar='FILE',
            help='requirements to resolve (global-requirements.txt)',
        )
        # -d as the reference's callers spell it (-b, --blacklist: older)
        base.add_denylist(parser)
        parser.add_argument(
            '--version-map',
            action='append',
            default=[],
            metavar='SRC:DST',
            help='reuse the resolution of Python SRC for Python DST '
            '(unless DST is given with -p; ignored when SRC is not); '
            'repeatable',
        )
        parser.add_argument(
            '--resolver',
            default='uv',
            metavar='NAME',
            help='resolver plugin: uv (default; no interpreters needed) or '
            'pip (runs each interpreter)',
        )
        base.add_index(parser)
        parser.add_argument(
            '--timeout',
            type=float,
            default=900,
            metavar='SECONDS',
            help='give up after this long: the whole run, '
            'every read of the index and every '
            'resolution (default: %(default)g)',
        )
        parser.add_argument(
            '--output',
            metavar='FILE',
            help='write the constraints to FILE atomically, keeping its leading comment block',
        )
        base.add_write_mode(parser)
        parser.add_argument(
            '--compare',
            metavar='BASELINE',
            dest='baseline',
            help='list per package and Python what changed against the constraints file BASELINE',
        )
        parser.add_argument(
            '--allow-build',
            action='store_true',
            help='let the resolver build an sdist whose dependencies cannot '
            'be read without building it (runs its build backend; '
            'bindep.txt lists the system packages builds need). '
            'Without it nothing is built: sdists are resolved from '
            "their PKG-INFO or the index's metadata",
        )
        parser.add_argument(
            '--exclude-newer',
            metavar='DATE|DURATION',
            help='leave out releases uploaded after DATE (2026-11-01, its start in UTC; '
            '2026-11-01T12:00:00Z) or more recently than DURATION before the run '
            '(12h, 7d, 2w: a cool-down), by the upload time the index gives (PEP 700); '
            "a file of the index without one is left out too, as uv's option does; "
            "find-links files are kept. The output's header states the cut-off "
            '(uv resolver only)',
        )
        parser.add_argument(
            '--exclude-newer-exempt',
            action='append',
            default=[],
            metavar='PATTERN',
            help='a glob on project names, compared canonical (oslo.*: every '
            'oslo.X), that --exclude-newer does not cut off (your own '
            'releases); repeatable',
        )
        parser.add_argument(
            '--pylock',
            metavar='DIR',
            help='also write a PEP 751 lock file per Python into the existing '
            'directory DIR (pylock.py312.toml for 3.12), from the same resolution: '
            "each file's URL, hashes, size and upload time, checked with "
            'packaging.pylock; the denylist and --pin-installers do not apply to it '
            '(a complete installable set); none for a Python --version-map maps '
            '(uv resolver only)',
        )
        parser.add_argument(
            '--pin-installers',
            action='store_true',
            help='pin pip, setuptools and wheel too (left out by default, as pip freeze does)',
        )
        parser.add_argument(
            '--order',
            choices=('sha1', 'name'),
            default='sha1',
            help='line order: sha1 of the name, as the reference (default), or canonical name',
        )
        return parser

    def take_action(
        self, parsed_args: argparse.Namespace
    ) -> tuple[Sequence[str], Iterable[Sequence[Any]]]:
        from openstack_requirements.ops.constraints import generate, resolvers

        dry_run = parsed_args.diff or parsed_args.check
        if dry_run and not parsed_args.output:
            raise RequirementsError(
                '--diff and --check compare with the file --output names; give --output FILE'
            )
        exclude_newer = None
        if parsed_args.exclude_newer is not None:
            from openstack_requirements.ops.constraints import cutoff

            exclude_newer = cutoff.parse(
                parsed_args.exclude_newer, parsed_args.exclude_newer_exempt
            )
        elif parsed_args.exclude_newer_exempt:
            raise RequirementsError('--exclude-newer-exempt: given without --exclude-newer')
        request = generate.Request(
            requirements=Path(parsed_args.requirements),
            pythons=base.pythons(parsed_args),
            denylist=parsed_args.denylist,
            version_map=parsed_args.version_map,
            resolver=parsed_args.resolver,
            options=resolvers.ResolverOptions(
                index_url=parsed_args.index_url,
                find_links=tuple(
                    str(Path(p).absolute()) if '://' not in p else p
                    for p in parsed_args.find_links
                ),
                no_index=parsed_args.no_index,
                reuse=not parsed_args.no_reuse,
                timeout=parsed_args.timeout,
                allow_build=parsed_args.allow_build,
                cache_report=self.verbose,
                exclude_newer=exclude_newer,
            ),
            output=parsed_args.output,
            baseline=parsed_args.baseline,
            dry_run=dry_run,
            pin_installers=parsed_args.pin_installers,
            order=parsed_args.order,
            pylock=parsed_args.pylock,
        )
        with _terminate_as_interrupt():
            result = generate.generate(request, progress=self.warn)
        if parsed_args.check and result.diff:
            self.exit_code = 1
        if result.differences is None:
            # the file itself (or its diff; nothing when --output has it)
            if parsed_args.diff:
                self.text = result.diff
            else:
                self.text = '' if parsed_args.output else result.text
            return (), ()
        return COLUMNS, [d.row() for d in result.differences]


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the run is, as Ctrl-C raises KeyboardInterrupt."""


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM ends the run as Ctrl-C does: what it started (reads, uv) is
    stopped and its scratch directory removed; then exit status 143."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # cleaning up: once
        raise _Terminated()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    except _Terminated:
        raise SystemExit(128 + signal.SIGTERM) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
