"""health: what the index says of each governed package."""

from __future__ import annotations

import argparse
import time
from typing import Any

from openstack_requirements.cli import base


class Health(base.Lister):
    """Report the health of the governed packages from their index pages.

    Reads each package of the global list's index page once, concurrently
    (PEP 691 JSON where served, else PEP 503 HTML), within the bounds
    generate-constraints reads an index with, and lists one row per
    finding: a yanked pin, a pin whose Requires-Python excludes a
    supported Python, or that is not on the index (errors); no release
    for 2 years (warning) or 4 years (error); a pin behind the newest
    release by a major version (warning) or a year (info); a stale
    exclusion or cap of the global list (warning); a licence that
    differs from the one the pinned release declares (warning, when the
    index offers its metadata); with --root, a package no project uses;
    with --osv, a known vulnerability of the pin (warning). --all lists
    every package with its facts instead. Exits 1 on any error.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        base.add_source(parser)
        parser.add_argument(
            '--index-url', metavar='URL', help='package index to read instead of PyPI'
        )
        base.add_pythons(parser, 'a supported Python, e.g. 3.12')
        base.add_projects(parser, trees='a project tree counted as a user')
        parser.add_argument(
            '--osv',
            metavar='PATH',
            help="a directory of OSV JSON records, or the zip of OSV's "
            'PyPI export (read offline): report pins a known '
            'vulnerability affects',
        )
        parser.add_argument('--all', action='store_true', help='list every package with its facts')
        parser.add_argument(
            '--no-licences',
            dest='licences',
            action='store_false',
            help="do not read the pinned releases' metadata for their licences",
        )
        parser.add_argument(
            '--max-age',
            type=float,
            default=600,
            metavar='SECONDS',
            help='reuse the pages an earlier report read within this long '
            '(kept under $XDG_CACHE_HOME/openstack-requirements; 0: '
            'read every page; default: %(default)g, as PyPI lets its '
            'pages be cached)',
        )
        parser.add_argument(
            '--timeout',
            type=float,
            default=300,
            metavar='SECONDS',
            help='give up after this long (default: %(default)g)',
        )
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[Any, Any]:
        from openstack_requirements.ops import data
        from openstack_requirements.ops.checks.base import COLUMNS
        from openstack_requirements.ops.constraints.metadata import bounds, index
        from openstack_requirements.ops.constraints.resolvers.uv_env import PYPI
        from openstack_requirements.ops.files import read_requirements
        from openstack_requirements.ops.findings import ERROR
        from openstack_requirements.ops.reports import health, osv, pagecache, usage

        global_path = data.locate(data.GLOBAL, source=parsed_args.source, required=True)
        assert global_path is not None
        lines = read_requirements(global_path).requirement_lines()
        users = None
        if parsed_args.projects or parsed_args.root or parsed_args.projects_file:
            selection = base.selected_projects(parsed_args, parsed_args.source)
            found = usage.declarations(selection.found)
            users = {key: len({u.project for u in uses}) for key, uses in found.uses.items()}
        request = health.Request(
            global_lines=lines,
            global_file=global_path.name,
            upper=base.upper_constraints(parsed_args.source),
            pythons=base.pythons(parsed_args),
            users=users,
            licences=parsed_args.licences,
        )
        if parsed_args.osv:
            request.vulnerabilities = osv.load(
                parsed_args.osv,
                [line.key for line in health.governed(request.global_lines) if line.key],
            )
        deadline = bounds.Deadline(
            time.monotonic() + parsed_args.timeout, seconds=parsed_args.timeout
        )
        index_url = parsed_args.index_url or PYPI
        cache = pagecache.PageCache(pagecache.default_path(), index_url, parsed_args.max_age)
        with index.Index(index_url, deadline=deadline) as reader:
            packages = health.check(request, reader, cache)
        found_rows = [f for p in packages for f in p.findings]
        if any(f.severity == ERROR for f in found_rows):
            self.exit_code = 1
        self.warn(f'{len(packages)} packages read, {len(found_rows)} findings')
        if parsed_args.all:
            return health.FACTS_COLUMNS, [health.facts_row(p) for p in packages]
        return COLUMNS, [f.row() for f in found_rows]
