"""One finding type: checks, lint and the sync report through it."""

from __future__ import annotations

from openstack_requirements.model import RequirementsFile
from openstack_requirements.ops import sync
from openstack_requirements.ops.checks import lint
from openstack_requirements.ops.findings import Finding


def test_a_finding_shows_as_much_of_its_place_as_is_known() -> None:
    assert str(Finding('sync', 'error', 'r.txt', 3, 'foo', 'bad', 5)) == 'r.txt:3:5: bad'
    assert str(Finding('lint', 'error', 'g-r.txt', 3, 'foo', 'bad')) == 'g-r.txt:3: bad'
    assert str(Finding('crash', 'error', '', None, '', 'boom')) == 'boom'
    assert Finding('c', 'error', 'f', 1, 'p', 'm', 2).row() == ('c', 'error', 'f', 1, 'p', 'm')


def test_lint_and_sync_report_findings() -> None:
    problems = lint.lint(RequirementsFile.parse('b\na\n', 'g-r.txt'))
    assert [str(p) for p in problems] == ['g-r.txt:1: not in order: it goes after a']
    assert {(p.check, p.severity) for p in problems} == {('order', 'error')}
    global_list = sync.GlobalList.from_texts('a>=1  # MIT\n')
    _, _, stops = sync.sync_text('a\nb>=2\n', global_list, path='r.txt')
    assert [str(p) for p in stops] == ["r.txt:2:1: 'b' is not in global-requirements.txt"]
    assert stops[0].check == 'sync'
