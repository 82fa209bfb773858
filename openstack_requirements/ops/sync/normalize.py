"""Render a requirements file in canonical form."""

from __future__ import annotations

import os

from openstack_requirements.model import RequirementsFile
from openstack_requirements.ops.files import Change, Changeset, read_text


def normalize_file(path: str | os.PathLike[str]) -> Change:
    old = read_text(path)
    new = RequirementsFile.parse(old, str(path)).canonical().render()
    return Change(str(path), old, new)


def save(change: Change) -> None:
    Changeset([change]).write()
