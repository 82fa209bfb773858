"""What ``uv pip compile`` prints, as pins: its ``name==version`` lines,
or the ``pylock.toml`` it writes (``--format pylock.toml``) with a wheel
of each pin."""

from __future__ import annotations

from openstack_requirements.ops.constraints import Pin
from openstack_requirements.ops.constraints.resolvers.base import ResolutionError

__all__ = ['parse_pins', 'parse_pylock']


def parse_pins(output: str, python: str, resolver: str = 'uv') -> dict[str, Pin]:
    """``name==version`` lines (what ``uv pip compile`` prints) as pins."""
    from openstack_requirements.model import parse_line

    pins: dict[str, Pin] = {}
    for number, text in enumerate(output.splitlines(), 1):
        line = parse_line(text, path=f'<{resolver} output>', lineno=number)
        requirement = line.requirement
        if requirement is None:
            continue
        exact = [s for s in requirement.specifier if s.operator == '==']
        if requirement.name is None or len(exact) != 1 or requirement.url:
            raise ResolutionError(python, resolver, f'not an exact pin: {text.strip()}')
        pin = Pin(requirement.name, exact[0].version, exact_name=False)
        pins[pin.key] = pin
    return pins


def parse_pylock(
    text: str, python: str, resolver: str = 'uv'
) -> tuple[dict[str, Pin], dict[str, tuple[str, str | None]]]:
    """The pins of a ``pylock.toml`` (``--format pylock.toml``) and, by
    canonical name, the URL of one of each pin's wheels and its sha256
    (None: not given)."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except ValueError as err:
        raise ResolutionError(python, resolver, f'unreadable pylock.toml: {err}') from None
    pins: dict[str, Pin] = {}
    wheels: dict[str, tuple[str, str | None]] = {}
    for package in data.get('packages', ()):
        name, version = package.get('name'), package.get('version')
        if not name or not version:
            raise ResolutionError(python, resolver, f'not an exact pin: {package!r}')
        pin = Pin(str(name), str(version), exact_name=False)
        pins[pin.key] = pin
        for wheel in package.get('wheels', ()):
            if wheel.get('url'):
                digest = (wheel.get('hashes') or {}).get('sha256')
                wheels[pin.key] = (str(wheel['url']), f'sha256={digest}' if digest else None)
                break
    return pins, wheels
