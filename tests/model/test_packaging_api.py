"""What the model takes from packaging beyond its documented API.

packaging's parse errors carry their message and the span of the fault
on a private ``ParserSyntaxError`` (the ``__cause__`` of InvalidRequirement
and InvalidMarker). Every caret the model prints comes from it: if a
packaging release changes it, these tests fail instead of the carets
quietly moving to column 1.
"""

from __future__ import annotations

import pytest
from packaging._tokenizer import ParserSyntaxError
from packaging.markers import InvalidMarker, Marker
from packaging.requirements import InvalidRequirement, Requirement

from openstack_requirements.model.diagnostics import syntax_error


@pytest.mark.parametrize(
    'make, text, error, start',
    [
        (Requirement, 'foo>=1.0 bar', InvalidRequirement, 3),
        (Requirement, 'foo[bar', InvalidRequirement, 3),
        (Marker, 'python_versio == "3"', InvalidMarker, 0),
        (Marker, 'os_name == "nt" and', InvalidMarker, 19),
    ],
)
def test_parse_errors_carry_message_and_span(make, text, error, start) -> None:
    with pytest.raises(error) as info:
        make(text)
    cause = info.value.__cause__
    assert isinstance(cause, ParserSyntaxError)
    assert isinstance(cause.message, str) and cause.message
    assert '\n' not in cause.message
    begin, end = cause.span
    assert (begin, isinstance(end, int)) == (start, True)
    assert syntax_error(info.value) == (cause.message, start)


def test_an_error_without_a_syntax_cause_gives_its_first_line() -> None:
    err = InvalidRequirement('first line\nsecond')
    assert syntax_error(err) == ('first line', 0)
