"""The ``pip`` resolver: ``pip install --dry-run --report`` run by the
target's own interpreter, so each Python needs to be installed; nothing
is installed by it. pip is isolated from the user's configuration
(``--isolated``, ``PIP_CONFIG_FILE`` set to the null device, no ``PIP_*``
variables).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from openstack_requirements.errors import RequirementsError
from openstack_requirements.ops.constraints import Pin
from openstack_requirements.ops.constraints.resolvers.base import (
    ResolutionError,
    Resolver,
    ResolverOptions,
    Target,
    clean_environment,
    interpreter_version,
)


def command(
    requirements: Path, target: Target, options: ResolverOptions, report: Path
) -> list[str]:
    assert target.interpreter is not None
    argv = [
        target.interpreter,
        '-m',
        'pip',
        '--isolated',
        '--disable-pip-version-check',
        '--no-input',
        '--no-color',
        'install',
        '--dry-run',
        '--ignore-installed',
        '--report',
        str(report),
        '-r',
        str(requirements),
        *options.index_arguments(),
    ]
    if options.timeout:
        argv += ['--timeout', str(max(1, int(options.timeout)))]
    return argv


def environment() -> dict[str, str]:
    return clean_environment(('PIP_',), PIP_CONFIG_FILE=os.devnull, PYTHONNOUSERSITE='1')


def parse_report(text: str) -> dict[str, Pin]:
    """The pins of a pip installation report (JSON)."""
    report = json.loads(text)
    pins: dict[str, Pin] = {}
    for item in report.get('install', ()):
        metadata = item['metadata']
        pin = Pin(metadata['name'], metadata['version'])
        pins[pin.key] = pin
    return pins


class PipResolver(Resolver):
    name = 'pip'
    description = 'pip install --dry-run --report, run by each Python; needs the interpreters'
    needs_interpreter = True

    def prepare(self, target: Target) -> Target:
        if target.interpreter:
            return target
        found = shutil.which(f'python{target.python}')
        if found is None:
            raise RequirementsError(
                f'the pip resolver needs an interpreter for Python '
                f'{target.python}: no python{target.python} on PATH '
                '(give its path with -p)'
            )
        version = interpreter_version(found)
        if version != target.python:
            raise RequirementsError(f'{found}: is Python {version}, not {target.python}')
        return Target(target.python, found, target.release)

    def resolve(
        self, requirements: Path, target: Target, options: ResolverOptions
    ) -> dict[str, Pin]:
        if options.resolution:
            raise RequirementsError(
                f'the pip resolver has no {options.resolution} resolution (pip always '
                'prefers the highest versions); use the uv resolver'
            )
        target = self.prepare(target)
        with tempfile.TemporaryDirectory(prefix='osr-pip-') as scratch:
            report = Path(scratch) / 'report.json'
            self.run(
                command(requirements, target, options, report), target, options, environment()
            )
            try:
                return parse_report(report.read_text(encoding='utf-8'))
            except (OSError, ValueError, KeyError) as err:
                raise ResolutionError(
                    target.python, self.name, f'unreadable installation report: {err}'
                ) from None

    def explain(self, stdout: str, stderr: str) -> str:
        # pip explains a conflict on stdout, after its progress lines.
        marker = 'The conflict is caused by:'
        detail = stdout[stdout.index(marker) :] if marker in stdout else ''
        return '\n'.join(part.strip() for part in (stderr, detail) if part)
