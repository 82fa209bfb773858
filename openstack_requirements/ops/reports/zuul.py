"""Which listed projects run the requirements check in Zuul.

A project accepted the requirements contract when its Zuul project
stanza uses the ``check-requirements`` template (or runs the
``requirements-check`` job in its check pipeline). That stanza lives in
the project's own repository (``zuul.yaml``, ``zuul.d/*.yaml``,
``.zuul.yaml`` or ``.zuul.d/*.yaml``; Zuul reads the first of these it
finds) or in project-config's ``zuul.d/projects.yaml``; Zuul merges the
two, and so does this check.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from openstack_requirements.errors import FileError, ParseError, RequirementsError
from openstack_requirements.ops.files import read_text
from openstack_requirements.ops.project.selection import Selection

TEMPLATE = 'check-requirements'
JOB = 'requirements-check'
#: Projects the contract does not apply to: the linter, the build tool,
#: and the requirements repository itself.
EXEMPT = frozenset({'openstack/hacking', 'openstack/pbr', 'openstack/requirements'})
#: Where a project keeps its Zuul configuration, in the order Zuul looks.
IN_REPO = ('zuul.yaml', 'zuul.d', '.zuul.yaml', '.zuul.d')

OK = 'ok'
EXEMPTED = 'exempt'
MISSING = 'no check-requirements'
NOT_FOUND = 'not found'
UNREADABLE = 'unreadable'
PROBLEMS = (MISSING, NOT_FOUND, UNREADABLE)

COLUMNS = ('Project', 'Status', 'Config', 'Message')


@dataclasses.dataclass(frozen=True)
class Result:
    project: str
    status: str
    config: str  # the files read, comma-separated
    message: str

    def row(self) -> tuple[str, str, str, str]:
        return (self.project, self.status, self.config, self.message)


# -- reading Zuul YAML ---------------------------------------------------------


def _loader() -> Any:
    """A safe loader that also reads Zuul's own tags (``!encrypted/...``,
    ``!inherit``) as the plain values they tag."""
    import yaml

    class ZuulLoader(yaml.SafeLoader):
        pass

    def tagged(loader: Any, suffix: str, node: Any) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node, deep=True)
        return loader.construct_mapping(node, deep=True)

    ZuulLoader.add_multi_constructor('!', tagged)
    return ZuulLoader


def load(path: str | os.PathLike[str]) -> list[Any]:
    """The top-level list of a Zuul configuration file; a YAML error is a
    :class:`ParseError` at its line and column."""
    import yaml

    text = read_text(path)
    try:
        document = yaml.load(text, Loader=_loader())  # noqa: S506 (a SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        lines = text.splitlines()
        raise ParseError(
            err.problem or err.context or 'invalid YAML',
            path=str(path),
            line=line,
            column=column,
            source=lines[line - 1] if line <= len(lines) else '',
        ) from None
    except yaml.YAMLError as err:
        raise ParseError(f'invalid YAML: {err}', path=str(path)) from None
    if document is None:
        return []
    if not isinstance(document, list):
        raise ParseError('a Zuul configuration is a list of items', path=str(path))
    return document


def stanzas(document: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """The ``project`` items of a configuration (jobs, templates and the
    rest are skipped)."""
    for item in document:
        if isinstance(item, dict) and isinstance(item.get('project'), dict):
            yield item['project']


def names_project(name: object, project: str) -> bool:
    """Does a stanza's ``name`` apply to ``project`` (``org/name``)? An
    exact or canonical (``host/org/name``) name, or a regular expression
    (a name starting with ``^``), as Zuul reads them."""
    if not isinstance(name, str):
        return False
    if name.startswith('^'):
        try:
            return re.match(name, project) is not None
        except re.error:
            return False
    return name == project or name.endswith('/' + project)


def runs_check(stanza: dict[str, Any]) -> bool:
    """The stanza uses the template, or lists the job in its check pipeline."""
    templates = stanza.get('templates') or []
    if isinstance(templates, list) and TEMPLATE in templates:
        return True
    pipeline = stanza.get('check')
    jobs = pipeline.get('jobs') if isinstance(pipeline, dict) else None
    for job in jobs if isinstance(jobs, list) else []:
        if job == JOB or (isinstance(job, dict) and JOB in job):
            return True
    return False


def in_repo_files(checkout: Path) -> list[Path]:
    """The files Zuul reads from a project's repository: the first of
    :data:`IN_REPO` that exists (a directory: its ``*.yaml``, sorted)."""
    for name in IN_REPO:
        place = checkout / name
        if place.is_file():
            return [place]
        if place.is_dir():
            return sorted(p for p in place.rglob('*.yaml') if p.is_file())
    return []


# -- the check -------------------------------------------------------------------


def project_config_file(path: str | os.PathLike[str]) -> Path:
    """project-config's projects file: the path itself, or
    ``zuul.d/projects.yaml`` under a project-config checkout."""
    place = Path(path)
    if place.is_dir():
        place = place / 'zuul.d' / 'projects.yaml'
    if not place.is_file():
        raise FileError(f'{place}: no such file')
    return place


def validate(
    selection: Selection,
    *,
    project_config: str | os.PathLike[str] | None = None,
) -> list[Result]:
    """One result per project of the list ``selection`` read.

    Each project's own Zuul configuration is read from its checkout (if
    found); with ``project_config``, project-config's stanzas count too. A
    project passes when either runs the check."""
    central: list[dict[str, Any]] = []
    central_label = ''
    if project_config is not None:
        path = project_config_file(project_config)
        central = list(stanzas(load(path)))
        central_label = str(path)
    return [
        _one(name, checkout, selection.where, central, central_label)
        for name, checkout in selection.listed
    ]


def _one(
    project: str,
    checkout: Path | None,
    where: str,
    central: list[dict[str, Any]],
    central_label: str,
) -> Result:
    if project in EXEMPT:
        return Result(project, EXEMPTED, '', 'exempt from the requirements contract')
    read: list[str] = []
    applying = [s for s in central if names_project(s.get('name'), project)]
    # a regular expression (``^openstack/.*``) applies to the project, but
    # only a stanza naming it says project-config configures it
    if any(not str(s.get('name')).startswith('^') for s in applying):
        read.append(central_label)
    files = in_repo_files(checkout) if checkout is not None else []
    for path in files:
        try:
            document = load(path)
        except RequirementsError as err:
            return Result(project, UNREADABLE, str(path), str(err))
        applying.extend(
            s for s in stanzas(document) if 'name' not in s or names_project(s['name'], project)
        )
    read.extend(str(p) for p in files)
    config = ', '.join(read)
    if any(runs_check(s) for s in applying):
        return Result(project, OK, config, '')
    if checkout is None:
        # its own configuration is unknown: it may well run the check
        message = f'no checkout under {where}'
        if read:
            message += f' (project-config does not run {TEMPLATE} for it)'
        return Result(project, NOT_FOUND, config, message)
    if not files and not read:
        return Result(
            project, MISSING, '', f'no Zuul configuration in {checkout} ({", ".join(IN_REPO)})'
        )
    return Result(
        project, MISSING, config, f'no {TEMPLATE} template and no {JOB} job in its check pipeline'
    )
