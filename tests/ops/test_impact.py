"""impact.compare on the shipped data: every kind of package change."""

from __future__ import annotations

from openstack_requirements.ops.reports.impact import Snapshot, compare
from tests.conftest import DATA

SHIPPED = Snapshot.from_directory(DATA / 'openstack-2026-08-22')


def changed(**texts: str) -> Snapshot:
    fields = {
        'global_text': SHIPPED.global_text,
        'upper_text': SHIPPED.upper_text,
        'excluded_text': SHIPPED.excluded_text,
        'backports_text': SHIPPED.backports_text,
        **texts,
    }
    return Snapshot('proposed', excluded_name='denylist.txt', **fields)  # type: ignore[arg-type]


def test_every_kind_of_change() -> None:
    global_text = (
        SHIPPED.global_text.replace(
            "zVMCloudConnector;sys_platform!='win32'", "zVMCloudConnector;sys_platform=='linux'"
        )
        .replace('WebOb  # MIT', 'WebOb  # MIT licence')  # comment only
        .replace('tenacity  # Apache-2.0\n', '')
        .replace('futurist  # Apache-2.0\n', 'futurist  # Apache-2.0\nbrand-new>=1.0  # MIT\n')
    )
    upper_text = SHIPPED.upper_text.replace('kombu===5.6.2', 'kombu===5.5.0').replace(
        'futurist===3.5.0\n', 'futurist===3.5.0\nbrand-new===1.2\n'
    )
    excluded_text = SHIPPED.excluded_text.replace('\nflake8\n', '\n') + 'tenacity\n'
    backports_text = 'kombu\n'  # importlib-metadata no longer
    proposed = changed(
        global_text=global_text,
        upper_text=upper_text,
        excluded_text=excluded_text,
        backports_text=backports_text,
    )
    assert 'flake8' in SHIPPED.excluded
    found = [(c.name, c.what, c.file, c.old, c.new) for c in compare(SHIPPED, proposed)]
    assert found == [
        ('brand-new', 'added', 'global-requirements.txt', '', 'brand-new>=1.0'),
        ('brand-new', 'constraint added', 'upper-constraints.txt', '', '1.2'),
        ('flake8', 'no longer denylisted', 'denylist.txt', 'flake8', ''),
        ('importlib-metadata', 'backport removed', 'backports.txt', 'importlib-metadata', ''),
        ('kombu', 'backport added', 'backports.txt', '', 'kombu'),
        ('kombu', 'constraint lowered', 'upper-constraints.txt', '5.6.2', '5.5.0'),
        ('tenacity', 'newly denylisted', 'denylist.txt', '', 'tenacity'),
        ('tenacity', 'removed', 'global-requirements.txt', 'tenacity', ''),
        (
            'zVMCloudConnector',
            'markers changed',
            'global-requirements.txt',
            "zVMCloudConnector;sys_platform!='win32'",
            "zVMCloudConnector;sys_platform=='linux'",
        ),
    ]


def test_a_proposed_line_that_does_not_parse() -> None:
    proposed = changed(
        global_text=SHIPPED.global_text.replace('kombu!=4.0.2  #', 'kombu!=4.0.2,<  #')
    )
    [change] = compare(SHIPPED, proposed)
    assert (change.key, change.what, change.line) == (
        'kombu',
        "does not parse: expected a version after '<'",
        93,
    )


def test_a_comment_or_a_constraint_spelt_otherwise_is_no_change() -> None:
    proposed = changed(
        global_text=SHIPPED.global_text.replace(
            'kombu!=4.0.2  # BSD', 'kombu != 4.0.2 # BSD licence'
        ),
        upper_text=SHIPPED.upper_text.replace('kombu===5.6.2', 'Kombu===5.6.2'),
    )
    assert compare(SHIPPED, proposed) == []


def test_a_global_name_spelt_otherwise_is_a_change() -> None:
    """The requirements-check job compares names as written: a project
    spelling kombu as the global list did fails it once it is Kombu."""
    proposed = changed(
        global_text=SHIPPED.global_text.replace('kombu!=4.0.2  # BSD', 'Kombu != 4.0.2 # BSD')
    )
    assert [(c.name, c.what, c.old, c.new, c.governs) for c in compare(SHIPPED, proposed)] == [
        ('Kombu', 'spelling changed', 'kombu!=4.0.2', 'Kombu!=4.0.2', True)
    ]
