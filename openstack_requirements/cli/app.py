"""The ``openstack-requirements`` application and its console scripts."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from cliff import app, commandmanager

NAMESPACE = 'openstack_requirements.cli'


class ExactCommandManager(commandmanager.CommandManager):
    """Commands by their whole name only: no prefix guessing."""

    def find_command(self, argv: list[str]):  # type: ignore[no-untyped-def]
        if argv and argv[0] in self.commands:
            return (self.commands[argv[0]].load(), argv[0], argv[1:])
        raise ValueError(f'unknown command {argv[0]!r}' if argv else 'no command given')


class RequirementsApp(app.App):
    """Keep OpenStack-style global requirements and constraints coherent."""

    def __init__(self) -> None:
        super().__init__(
            description=(type(self).__doc__ or '').strip(),
            version=_version(),
            command_manager=ExactCommandManager(NAMESPACE),
            deferred_help=True,
        )

    #: Set when run as a classic console script (``update-requirements``):
    #: usage, help and errors then name that script.
    classic_name: str | None = None

    def configure_logging(self) -> None:
        """cliff's logging, without stevedore's plugin discovery chatter:
        ``-v`` shows the commands' progress; ``--debug`` shows it all."""
        super().configure_logging()
        if not self.options.debug:
            import logging

            logging.getLogger('stevedore').setLevel(logging.WARNING)

    def interact(self) -> None:
        """No interactive shell: without a command, show the help."""
        self.stderr.write(
            f'usage: {self.NAME} COMMAND [ARGS]; see "{self.NAME} --help" for the commands\n'
        )
        raise SystemExit(2)

    def run_subcommand(self, argv: list[str]) -> int:
        if argv and argv[0] not in self.command_manager.commands:
            near = self.get_fuzzy_matches(argv[0])
            hint = f' (did you mean {", ".join(near)}?)' if near else ''
            self.stderr.write(
                f'{self.NAME}: {argv[0]!r} is not a command{hint}; see "{self.NAME} --help"\n'
            )
            return 2
        return super().run_subcommand(argv)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version('openstack-requirements')
    except PackageNotFoundError:  # not installed: running from a checkout
        return 'unknown'


def main(argv: Sequence[str] | None = None) -> int:
    application = RequirementsApp()
    application.NAME = 'openstack-requirements'
    return application.run(list(sys.argv[1:] if argv is None else argv))


def _classic(name: str):  # type: ignore[no-untyped-def]
    """A console script that runs the app with one command."""

    def run() -> int:
        application = RequirementsApp()
        application.NAME = name
        application.classic_name = name
        return application.run([name, *sys.argv[1:]])

    run.__name__ = name.replace('-', '_')
    return run


update_requirements = _classic('update-requirements')
generate_constraints = _classic('generate-constraints')
edit_constraints = _classic('edit-constraints')
validate_constraints = _classic('validate-constraints')
check_requirements = _classic('check-requirements')
check_constraints = _classic('check-constraints')
check_conflicts = _classic('check-conflicts')
normalize_requirements = _classic('normalize-requirements')
validate_projects = _classic('validate-projects')

if __name__ == '__main__':
    sys.exit(main())
