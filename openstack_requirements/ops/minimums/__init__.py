"""Minimums that are true: find, explain and fix the lower bounds of a
project's requirements that cannot be installed (the ``minimums``
command).

:mod:`.sets` (what a user installs together), :mod:`.resolutions` (one
uv session, lowest-direct, each input once), :mod:`.check` (per Python),
:mod:`.search` (the lowest release that installs, and why), :mod:`.run`
(projects, rows, the summary) and :mod:`.fix` (raise them in place).
"""
