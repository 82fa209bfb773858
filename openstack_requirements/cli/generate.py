"""generate-constraints: resolve requirements for several Pythons, merged."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openstack_requirements.cli import base

COLUMNS = ('Package', 'Python', 'Change', 'Old', 'New')


class GenerateConstraints(base.Lister):
    """Compute upper constraints for several Pythons, without installing.

    Resolves REQUIREMENTS for each Python given with -p (uv needs no
    interpreter for a bare version such as 3.12) and merges the results
    into one constraints file: name===version, with a python_version
    marker on the lines that hold only for some of the Pythons. Prints the
    file, or writes it with --output; with --diff BASELINE, prints what
    changed against BASELINE instead. Progress goes to stderr.
    """

    _text_only = False

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '-p', '--python', dest='pythons', action='append', required=True,
            metavar='PY',
            help='a Python to resolve for: a version (3.12, resolved as '
                 '3.12.0 by uv), a release (3.12.4), an interpreter name '
                 '(python3.12) or path; repeat for several')
        parser.add_argument(
            '-r', '--requirements', required=True, metavar='FILE',
            help='requirements to resolve (global-requirements.txt)')
        base.add_denylist(parser)
        parser.add_argument(
            '--version-map', action='append', default=[], metavar='SRC:DST',
            help='reuse the resolution of Python SRC for Python DST '
                 '(unless DST is given with -p); repeatable')
        parser.add_argument(
            '--resolver', default='uv', metavar='NAME',
            help='resolver plugin: uv (default; no interpreters needed) or '
                 'pip (runs each interpreter)')
        parser.add_argument('--index-url', metavar='URL',
                            help='package index to use instead of PyPI')
        parser.add_argument('--find-links', action='append', default=[],
                            metavar='DIR',
                            help='also look for packages here; repeatable')
        parser.add_argument('--no-index', action='store_true',
                            help='use no index, only --find-links')
        parser.add_argument('--timeout', type=float, default=900,
                            metavar='SECONDS',
                            help='give up a resolution after this long '
                                 '(default: %(default)g)')
        parser.add_argument('--output', metavar='FILE',
                            help='write the constraints to FILE atomically, '
                                 'keeping its leading comment block')
        parser.add_argument('--diff', metavar='BASELINE', dest='baseline',
                            help='print per package and Python what changed '
                                 'against the constraints file BASELINE')
        parser.add_argument('--pin-installers', action='store_true',
                            help='pin pip, setuptools and wheel too (left '
                                 'out by default, as pip freeze does)')
        parser.add_argument('--order', choices=('sha1', 'name'),
                            default='sha1',
                            help='line order: sha1 of the name, as the '
                                 'reference (default), or canonical name')
        return parser

    def take_action(self, parsed_args: argparse.Namespace
                    ) -> tuple[Sequence[str], Iterable[Sequence[Any]]]:
        from openstack_requirements.errors import RequirementsError
        from openstack_requirements.model import RequirementsFile
        from openstack_requirements.ops import constraints, files, resolvers

        requirements = Path(parsed_args.requirements)
        requirements_text = files.read_text(requirements)
        excluded = constraints.denylist_names(parsed_args.denylist)
        if not parsed_args.pin_installers:
            excluded |= constraints.INSTALLERS
        baseline = (files.read_text(parsed_args.baseline)
                    if parsed_args.baseline else None)
        output = parsed_args.output
        existing = None
        if output and Path(output).exists():
            existing = files.read_text(output)

        targets = [resolvers.target_for(p) for p in parsed_args.pythons]
        seen: dict[str, str] = {}
        for spec, target in zip(parsed_args.pythons, targets, strict=True):
            if target.python in seen:
                raise RequirementsError(
                    f'-p {spec}: Python {target.python} is already given '
                    f'(-p {seen[target.python]})')
            seen[target.python] = spec
        mapping = constraints.parse_version_map(parsed_args.version_map,
                                                list(seen))
        resolver = resolvers.load(parsed_args.resolver)
        targets = [resolver.prepare(t) for t in targets]
        options = resolvers.ResolverOptions(
            index_url=parsed_args.index_url,
            find_links=tuple(parsed_args.find_links),
            no_index=parsed_args.no_index,
            timeout=parsed_args.timeout)

        results = resolvers.resolve_all(
            resolver, requirements.resolve(), targets, options,
            progress=self.warn)
        for dst, src in mapping.items():
            results[dst] = results[src]
        spellings = constraints.spellings_of(
            existing or '', baseline or '', requirements_text)
        lines = constraints.order_lines(
            constraints.merge(results, exclude=excluded, spellings=spellings),
            parsed_args.order)
        header = constraints.leading_comments(existing) if existing else ''
        text = constraints.render(lines, header)

        if output:
            changes = files.Changeset()
            changes.add(output, existing, text)
            changes.write()
        if baseline is None:
            if not output:
                self.app.stdout.write(text)
            self._text_only = True
            return (), ()
        pythons = sorted(results, key=constraints.python_key)
        old = constraints.per_python(
            RequirementsFile.parse(baseline, parsed_args.baseline), pythons)
        new = constraints.per_python(RequirementsFile.parse(text), pythons)
        rows = [d.row() for d in constraints.compare(old, new)]
        return COLUMNS, rows

    def produce_output(self, parsed_args: argparse.Namespace,
                       column_names: Sequence[str],
                       data: Iterable[Sequence[Any]]) -> int:
        if self._text_only:
            return 0
        return super().produce_output(parsed_args, column_names, data)
