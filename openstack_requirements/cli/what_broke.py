"""what-broke: recent releases of the required and pinned packages."""

from __future__ import annotations

import argparse
import datetime
from typing import Any

from openstack_requirements.cli import base


def _positive(kind: type) -> Any:
    def convert(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f'not a number: {text!r}') from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f'must be more than 0: {text}')
        return value

    return convert


class WhatBroke(base.Lister):
    """List the packages released upstream in the last days.

    Asks the package index's JSON API about every package of the global
    requirements and the upper constraints, several at a time, and lists
    the releases uploaded in the last --since days, newest first, with the
    version upper-constraints pins. Pre-releases (unless --pre) and yanked
    releases are left out. A package the index cannot tell about (not
    found, no whole answer within --timeout, not JSON, an answer over
    64 MiB, of the wrong shape or holding a number too long to read) is
    named on stderr with the URL asked, one line each, and the others are
    still listed; the exit status is then 1, because the answer is
    incomplete. A progress line goes to stderr.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        from openstack_requirements.ops.reports import whatbroke

        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--since',
            metavar='DAYS',
            type=_positive(float),
            default=whatbroke.DEFAULT_DAYS,
            help='how many days to look back (default: %(default)s)',
        )
        base.add_source(parser)
        parser.add_argument(
            '--global-requirements',
            metavar='FILE',
            help='global requirements file (default: global-requirements.txt of --source)',
        )
        parser.add_argument(
            '--constraints',
            metavar='FILE',
            help='upper-constraints file giving the pins (default: '
            'upper-constraints.txt of --source)',
        )
        parser.add_argument(
            '--index-url',
            metavar='URL',
            default=whatbroke.DEFAULT_INDEX,
            help='base of the JSON API, NAME/json is appended; a '
            '.../simple URL means the .../pypi beside it '
            '(default: %(default)s)',
        )
        parser.add_argument(
            '--timeout',
            metavar='S',
            type=_positive(float),
            default=whatbroke.DEFAULT_TIMEOUT,
            help='seconds each whole answer may take; one dripping in '
            'slower is a failed lookup (default: %(default)s)',
        )
        parser.add_argument(
            '-j',
            '--jobs',
            metavar='N',
            type=_positive(int),
            default=whatbroke.DEFAULT_JOBS,
            help='requests made at the same time (default: %(default)s)',
        )
        parser.add_argument('--pre', action='store_true', help='list pre-releases too')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        from openstack_requirements.ops import data
        from openstack_requirements.ops.files import read_requirements
        from openstack_requirements.ops.reports import whatbroke

        global_path = data.locate(
            data.GLOBAL, parsed_args.global_requirements, source=parsed_args.source, required=True
        )
        upper_path = data.locate(
            data.UPPER,
            parsed_args.constraints,
            source=parsed_args.source,
            beside=global_path,
            required=True,
        )
        assert global_path is not None and upper_path is not None
        global_reqs = read_requirements(global_path)
        upper = read_requirements(upper_path)
        names = whatbroke.package_names(global_reqs, upper)
        pinned = whatbroke.pins(upper)

        now = datetime.datetime.now(datetime.UTC)
        since = now - datetime.timedelta(days=parsed_args.since)
        self.warn(
            f'Looking for releases since {since:%Y-%m-%d %H:%M} UTC '
            f'of {len(names)} packages on {parsed_args.index_url}'
        )
        tty = bool(getattr(self.app.stderr, 'isatty', lambda: False)())

        def progress(done: int, total: int) -> None:
            if tty:
                self.app.stderr.write(f'\r{done}/{total} packages checked')
                if done == total:
                    self.app.stderr.write('\n')
                self.app.stderr.flush()

        report = whatbroke.what_broke(
            names,
            since=since,
            index_url=parsed_args.index_url,
            timeout=parsed_args.timeout,
            jobs=parsed_args.jobs,
            pre=parsed_args.pre,
            progress=progress,
        )
        for failure in report.failures:
            self.warn(str(failure))
        self.warn(
            f'{report.checked} packages checked, '
            f'{len(report.releases)} releases found, '
            f'{len(report.failures)} lookups failed'
        )
        if report.failures:
            self.exit_code = 1
        rows = [
            (
                r.package,
                r.version,
                r.released.astimezone(datetime.UTC).strftime('%Y-%m-%dT%H:%M:%SZ'),
                pinned.get(r.package, ''),
            )
            for r in report.releases
        ]
        return ('Package', 'Version', 'Released', 'Pinned'), rows
