"""The XLSX 催办清单: the office document a clerk sends to the units that are late.

Drawn from `status_data`, so it says exactly what the JSON says:

- 汇总 (summary): the title, the day, the catalogue's deadlines with days left or overdue,
  the counts, then one row per indicator;
- 各单位 (by unit): every unit that still owes something, most days overdue first (then in
  the catalogue's order), one block each: its contact at the top, then one row per item.

One sheet for all units rather than one sheet per unit: on the notice's dates nearly every
unit is late (the 联络人员名单 alone was due on 2021-02-25), and forty tabs cannot be
browsed, filtered or printed in one go; one sheet reads top to bottom, prints as one list
and keeps the same layout whether two units are late or forty.

Byte-identical for the same status and epoch: xlsxwriter in memory, the creation date
fixed, no time or hash order in any cell. Laid out for A4 landscape, one page wide."""

from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter

from dossier.i18n import Translator, msg
from dossier.reports import Destination
from dossier.reports.data import status_data
from dossier.status.model import Status

BODY_FONT = "宋体"  # the fonts of official documents, present on every Chinese Windows
TITLE_FONT = "黑体"
LINE = 15.0  # points per line of 11-point text (CJK glyphs are taller than Latin ones)
PAD = 5.0  # points above and below a cell's text
SHEET_NAME_LIMIT = 31  # Excel's
SHEET_NAME_FORBIDDEN = frozenset("[]:*?/\\")

Cell = tuple[Any, str]  # a value (str, int, float, date or None) and its style's name


@dataclass(frozen=True)
class Column:
    heading: str  # registry key
    least: int  # width, in Excel's character units (a CJK character counts 2)
    most: int


def render(status: Status, tr: Translator, to: Destination) -> bytes:
    data = status_data(status, tr)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    title = _title(data, tr)
    created = dt.datetime.fromtimestamp(to.epoch, dt.timezone.utc).replace(tzinfo=None)
    book.set_properties({"title": title, "subject": title, "created": created})
    styles = _styles(book)
    names: list[str] = []
    summary = book.add_worksheet(sheet_name(tr.render(msg("xlsx-sheet/summary")), names))
    _summary(summary, data, tr, styles, title)
    units = book.add_worksheet(sheet_name(tr.render(msg("xlsx-sheet/units")), names))
    _units(units, data, tr, styles, title)
    book.close()
    return buffer.getvalue()


def _title(data: dict[str, Any], tr: Translator) -> str:
    """The city's programme (巴中市创建国家生态文明建设示范市) before 申报资料催办清单."""
    named = data.get("title")
    return tr.render(msg("xlsx-title", title=named) if named else msg("xlsx-title/plain"))


# -- the summary sheet ------------------------------------------------------------------

SUMMARY = (
    Column("xlsx-col/indicator", 5, 6),
    Column("xlsx-col/name", 14, 28),
    Column("xlsx-col/collecting", 12, 20),
    Column("xlsx-col/complete", 8, 9),
    Column("xlsx-col/files", 6, 7),
    Column("xlsx-col/pages", 6, 7),
    Column("xlsx-col/errors", 6, 7),
    Column("xlsx-col/warnings", 6, 7),
    Column("xlsx-col/verdict", 8, 10),
    Column("xlsx-col/volumes", 10, 18),
    Column("xlsx-col/progress", 8, 10),
    Column("xlsx-col/due", 14, 24),
)
# the deadlines' table, laid over the indicators' columns: (first, last) column of each
DEADLINE_SPANS = {"what": (0, 1), "from": (2, 2), "to": (3, 7), "date": (8, 9),
                  "days": (10, 11)}
COUNT_LABEL_SPAN = (0, 2)  # then one count per column, from the fourth on
COUNTS = ("complete", "overdue", "errors", "warnings", "met", "unmet", "no-data",
          "units-overdue", "contacts-missing")


def _summary(sheet: Any, data: dict[str, Any], tr: Translator, styles: dict[str, Any],
             title: str) -> None:
    headings = [tr.render(msg(c.heading)) for c in SUMMARY]
    rows = [_indicator_row(i, tr) for i in data["indicators"]]
    widths = fit_widths(SUMMARY, headings, rows)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    grid = Grid(sheet, widths, styles)
    last = len(widths) - 1
    grid.banner(0, title, "title", 30)
    summary = data["summary"]
    grid.banner(1, tr.render(msg("xlsx-as-of", date=data["as_of"],
                                 count=summary["indicators"])), "subtitle", 20)
    row = _deadlines(grid, 2, data["deadlines"], tr)
    row = _counts(grid, row, summary, tr)
    header = row + 1
    grid.row(header, [(h, "head") for h in headings])
    for n, cells in enumerate(rows, header + 1):
        grid.row(n, cells)
    last_row = header + max(len(rows), 1)
    sheet.conditional_format(header + 1, 3, last_row, 3, {
        "type": "data_bar", "bar_color": "#9BC2E6", "bar_solid": True,
        "min_type": "num", "min_value": 0, "max_type": "num", "max_value": 1})
    if rows:
        sheet.autofilter(header, 0, last_row, last)
    _print_setup(sheet, header, title, tr)


def _indicator_row(ind: dict[str, Any], tr: Translator) -> list[Cell]:
    due = ind["due"]
    late = ind["progress"] == "overdue"
    return [
        (ind["indicator"], "number"),
        (ind["name"], "text"),
        (ind["collecting"] or "", "text"),
        (ind["percent"] / 100, "percent"),
        (ind["files"], "number"),
        (ind["pages"], "number"),
        (ind["errors"], "bad-number" if ind["errors"] else "number"),
        (ind["warnings"], "number"),
        (ind["verdict_text"], "bad" if ind["verdict"] == "unmet" else "center"),
        (_volumes(ind["volumes"], tr), "text"),
        (ind["progress_text"], "bad" if late else "center"),
        (due["text"] if due else tr.render(msg("status-due/none")),
         "bad-text" if late else "text"),
    ]


def _volumes(volumes: Sequence[dict[str, Any]], tr: Translator) -> str:
    """One line per state: "up to date: 3 volumes"."""
    if not volumes:
        return tr.render(msg("status-volume/none"))
    counted: dict[str, int] = {}
    for v in volumes:
        counted[v["state_text"]] = counted.get(v["state_text"], 0) + 1
    return "\n".join(tr.render(msg("xlsx-volumes", state=state, count=n))
                     for state, n in counted.items())


def _deadlines(grid: Grid, row: int, deadlines: Sequence[dict[str, Any]],
               tr: Translator) -> int:
    """The catalogue's deadlines under their headings; returns the next free row."""
    heads = {"what": "xlsx-col/deadline-what", "from": "xlsx-col/deadline-from",
             "to": "xlsx-col/deadline-to", "date": "xlsx-col/deadline-date",
             "days": "xlsx-col/deadline-days"}
    grid.spans(row, [(DEADLINE_SPANS[k], tr.render(msg(v)), "head") for k, v in heads.items()])
    for n, due in enumerate(deadlines, row + 1):
        late = due["overdue"] > 0
        grid.spans(n, [
            (DEADLINE_SPANS["what"], due["what"], "text"),
            (DEADLINE_SPANS["from"], due["from"], "center"),
            (DEADLINE_SPANS["to"], due["to"], "text"),
            (DEADLINE_SPANS["date"], dt.date.fromisoformat(due["date"]), "date"),
            (DEADLINE_SPANS["days"], due["short"], "bad" if late else "center"),
        ])
    return row + 1 + len(deadlines)


def _counts(grid: Grid, row: int, summary: dict[str, Any], tr: Translator) -> int:
    """The counts in two rows (names above numbers); returns the next free row."""
    values = {"complete": summary["complete"], "overdue": summary["overdue"],
              "errors": summary["errors"], "warnings": summary["warnings"],
              **summary["verdicts"], "units-overdue": summary["units_overdue"],
              "contacts-missing": summary["contacts_missing"]}
    first = COUNT_LABEL_SPAN[1] + 1
    names = [((first + n, first + n), tr.render(msg(f"xlsx-count/{k}")), "head")
             for n, k in enumerate(COUNTS)]
    numbers = [((first + n, first + n), values[k], "number") for n, k in enumerate(COUNTS)]
    grid.spans(row, [(COUNT_LABEL_SPAN, tr.render(msg("xlsx-count/label")), "head"), *names])
    grid.spans(row + 1, [(COUNT_LABEL_SPAN, tr.render(msg("xlsx-count/value")), "head"),
                         *numbers])
    return row + 2


# -- the units' sheet -------------------------------------------------------------------

UNITS = (
    Column("xlsx-col/indicator", 10, 24),
    Column("xlsx-col/point", 30, 50),
    Column("xlsx-col/year", 6, 8),
    Column("xlsx-col/date", 11, 12),
    Column("xlsx-col/overdue", 8, 12),
    Column("xlsx-col/to", 14, 26),
)
UNIT_SPAN, CONTACT_SPAN = (0, 1), (2, 5)  # a block's first row: the unit, its contact


def _units(sheet: Any, data: dict[str, Any], tr: Translator, styles: dict[str, Any],
           title: str) -> None:
    names = {i["indicator"]: i["name"] for i in data["indicators"]}
    blocks = [(u, [_item_row(m, names, tr) for m in owed_items(u)]) for u in owing(data["units"])]
    headings = [tr.render(msg(c.heading)) for c in UNITS]
    widths = fit_widths(UNITS, headings, [r for _, rows in blocks for r in rows])
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    grid = Grid(sheet, widths, styles)
    last = len(widths) - 1
    grid.banner(0, tr.render(msg("xlsx-units-title", date=data["as_of"])), "title", 30)
    grid.banner(1, tr.render(msg("xlsx-units-note")), "subtitle", 0)
    header = 2
    grid.row(header, [(h, "head") for h in headings])
    row = header + 1
    if not blocks:
        grid.spans(row, [((0, last), tr.render(msg("xlsx-units/none")), "text")])
    for unit, rows in blocks:
        grid.spans(row, [(UNIT_SPAN, unit["unit"], "unit"),
                         (CONTACT_SPAN, _contact(unit, tr), "contact")])
        for n, cells in enumerate(rows, row + 1):
            grid.row(n, cells)
        row += 1 + len(rows)
    _print_setup(sheet, header, title, tr)


def owing(units: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The units that still owe something, most days overdue first; equal ones keep the
    catalogue's order (the notice's list), which a clerk knows better than any sort of
    Chinese names by code point."""
    found = [u for u in units if owed_items(u)]
    return sorted(found, key=lambda u: -u["overdue"])


def owed_items(unit: dict[str, Any]) -> list[dict[str, Any]]:
    """The unit's missing items as status_data has them; first its contact, when it has
    not sent one (what == "contact", due: the contacts deadline)."""
    items = list(unit["missing"])
    if unit["contact_state"] in ("open", "overdue", "invalid"):
        what = "contact-invalid" if unit["contact_state"] == "invalid" else "contact"
        items.insert(0, {"indicator": None, "what": what, "tag": "", "text": "",
                         "year": None, "count": 0,
                         "due": unit["contact_due"] if what == "contact" else None})
    return items


def _item_row(item: dict[str, Any], names: dict[int, str], tr: Translator) -> list[Cell]:
    number = item["indicator"]
    due = item["due"]
    indicator = "" if number is None else f"{number} {names.get(number, '')}".strip()
    late = bool(due) and due["overdue"] > 0
    return [
        (indicator, "text"),
        (item_text(item, tr), "text"),
        (item["year"] if item["year"] is not None else "", "center"),
        (dt.date.fromisoformat(due["date"]) if due else "", "date"),
        (due["overdue"], "bad-number") if late else ("", "center"),  # numbers only: sortable
        (due["to"] if due else "", "text"),
    ]


def item_text(item: dict[str, Any], tr: Translator) -> str:
    """The 审核要点 cell: the review point (tag and text), or what else is owed."""
    what = item["what"]
    if what == "point":
        return f"{item['tag']} {item['text']}".strip()
    if what == "errors":
        return tr.render(msg("xlsx-item/errors", count=item["count"]))
    if what == "contact":
        return tr.render(msg("xlsx-item/contact"))
    if what == "contact-invalid":
        return tr.render(msg("status-missing/contact-invalid"))
    return tr.render(msg("xlsx-item/part"))


def _contact(unit: dict[str, Any], tr: Translator) -> str:
    contact = unit["contact"]
    if contact is None:
        if unit["contact_state"] == "not-needed":
            return str(unit["contact_text"])
        return tr.render(msg("xlsx-contact/none"))
    if contact["title"]:
        return tr.render(msg("xlsx-contact", name=contact["name"], title=contact["title"],
                             phone=contact["phone"]))
    return tr.render(msg("xlsx-contact/no-title", name=contact["name"],
                         phone=contact["phone"]))


# -- layout -----------------------------------------------------------------------------

def text_width(text: str) -> int:
    """Width in Excel's character units: a CJK (wide or full-width) character counts 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.0%}"
    return "" if value is None else str(value)


def fit_widths(columns: Sequence[Column], headings: Sequence[str],
               rows: Iterable[Sequence[Cell]]) -> list[int]:
    """Each column as wide as its longest line (and its heading), within its bounds;
    longer text wraps."""
    widest = [text_width(h) for h in headings]
    for cells in rows:
        for col, (value, _) in enumerate(cells):
            lines = _shown(value).split("\n")
            widest[col] = max(widest[col], *(text_width(line) for line in lines))
    return [min(c.most, max(c.least, w + 2)) for c, w in zip(columns, widest, strict=True)]


def lines_needed(text: str, width: float) -> int:
    room = max(1.0, width - 1.5)  # the cell's padding
    return sum(max(1, math.ceil(text_width(line) / room)) for line in text.split("\n"))


class Grid:
    """Writes rows of cells (single or merged) and sets each row's height to fit its
    wrapped text, so every spreadsheet program shows and prints all of it."""

    def __init__(self, sheet: Any, widths: Sequence[int], styles: dict[str, Any]) -> None:
        self.sheet = sheet
        self.widths = widths
        self.styles = styles

    def row(self, row: int, cells: Sequence[Cell]) -> None:
        self.spans(row, [((col, col), value, style)
                         for col, (value, style) in enumerate(cells)])

    def banner(self, row: int, text: str, style: str, height: float) -> None:
        """One line across the sheet (height 0: as its text needs)."""
        self.spans(row, [((0, len(self.widths) - 1), text, style)], height)

    def spans(self, row: int, cells: Sequence[tuple[tuple[int, int], Any, str]],
              height: float = 0) -> None:
        needed = 1
        for (first, last), value, style in cells:
            fmt = self.styles[style]
            if first == last:
                self._write(row, first, value, fmt)
            else:
                self.sheet.merge_range(row, first, row, last, None, fmt)
                self._write(row, first, value, fmt)
            width = sum(self.widths[first:last + 1])
            needed = max(needed, lines_needed(_shown(value), width))
        self.sheet.set_row(row, height or needed * LINE + PAD)

    def _write(self, row: int, col: int, value: Any, fmt: Any) -> None:
        if isinstance(value, str):
            if value:
                self.sheet.write_string(row, col, value, fmt)
            else:
                self.sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, dt.date):
            self.sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt)
        elif isinstance(value, (int, float)):
            self.sheet.write_number(row, col, value, fmt)
        else:
            self.sheet.write_blank(row, col, None, fmt)


def _styles(book: Any) -> dict[str, Any]:
    base = {"font_name": BODY_FONT, "font_size": 11, "valign": "vcenter", "text_wrap": True}
    boxed = {**base, "border": 1, "border_color": "#808080"}
    red = {"font_color": "#C00000"}
    styles = {
        "title": {**base, "font_name": TITLE_FONT, "font_size": 16, "bold": True,
                  "align": "center"},
        "subtitle": {**base, "align": "left"},
        "head": {**boxed, "bold": True, "align": "center", "bg_color": "#D9E1F2"},
        "text": {**boxed, "align": "left"},
        "center": {**boxed, "align": "center"},
        "number": {**boxed, "align": "center", "num_format": "0"},
        "percent": {**boxed, "align": "center", "num_format": "0%"},
        "date": {**boxed, "align": "center", "num_format": "yyyy-mm-dd"},
        "bad": {**boxed, **red, "align": "center", "bold": True},
        "bad-text": {**boxed, **red, "align": "left"},
        "bad-number": {**boxed, **red, "align": "center", "bold": True, "num_format": "0"},
        "unit": {**boxed, "bold": True, "font_size": 12, "align": "left",
                 "bg_color": "#FCE4D6"},
        "contact": {**boxed, "align": "left", "bg_color": "#FCE4D6"},
    }
    return {name: book.add_format(props) for name, props in styles.items()}


def _print_setup(sheet: Any, header: int, title: str, tr: Translator) -> None:
    """A4 landscape, one page wide, the header row frozen and on every page, the title
    above and page numbers below."""
    sheet.freeze_panes(header + 1, 0)
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    sheet.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.7)
    sheet.repeat_rows(header)
    printed = title.replace("&", "&&")[:200]  # & starts a code in Excel's header text
    sheet.set_header(f"&C&12{printed}", {"margin": 0.3})
    sheet.set_footer("&C" + tr.render(msg("xlsx-footer")), {"margin": 0.3})


def sheet_name(wanted: str, taken: list[str]) -> str:
    """A name Excel accepts (at most 31 characters, none of []:*?/\\, not starting or
    ending with an apostrophe), unique among `taken` (case-insensitively); appended."""
    clean = "".join("_" if c in SHEET_NAME_FORBIDDEN else c for c in wanted).strip("'")
    clean = clean[:SHEET_NAME_LIMIT] or "Sheet"
    used = {t.casefold() for t in taken}
    name, n = clean, 1
    while name.casefold() in used:
        n += 1
        suffix = f"({n})"
        name = clean[:SHEET_NAME_LIMIT - len(suffix)] + suffix
    taken.append(name)
    return name
