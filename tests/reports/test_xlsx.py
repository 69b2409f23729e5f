"""The XLSX 催办清单, read back with openpyxl: its sheets, headings, print setup, and that
it says what the JSON says (status_data) about every indicator and every late unit."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from dossier.catalogue import Catalogue
from dossier.i18n import Translator, msg, translator
from dossier.reports import Destination
from dossier.reports.data import status_data
from dossier.reports.xlsx import (
    SUMMARY,
    UNITS,
    fit_widths,
    item_text,
    owed_items,
    render,
    sheet_name,
    text_width,
)
from dossier.status import status
from dossier.status.model import Status
from statusmaker import AS_OF, EPOCH, EXAMPLE, office_tree

ZH = translator("zh")


def words(key: str, tr: Translator = ZH, **params: Any) -> str:
    return tr.render(msg(key, **params))


def load(blob: bytes) -> Any:
    with warnings.catch_warnings():  # openpyxl drops the data bar's 2010 extension, noisily
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(io.BytesIO(blob))


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> Status:
    """The merged tree of several units (an import record, a few contacts) on 2021-03-06."""
    return status(office_tree(tmp_path_factory.mktemp("office"), catalogue), catalogue,
                  as_of=AS_OF)


@pytest.fixture(scope="module")
def book(office: Status, tmp_path_factory: pytest.TempPathFactory) -> Any:
    to = Destination(tmp_path_factory.mktemp("out") / "催办清单.xlsx", EPOCH)
    return load(render(office, ZH, to))


@pytest.fixture(scope="module")
def data(office: Status) -> dict[str, Any]:
    return status_data(office, ZH)


def rows(ws: Any, start: int) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(min_row=start, values_only=True)]


def header_row(ws: Any, headings: list[str]) -> int:
    """The 1-based row holding exactly these headings (from column A)."""
    for n, values in enumerate(ws.iter_rows(values_only=True), 1):
        if list(values[:len(headings)]) == headings:
            return n
    raise AssertionError(f"no row with {headings}")


def width_of(ws: Any, col: int) -> float:
    """A column's width; adjacent columns of one width are stored as one range."""
    return float(next(d.width for d in ws.column_dimensions.values() if d.min <= col <= d.max))


def as_date(iso: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(iso), dt.time())


# -- sheets, headings, layout -------------------------------------------------------------

def test_sheets_headings_and_frozen_header(book: Any) -> None:
    summary_name, units_name = words("xlsx-sheet/summary"), words("xlsx-sheet/units")
    assert book.sheetnames == [summary_name, units_name]
    for ws, columns in ((book[summary_name], SUMMARY), (book[units_name], UNITS)):
        headings = [words(c.heading) for c in columns]
        at = header_row(ws, headings)
        assert ws.freeze_panes == f"A{at + 1}"  # the heading row stays in view
        assert ws.print_title_rows == f"${at}:${at}"  # and is printed on every page


def test_print_setup_is_a4_landscape_one_page_wide(book: Any) -> None:
    for ws in book.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape"
        assert setup.paperSize == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (setup.fitToWidth or 1) == 1  # 1 is the default, so xlsxwriter omits it
        assert setup.fitToHeight == 0  # as many pages down as it needs
        footer = ws.oddFooter.center.text
        assert "&P" in footer and "&N" in footer
        assert ws.oddHeader.center.text  # the print title
        assert ws.page_margins.left < 0.75


def test_text_wraps_inside_borders_and_widths_fit(book: Any) -> None:
    ws = book[words("xlsx-sheet/units")]
    headings = [words(c.heading) for c in UNITS]
    at = header_row(ws, headings)
    cell = ws.cell(at + 2, 2)  # the first item's 审核要点
    assert cell.value
    assert cell.alignment.wrap_text
    assert cell.border.left.style == "thin"
    for col, column in enumerate(UNITS, 1):
        assert column.least <= int(width_of(ws, col)) <= column.most  # stored with 0.71 more
    assert ws.row_dimensions[at + 2].height >= 15  # set to fit the wrapped lines


# -- the same as the JSON -----------------------------------------------------------------

def test_summary_numbers_agree_with_the_json(book: Any, data: dict[str, Any]) -> None:
    ws = book[words("xlsx-sheet/summary")]
    at = header_row(ws, [words(c.heading) for c in SUMMARY])
    body = rows(ws, at + 1)
    assert len(body) == len(data["indicators"])
    for values, ind in zip(body, data["indicators"], strict=True):
        (number, name, collecting, done, files, pages, errors, warns, verdict, _volumes,
         state, due) = values
        assert (number, name, collecting or None) == (ind["indicator"], ind["name"],
                                                      ind["collecting"])
        assert round(done * 100) == ind["percent"]
        assert (files, pages, errors, warns) == (ind["files"], ind["pages"], ind["errors"],
                                                 ind["warnings"])
        assert (verdict, state, due) == (ind["verdict_text"], ind["progress_text"],
                                         ind["due"]["text"])
    assert ws.cell(at + 1, 4).number_format == "0%"


def test_summary_counts_and_deadlines_agree_with_the_json(book: Any,
                                                          data: dict[str, Any]) -> None:
    ws = book[words("xlsx-sheet/summary")]
    cells = rows(ws, 1)
    label = next(n for n, r in enumerate(cells) if r[0] == words("xlsx-count/label"))
    names, numbers = cells[label][3:12], cells[label + 1][3:12]
    counted = dict(zip(names, numbers, strict=True))
    s = data["summary"]
    assert counted == {
        words("xlsx-count/complete"): s["complete"], words("xlsx-count/overdue"): s["overdue"],
        words("xlsx-count/errors"): s["errors"], words("xlsx-count/warnings"): s["warnings"],
        words("xlsx-count/met"): s["verdicts"]["met"],
        words("xlsx-count/unmet"): s["verdicts"]["unmet"],
        words("xlsx-count/no-data"): s["verdicts"]["no-data"],
        words("xlsx-count/units-overdue"): s["units_overdue"],
        words("xlsx-count/contacts-missing"): s["contacts_missing"]}
    head = next(n for n, r in enumerate(cells) if r[0] == words("xlsx-col/deadline-what"))
    shown = [(r[0], r[2], r[3], r[8], r[10]) for r in cells[head + 1:head + 4]]
    assert [d["kind"] for d in data["deadlines"]] == ["contacts", "contribution", "handover"]
    assert shown == [(d["what"], d["from"], d["to"], as_date(d["date"]), d["short"])
                     for d in data["deadlines"]]
    assert data["deadlines"][0]["overdue"] == 9  # 2021-02-25, as of 2021-03-06


def unit_blocks(ws: Any) -> dict[str, tuple[int, str, list[list[Any]]]]:
    """unit -> (its block's row, the contact line, the item rows), read from the sheet:
    a block begins with a merged row whose A cell names the unit."""
    merged = {str(r) for r in ws.merged_cells.ranges}
    at = header_row(ws, [words(c.heading) for c in UNITS])
    blocks: dict[str, tuple[int, str, list[list[Any]]]] = {}
    current: list[list[Any]] = []
    for n, values in enumerate(rows(ws, at + 1), at + 1):
        if f"A{n}:B{n}" in merged:
            current = []
            blocks[values[0]] = (n, values[2], current)
        else:
            current.append(values)
    return blocks


def test_every_late_unit_with_each_missing_item(book: Any, data: dict[str, Any]) -> None:
    blocks = unit_blocks(book[words("xlsx-sheet/units")])
    late = [u for u in data["units"] if u["overdue"] > 0]
    assert len(late) >= 3
    for unit in late:
        assert unit["unit"] in blocks, unit["unit"]
        _, contact, items = blocks[unit["unit"]]
        expected = list(unit["missing"])
        if unit["contact_state"] in ("open", "overdue"):
            assert contact == words("xlsx-contact/none")
            head, *items = items
            assert head[1] == words("xlsx-item/contact")
            assert head[3] == as_date(unit["contact_due"]["date"])
            assert head[4] == unit["contact_due"]["overdue"]
        assert len(items) == len(expected)
        for row, item in zip(items, expected, strict=True):
            indicator, point, year, date, overdue, to = row
            assert str(indicator).startswith(f"{item['indicator']} ")
            assert point == item_text(item, ZH)
            if item["what"] == "point":
                assert point.startswith(item["tag"]) and item["text"] in point
            assert (year or None) == item["year"]
            assert date == as_date(item["due"]["date"])
            assert to == item["due"]["to"]
            if item["due"]["overdue"]:
                assert overdue == item["due"]["overdue"]
            else:  # the column holds numbers only (sortable); not overdue: empty
                assert overdue is None


def test_units_most_overdue_first_and_their_contacts(book: Any, data: dict[str, Any]) -> None:
    blocks = unit_blocks(book[words("xlsx-sheet/units")])
    by_name = {u["unit"]: u for u in data["units"]}
    order = sorted(blocks, key=lambda name: blocks[name][0])
    overdue = [by_name[name]["overdue"] for name in order]
    assert overdue == sorted(overdue, reverse=True)
    owing = [u["unit"] for u in data["units"] if owed_items(u)]
    assert sorted(order) == sorted(owing)
    sent = by_name["市住房和城乡建设局"]  # its contact is in 联络人员名单.yaml
    assert sent["contact"] is not None
    assert blocks["市住房和城乡建设局"][1] == words(
        "xlsx-contact", name="李华", title="副科长", phone="13812345678")
    parts = [r for r in blocks["市住房和城乡建设局"][2] if r[1] == words("xlsx-item/part")]
    assert parts and all(r[4] == 1 for r in parts)  # 2021-03-05, one day late


# -- bytes --------------------------------------------------------------------------------

RENDER = """
import datetime as dt, hashlib, sys
from pathlib import Path
from dossier.catalogue import load_catalogue
from dossier.i18n import translator
from dossier.reports import Destination
from dossier.reports.xlsx import render
from dossier.status import status
s = status(Path(sys.argv[1]), load_catalogue(), as_of=dt.date(2021, 3, 6))
blob = render(s, translator("zh"), Destination(Path("x.xlsx"), int(sys.argv[2])))
print(hashlib.sha256(blob).hexdigest())
"""


def test_byte_identical_in_this_process_and_in_others(catalogue: Catalogue) -> None:
    example = status(EXAMPLE, catalogue, as_of=dt.date(2021, 3, 6))
    to = Destination(Path("催办清单.xlsx"), EPOCH)
    first, second = render(example, ZH, to), render(example, ZH, to)
    assert first == second
    digests = set()
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", RENDER, str(EXAMPLE), str(EPOCH)],
                              capture_output=True, text=True, env=env, check=True)
        digests.add(done.stdout.strip())
    assert digests == {hashlib.sha256(first).hexdigest()}


def test_the_creation_date_is_the_epoch(catalogue: Catalogue) -> None:
    example = status(EXAMPLE, catalogue, as_of=dt.date(2021, 3, 6))
    blob = render(example, ZH, Destination(Path("x.xlsx"), EPOCH))
    assert load(blob).properties.created == dt.datetime(2021, 3, 5)
    assert render(example, ZH, Destination(Path("x.xlsx"), EPOCH + 86400)) != blob


def test_nothing_owed_and_english(tmp_path: Path) -> None:
    empty = Status(as_of=AS_OF, materials="m", outs=(), unit=None, indicators=(), units=(),
                   figures=(), findings=(), contact_files=(), provenance=False)
    en = translator("en")
    wb = load(render(empty, en, Destination(tmp_path / "x.xlsx", EPOCH)))
    assert wb.sheetnames == [words("xlsx-sheet/summary", en), words("xlsx-sheet/units", en)]
    units = wb[words("xlsx-sheet/units", en)]
    texts = [v for r in rows(units, 1) for v in r if v]
    assert words("xlsx-units/none", en) in texts


# -- helpers ------------------------------------------------------------------------------

def test_sheet_names_are_safe_short_and_unique() -> None:
    taken: list[str] = []
    assert sheet_name("汇总", taken) == "汇总"
    assert sheet_name("汇总", taken) == "汇总(2)"
    odd = sheet_name("a/b:c*d?e[f]g\\h" + "长" * 40, taken)
    assert len(odd) <= 31 and not set(odd) & set("[]:*?/\\")
    assert sheet_name("'quoted'", taken) == "quoted"
    assert len(taken) == 4 and len({t.casefold() for t in taken}) == 4


def test_widths_count_a_cjk_character_as_two_and_are_capped() -> None:
    assert text_width("市林业局") == 8
    assert text_width("（2）ab") == 7
    widths = fit_widths(UNITS, ["指标"] * 6, [[("短", "text")] * 5 + [("长" * 60, "text")]])
    assert widths[0] == UNITS[0].least
    assert widths[-1] == UNITS[-1].most
