"""What the command bases take from cliff beyond its documented API.

``cli/base.py`` builds a command's epilog from cliff's ``_epilog`` and
``_hooks`` (skipping cliff's scan of every installed distribution): if a
cliff release renames or changes them, this test fails instead of help
texts quietly losing their epilogs.
"""

from __future__ import annotations

import inspect
from types import SimpleNamespace

from cliff import command

from openstack_requirements.cli.app import RequirementsApp
from openstack_requirements.cli.lint import Lint


def test_epilog_is_cliffs_own_less_the_distribution_scan() -> None:
    app = RequirementsApp()
    cmd = Lint(app, None, cmd_name='lint')
    list(cmd._hooks)  # loaded by cliff, iterable
    cmd._epilog = 'See the docs.'
    cmd._hooks = [
        SimpleNamespace(obj=SimpleNamespace(get_epilog=lambda: 'From a hook.')),
        SimpleNamespace(obj=None),
    ]
    # cliff adds a line naming the plugin's distribution unless it is the
    # app's own: make it the app's own, so both must agree to the letter
    cmd.app_dist_name = command._get_distribution_for_module(inspect.getmodule(cmd))
    assert command.Command.get_epilog(cmd) == 'See the docs.\n\nFrom a hook.'
    assert cmd.get_epilog() == command.Command.get_epilog(cmd)
