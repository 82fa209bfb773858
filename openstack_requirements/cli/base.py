"""The command bases every command of the app derives from.

They sit between cliff and the commands: expected errors become one line
on stderr and exit status 1, and a command that finds problems reports
them through its exit status while cliff still formats its output.
"""

from __future__ import annotations

import argparse
from typing import Any

from cliff import command, lister

from openstack_requirements.errors import RequirementsError


class _Base:
    """Shared behaviour; mixed in before the cliff class."""

    #: Set by ``take_action`` to make the command exit non-zero while still
    #: printing its output (findings, a pending change under ``--check``).
    exit_code: int = 0

    app: Any
    # cliff's own, read by get_epilog (tests/cli/test_cliff_api.py guards
    # them): the command's epilog and its loaded hooks.
    _epilog: Any
    _hooks: Any

    def run(self, parsed_args: argparse.Namespace) -> int:
        self.exit_code = 0
        try:
            result = super().run(parsed_args)  # type: ignore[misc]
        except RequirementsError as err:
            if getattr(self.app.options, 'debug', False):
                raise
            self.app.stderr.write(err.render() + '\n')
            return 1
        return result or self.exit_code

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        # run as a classic script, the command is that script
        classic = getattr(self.app, 'classic_name', None)
        return super().get_parser(classic or prog_name)  # type: ignore[misc,no-any-return]

    def get_epilog(self) -> str:
        """cliff's epilog, without its scan of every installed distribution
        for the one providing the command (a fifth of the start-up time):
        every command here is the app's own."""
        parts = [self._epilog or '']
        parts.extend(
            e for h in self._hooks if h.obj is not None and (e := h.obj.get_epilog()) is not None
        )
        return '\n\n'.join(parts)

    def warn(self, message: str) -> None:
        """A line on stderr, never mixed into the formatted output."""
        self.app.stderr.write(message + '\n')

    @property
    def verbose(self) -> bool:
        return getattr(self.app.options, 'verbose_level', 1) > 1


class Command(_Base, command.Command):
    """A command whose output is free text (a diff, a file)."""


class Lister(_Base, lister.Lister):
    """A command whose output is a table: ``take_action`` returns
    ``(columns, rows)``, or sets :attr:`text` (a diff) to print instead."""

    text: str | None = None

    def run(self, parsed_args: argparse.Namespace) -> int:
        self.text = None
        return super().run(parsed_args)

    def produce_output(self, parsed_args: argparse.Namespace, column_names: Any, data: Any) -> int:
        if self.text is not None:
            self.app.stdout.write(self.text)
            return 0
        return super().produce_output(parsed_args, column_names, data)


class Flag(argparse.Action):
    """A store-true flag that refuses the flags of ``refuses`` (dest: flag)."""

    def __init__(
        self,
        option_strings: list[str],
        dest: str,
        refuses: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(option_strings, dest, nargs=0, default=False, **kwargs)
        self.refuses = refuses or {}

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        for dest, flag in self.refuses.items():
            if getattr(namespace, dest, False):
                parser.error(f'{option_string} cannot be used with {flag}')
        setattr(namespace, self.dest, True)


def add_write_mode(
    parser: argparse.ArgumentParser, write: tuple[str, ...] = (), write_help: str = ''
) -> None:
    """``--diff`` and ``--check``, with one meaning in every command that
    writes (as black's): ``--diff`` prints the unified diff of the change,
    writes nothing and exits 0; ``--check`` writes nothing and exits 1 when
    a change would be made; together they print the diff and exit 1 when
    it is not empty.

    ``write`` names the option of a command that writes only when asked
    (``--save``, ``--fix``); it goes with neither ``--diff`` nor
    ``--check``.
    """
    dest = write[-1].lstrip('-').replace('-', '_') if write else ''
    refused = {dest: write[-1]} if write else {}
    parser.add_argument(
        '--diff',
        '--dry-run',
        dest='diff',
        action=Flag,
        refuses=refused,
        help='print a unified diff of the change and write nothing (exit 0 unless with --check)',
    )
    parser.add_argument(
        '--check',
        action=Flag,
        refuses=refused,
        help='write nothing; exit 1 when a change would be made',
    )
    if write:
        parser.add_argument(
            *write,
            dest=dest,
            action=Flag,
            refuses={'diff': '--diff', 'check': '--check'},
            help=write_help,
        )


def add_source(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        '--source',
        metavar='DIR',
        default=None,
        help='directory holding global-requirements.txt and the '
        'denylist (default: the working directory, else the '
        'shipped data)',
    )


def add_include(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        '--include',
        metavar='PATTERN',
        action='append',
        default=[],
        help='also read the requirement files matching PATTERN (a glob '
        'relative to the project, e.g. driver-requirements.txt; '
        'repeat for more); by default only the files the gate governs '
        'are read: requirements.txt, test-requirements.txt, '
        'doc/requirements.txt, setup.cfg extras and pyproject.toml '
        "dependencies, plus the patterns of the project's "
        '[tool.openstack-requirements] include',
    )


def add_pythons(parser: argparse.ArgumentParser, what: str) -> None:
    """-p/--python, repeatable, defaulting to the supported Pythons
    (``ops.data.PYTHONS``): read it with :func:`pythons`."""
    from openstack_requirements.ops import data

    parser.add_argument(
        '-p',
        '--python',
        dest='pythons',
        action='append',
        default=[],
        metavar='PY',
        help=f'{what}; repeat for several (default: {" ".join(data.PYTHONS)}, '
        "the shipped constraints' Pythons)",
    )


def pythons(args: argparse.Namespace) -> list[str]:
    """The -p values given, else the supported Pythons."""
    from openstack_requirements.ops import data

    return list(args.pythons or data.PYTHONS)


def add_index(parser: argparse.ArgumentParser) -> None:
    """The package sources of a resolution: ``--index-url``,
    ``--find-links`` (repeatable), ``--no-index``; and ``--no-reuse``
    (resolve even when a recorded resolution read only pages served
    unchanged since, see ops/constraints/resolvers/replay.py)."""
    parser.add_argument('--index-url', metavar='URL', help='package index to use instead of PyPI')
    parser.add_argument(
        '--find-links',
        action='append',
        default=[],
        metavar='DIR',
        help='also look for packages here; repeatable',
    )
    parser.add_argument('--no-index', action='store_true', help='use no index, only --find-links')
    parser.add_argument(
        '--no-reuse',
        action='store_true',
        help='resolve anew even when every index page a recorded resolution '
        'read is served unchanged',
    )


def add_denylist(parser: argparse.ArgumentParser, **kwargs: Any) -> None:
    """-d/--denylist, and -b/--blacklist as older callers spell it."""
    parser.add_argument(
        '-d',
        '-b',
        '--denylist',
        '--blacklist',
        dest='denylist',
        metavar='FILE',
        help='excluded-packages file (denylist.txt or blacklist.txt)',
        **kwargs,
    )


def add_projects(
    parser: argparse.ArgumentParser,
    *,
    trees: str | None = 'a project tree',
    list_help: str = 'a projects.txt: its projects found under --root',
    list_positional: bool = False,
    root_required: bool = False,
) -> None:
    """The one project selection: PROJECT_DIR... (project trees; ``trees``
    is their help, ``None`` for a command without them), ``--projects
    FILE`` (a projects list; a positional PROJECTS instead with
    ``list_positional``) and ``--root DIR`` (repeatable; ``root_required``
    for a report that a wrong default would mislead). Read them with
    :func:`selected_projects`."""
    if trees is not None:
        parser.add_argument('projects', metavar='PROJECT_DIR', nargs='*', help=trees)
    if list_positional:
        parser.add_argument('projects_file', metavar='PROJECTS', nargs='?', help=list_help)
    else:
        parser.add_argument('--projects', dest='projects_file', metavar='FILE', help=list_help)
    parser.add_argument(
        '--root',
        metavar='DIR',
        action='append',
        default=[],
        required=root_required,
        help='a directory holding the checkouts of the listed projects, as '
        'ORG/NAME or NAME (repeat for several'
        + (
            ''
            if root_required
            else '; default: beside the checkout '
            'holding the list, as Zuul and devstack lay them out'
        )
        + ')',
    )


def selected_projects(
    args: argparse.Namespace,
    source: str | None = None,
    beside: Any = None,
    always_list: bool = False,
    confined: bool = True,
) -> Any:
    """The projects of :func:`add_projects`' options (an
    ``ops.project.selection.Selection``): the trees named, and the
    projects of the list, which is projects.txt of ``source`` (or beside
    ``beside``) when --root is given without one, or when the command
    reads a list in any case (``always_list``)."""
    from openstack_requirements.errors import FileError
    from openstack_requirements.ops import data
    from openstack_requirements.ops.project import selection

    trees = getattr(args, 'projects', None) or []
    projects_file = args.projects_file
    if projects_file is None and (args.root or always_list):
        projects_file = data.locate(data.PROJECTS, source=source, beside=beside, required=True)
    if not trees and projects_file is None:
        raise FileError(
            'no project given: name a PROJECT_DIR, or a '
            'projects list with --projects FILE or --root DIR'
        )
    return selection.select(trees, projects_file, args.root, confined=confined)


def upper_constraints(source: str | None) -> Any:
    """The upper constraints of ``source`` by name (empty without one)."""
    from openstack_requirements.model import LazyRequirementsFile
    from openstack_requirements.ops import data
    from openstack_requirements.ops.files import read_text

    path = data.locate(data.UPPER, source=source)
    if path is None:
        return {}
    return LazyRequirementsFile(read_text(path), path.name).by_key


def governance_data(source: str | None) -> tuple[Any, Any]:
    """The global list and the upper constraints of ``source`` by name
    (the constraints empty without a file); a line of either that does not
    parse is an error."""
    from openstack_requirements.model import LazyRequirementsFile
    from openstack_requirements.ops import data
    from openstack_requirements.ops.files import read_text

    found: list[Any] = []
    for name in (data.GLOBAL, data.UPPER):
        path = data.locate(name, source=source, required=name == data.GLOBAL)
        if path is None:
            found.append({})
            continue
        lines = LazyRequirementsFile(read_text(path), path.name)
        if lines.errors:
            raise lines.errors[0]
        found.append(lines.by_key)
    return found[0], found[1]


def add_packages(parser: argparse.ArgumentParser, many: bool = False) -> None:
    """--packages: Debian package indexes (``many``: several after one
    --packages, for a command without positional arguments)."""
    extra: dict[str, Any] = {'nargs': '+', 'action': 'extend'} if many else {'action': 'append'}
    parser.add_argument(
        '--packages',
        metavar='FILE',
        default=[],
        help='a Debian Packages or Sources index (plain, .gz, .xz, .bz2, '
        '.lz4 or .zst), RELEASE=FILE to name its release, or a '
        'directory of apt lists; repeat for more. '
        + (
            'Default: the apt lists of this machine (/var/lib/apt/lists)'
            if many
            else 'Runs the distro-minimum check'
        ),
        **extra,
    )


def distributions(args: argparse.Namespace) -> Any:
    """The releases of ``--packages`` (``None`` when none is given)."""
    if not args.packages:
        return None
    from openstack_requirements.ops.distro import releases

    return releases.load(args.packages)
