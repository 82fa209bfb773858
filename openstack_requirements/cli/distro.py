"""distro: what the distributions package of the governed packages."""

from __future__ import annotations

import argparse
from typing import Any

from openstack_requirements.cli import base
from openstack_requirements.errors import RequirementsError


class Distro(base.Lister):
    """List what Debian releases package of each global requirement.

    Reads Debian package indexes (Packages or Sources, plain or
    compressed; by default the machine's apt lists), finds each package
    of the global list in each release (by dh-python's PyPI-to-Debian map
    when installed, else as python3-NAME, or the python3- binaries of the
    source python-NAME or NAME) and compares its version, read as a Python
    version, with the global minimum and the upper constraint. One row per
    package and release; the Status says how they compare ("below
    minimum", "behind constraint", "at constraint", "ahead of constraint",
    "not packaged"...). A package whose global minimum is above a release's
    version is also a warning on stderr, with a summary per release.
    Information only: exits 0, or 1 on unreadable input.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'names',
            metavar='NAME',
            nargs='*',
            help='list only these packages (default: every package of the global list)',
        )
        base.add_source(parser)
        base.add_packages(parser, many=True)
        parser.add_argument(
            '--map',
            metavar='FILE',
            default=None,
            help="a PyPI-to-Debian map in dh-python's format (default: "
            "dh-python's cpython3_fallback, when installed)",
        )
        parser.add_argument(
            '--constrained',
            action='store_true',
            help='also list the packages only upper-constraints.txt names '
            '(the dependencies of dependencies)',
        )
        parser.add_argument(
            '--status',
            action='append',
            default=[],
            metavar='STATUS',
            help='list only the rows of this status (repeat for more; the '
            'summary still counts every row)',
        )
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        from packaging.utils import canonicalize_name

        from openstack_requirements.ops.distro import releases, status

        args = parsed_args
        unknown = sorted(set(args.status) - set(status.STATUSES))
        if unknown:
            raise RequirementsError(
                f'unknown status {", ".join(map(repr, unknown))}; known: '
                f'{", ".join(status.STATUSES)}'
            )
        global_lines, upper = base.governance_data(args.source)
        keys = sorted(global_lines)
        if args.constrained:
            keys = sorted({*keys, *upper})
        if args.names:
            wanted = {canonicalize_name(name) for name in args.names}
            unknown = sorted(wanted - set(keys))
            if unknown:
                raise RequirementsError(
                    f'not in the global list{" or the constraints" if args.constrained else ""}'
                    f': {", ".join(unknown)}'
                )
            keys = [key for key in keys if key in wanted]
        distributions = releases.load(args.packages or (), args.map)
        rows = status.rows(distributions, global_lines, upper, keys)
        for row in rows:
            if row.status == status.BELOW:
                self.warn(
                    f'warning: {row.package}: the global minimum '
                    f"{row.minimum} is above {row.release}'s "
                    f'{row.debian_package} {row.debian_version}'
                )
        for line in status.summary(rows):
            self.warn(line)
        return status.COLUMNS, [
            row.cells() for row in rows if not args.status or row.status in args.status
        ]
