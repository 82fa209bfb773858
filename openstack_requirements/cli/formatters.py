"""``-f html``: any lister's rows as one self-contained page.

The page needs no network: its style and its script are inline. It
shows the command line and the date at the top, then the table, which
sorts by a click on a column's heading and filters by the text typed
above it; a row is coloured by its ``Severity`` column, if the lister
has one.
"""

from __future__ import annotations

import argparse
import datetime
import html
import os
import shlex
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from cliff.formatters import base

_STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
header p{margin:.2em 0;color:#555}
code{background:#f3f3f3;padding:.1em .3em}
input{margin:.8em 0;padding:.3em;width:24em}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#eee;cursor:pointer;user-select:none;position:sticky;top:0}
th[aria-sort=ascending]::after{content:" \\25B2"}
th[aria-sort=descending]::after{content:" \\25BC"}
tr.error td{background:#fbdada}
tr.warning td{background:#fdf1c9}
tr.info td{background:#e3eefb}
td.number{text-align:right}
"""

_SCRIPT = """
(function () {
  var table = document.getElementById('rows');
  var body = table.tBodies[0];
  var filter = document.getElementById('filter');
  var count = document.getElementById('count');
  function show() {
    var words = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var text = row.textContent.toLowerCase();
      var keep = words.every(function (w) { return text.indexOf(w) >= 0; });
      row.hidden = !keep;
      if (keep) { shown++; }
    });
    count.textContent = shown + ' of ' + body.rows.length + ' rows';
  }
  function key(cell) {
    var text = cell.textContent.trim();
    var number = Number(text);
    return text !== '' && !isNaN(number) ? [0, number] : [1, text.toLowerCase()];
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
    th.addEventListener('click', function () {
      var up = th.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
        other.removeAttribute('aria-sort');
      });
      th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a.cells[column]), y = key(b.cells[column]);
        var order = x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0);
        return up ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  filter.addEventListener('input', show);
  show();
})();
"""


def command_line(argv: Sequence[str] | None = None) -> str:
    args = list(sys.argv if argv is None else argv)
    if not args:
        return ''
    return shlex.join([os.path.basename(args[0]), *args[1:]])


def _title(command: str) -> str:
    words = command.split()
    return ' '.join(words[:2]) if words else 'report'


def render(
    column_names: Sequence[str],
    data: Iterable[Sequence[Any]],
    command: str,
    when: datetime.datetime,
) -> str:
    """The page of ``data``'s rows, headed by ``command`` and ``when``."""
    lower = [c.lower() for c in column_names]
    severity = lower.index('severity') if 'severity' in lower else None
    out = [
        '<!DOCTYPE html>',
        '<html lang="en">',
        '<head>',
        '<meta charset="utf-8">',
        f'<title>{html.escape(command or "report")}</title>',
        f'<style>{_STYLE}</style>',
        '</head>',
        '<body>',
        '<header>',
        f'<h1>{html.escape(_title(command))}</h1>',
        f'<p>Command: <code id="command">{html.escape(command)}</code></p>',
        f'<p>Date: <time id="date" datetime="{when.isoformat()}">'
        f'{when.strftime("%Y-%m-%d %H:%M:%S %Z")}</time></p>',
        '</header>',
        '<input id="filter" type="search" placeholder="Filter rows" '
        'aria-label="Filter rows"> <span id="count"></span>',
        '<table id="rows">',
        '<thead><tr>',
    ]
    out += [f'<th scope="col">{html.escape(str(c))}</th>' for c in column_names]
    out += ['</tr></thead>', '<tbody>']
    for row in data:
        values = list(row)
        kind = str(values[severity]).lower() if severity is not None else ''
        attribute = f' class="{html.escape(kind)}"' if kind else ''
        cells = []
        for value in values:
            text = '' if value is None else str(value)
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            opening = '<td class="number">' if number else '<td>'
            cells.append(f'{opening}{html.escape(text)}</td>')
        out.append(f'<tr{attribute}>{"".join(cells)}</tr>')
    out += ['</tbody>', '</table>', f'<script>{_SCRIPT}</script>', '</body>', '</html>', '']
    return '\n'.join(out)


class HtmlFormatter(base.ListFormatter):
    """One self-contained HTML page: a sortable, filterable table."""

    def add_argument_group(self, parser: argparse.ArgumentParser) -> None:
        pass

    def emit_list(
        self,
        column_names: Sequence[str],
        data: Iterable[Sequence[Any]],
        stdout: TextIO,
        parsed_args: argparse.Namespace,
    ) -> None:
        stdout.write(
            render(column_names, data, command_line(), datetime.datetime.now(datetime.UTC))
        )
