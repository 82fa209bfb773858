"""The command line of Zuul's requirements-check job.

``playbooks/files/project-requirements-change.py`` is a few lines over
:func:`main`, with the reference's arguments and exit status::

    project-requirements-change.py [--local] [--reqs DIR] SRC_DIR [BRANCH]

Exit 0 when the change's requirements match the global requirements,
1 when they do not (or the input cannot be read: one line on stderr),
2 for a usage error.
"""

from __future__ import annotations

import argparse
import platform
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from openstack_requirements.errors import RequirementsError

if TYPE_CHECKING:
    from openstack_requirements.ops.checks.job import JobResult

PROG = 'project-requirements-change.py'


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description='Check the dependencies of a project change against the '
        'global requirements (the requirements-check job).',
    )
    parser.add_argument(
        '--local',
        action='store_true',
        help='use the requirements data of the checkout holding this '
        'script (the default when --reqs is not given)',
    )
    parser.add_argument(
        '--reqs',
        metavar='DIR',
        help='requirements checkout holding global-requirements.txt and '
        'the denylist, maybe upper-constraints.txt and backports.txt '
        '(default: the checkout holding this script)',
    )
    # zuul-cloner's, accepted and ignored as the reference does
    parser.add_argument('--zc', help=argparse.SUPPRESS)
    parser.add_argument(
        'src_dir', metavar='SRC_DIR', help='git checkout of the project, at the change'
    )
    parser.add_argument(
        'branch',
        metavar='BRANCH',
        nargs='?',
        default='master',
        help='target branch of the change (default: master; stable/* branches are lenient)',
    )
    return parser


def report(result: JobResult) -> list[str]:
    """The job's log: what was checked, each finding, the verdict."""
    from openstack_requirements.ops.checks.job import DOCS_URL

    mode = 'strict' if result.strict else 'lenient: duplicates allowed'
    lines = [
        f'Python {platform.python_version()} ({sys.executable})',
        f'Branch: {result.branch} ({mode})',
        f'Source: {result.source}',
        f'Requirements: {result.requirements}',
        f'Patch under test: {result.commit}',
        f'Checks: {", ".join(result.checks)}'
        + (
            f' ({len(result.skipped)} skipped: {", ".join(s.check for s in result.skipped)})'
            if result.skipped
            else ''
        ),
    ]
    for f in result.findings:
        where = f'{f.file}:{f.line}' if f.line is not None else f.file
        package = f' {f.package}:' if f.package else ''
        lines.append(f'{f.severity.upper()}: {where}:{package} {f.message} [{f.check}]')
    if result.passed:
        lines.append('Updated requirements match openstack/requirements.')
        return lines
    if result.incompatible:
        lines.append('*** Incompatible requirement found!')
    if result.invalid_pyproject:
        lines.append('*** Invalid or missing pyproject.toml!')
    lines.append(f'*** See {DOCS_URL}')
    return lines


def main(
    argv: Sequence[str] | None = None,
    *,
    default_reqs: Path | None = None,
    prog: str = PROG,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the job; ``default_reqs`` is the checkout holding the script."""
    from openstack_requirements.ops import data
    from openstack_requirements.ops.checks import job as requirements_check

    out, err = stdout or sys.stdout, stderr or sys.stderr
    args = build_parser(prog).parse_args(argv)
    try:
        reqs = args.reqs or default_reqs or data.default_source()
        result = requirements_check.check_change(args.src_dir, reqs, args.branch)
    except RequirementsError as error:
        err.write(error.render() + '\n')
        return 1
    for skip in result.skipped:
        err.write(f'{prog}: {skip}\n')
    out.write(''.join(line + '\n' for line in report(result)))
    return 0 if result.passed else 1
