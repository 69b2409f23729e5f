"""The HTML 总览: escaped, self-contained, deterministic, worded by the catalogue; and, in a
real headless chromium (Debian's chromium and chromium-driver, driven by selenium), free of
console errors, sortable, filterable by unit, with a working drill-down, printable.

`.ci/run` installs chromium and sets DOSSIER_REQUIRE_TOOLS=1: there the browser tests fail
instead of being skipped when the browser is missing. DOSSIER_SCREENSHOTS=DIR keeps the
screenshots and the printed PDF in DIR to look at."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlparse

import pytest
from PIL import Image
from pypdf import PdfReader

from dossier.build import build, make_plan
from dossier.catalogue import Catalogue
from dossier.fonts import choose
from dossier.i18n import msg, translator
from dossier.messages import REGISTRY
from dossier.options import BuildOptions
from dossier.reports import Destination, html
from dossier.reports.data import status_data
from dossier.resources import default_templates_dir
from dossier.status import status
from statusmaker import AS_OF, office_tree

from makefiles import write_truncated_pdf

BUILT = (1, 12)  # volumes built for the tests: a once-only and a per-year indicator
HOSTILE = "<img src=x onerror=window.pwned=1>\"'&.pdf"

REQUIRED = os.environ.get("DOSSIER_REQUIRE_TOOLS") == "1"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
HAVE_BROWSER = Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()
browser_test = pytest.mark.skipif(not HAVE_BROWSER and not REQUIRED,
                                  reason="chromium/chromium-driver not installed")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue,
         test_font: Path) -> dict[str, Any]:
    """The office's tree (statusmaker: the example merged with units' parts, contacts),
    two volumes built from it, then one broken file with a hostile name added; the status
    as of 2021-03-06 and its page in a folder beside the output folder."""
    tmp = tmp_path_factory.mktemp("site")
    root = office_tree(tmp, catalogue)
    out = tmp / "成册 输出"
    opts = BuildOptions(date="2021年3月", epoch=1614556800)
    plans, _ = make_plan(root, out, catalogue, BUILT, None, opts)
    outcomes = build(plans, root, out, font=choose(test_font))
    assert {o.status for o in outcomes} == {"built"}, outcomes
    write_truncated_pdf(root / "12-水环境质量" / "2019" / HOSTILE)  # after: 12 is stale
    made = status(root, catalogue, as_of=AS_OF, outs=[out])
    page = tmp / "总览" / "总览.html"
    page.parent.mkdir()
    blob = html.render(made, translator("zh"), Destination(page, 1614556800))
    page.write_bytes(blob)
    return {"root": root, "out": out, "status": made, "page": page, "html": blob.decode()}


# -- the page itself ------------------------------------------------------------------------

def test_every_name_ishtml_text(site: dict[str, Any]) -> None:
    text = site["html"]
    assert "<img src=x" not in text and "onerror=window" in text  # shown, as text
    assert "&lt;img src=x onerror=window.pwned=1&gt;&#34;&#39;&amp;.pdf" in text
    finding = next(f for f in status_data(site["status"], translator("zh"))["indicators"]
                   if f["indicator"] == 12)["findings"]
    assert any(f["path"] and HOSTILE in f["path"] for f in finding)  # it is in the data
    # the only markup is the template's: one script, no event handler attributes
    assert text.count("<script") == 1 and not re.search(r"<[^>]+\son\w+=", text)


def test_self_contained(site: dict[str, Any]) -> None:
    text = site["html"]
    assert "http://" not in text and "https://" not in text
    assert not re.search(r"<(script|img|link|iframe)[^>]+src=|@import|url\(", text)
    assert re.findall(r"<link[^>]*>", text) == ['<link rel="icon" href="data:,">']
    assert text.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in text
    assert '"Microsoft YaHei"' in text and "@page { size: A4 landscape" in text


def test_links_to_the_volumes_are_relative_and_encoded(site: dict[str, Any]) -> None:
    volumes = [v for i in site["status"].indicators for v in i.volumes]
    assert sorted(v.file for v in volumes) == ["01-生态文明建设规划.pdf", "12-水环境质量.pdf"]
    hrefs = re.findall(r'<a href="([^"]+)">', site["html"])
    assert hrefs == [quote(f"../成册 输出/{v.file}") for v in
                     sorted(volumes, key=lambda v: v.file)]
    for href in hrefs:
        assert "%20" in href and "\\" not in href
        assert (site["page"].parent / unquote(href)).resolve().is_file()


def test_a_missing_volume_has_no_link(site: dict[str, Any], catalogue: Catalogue,
                                      tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(site["out"], out)
    (out / "12-水环境质量.pdf").unlink()
    made = status(site["root"], catalogue, as_of=AS_OF, outs=[out])
    [volume] = made.indicator(12).volumes  # type: ignore[union-attr]
    assert volume.state.value == "missing"
    text = html.render(made, translator("zh"), Destination(tmp_path / "总览.html", 0)).decode()
    assert re.findall(r'<a href="([^"]+)">', text) == [quote("out/01-生态文明建设规划.pdf")]
    assert "12-水环境质量.pdf" in text  # named, not linked


def test_pdf_href() -> None:
    here = Path("site")
    assert html.pdf_href("out", "a b#1%.pdf", here) == "../out/a%20b%231%25.pdf"
    assert html.pdf_href("site/sub", "x.pdf", here) == "sub/x.pdf"
    assert html.pdf_href(".", "12-水.pdf", Path(".")) == quote("12-水.pdf")


def test_same_inputs_same_bytes(site: dict[str, Any], catalogue: Catalogue) -> None:
    again = status(site["root"], catalogue, as_of=AS_OF, outs=[site["out"]])
    blob = html.render(again, translator("zh"), Destination(site["page"], 0))
    assert blob == site["html"].encode()


def test_the_page_says_what_the_json_says(site: dict[str, Any]) -> None:
    data = status_data(site["status"], translator("zh"))
    text = site["html"]
    assert re.findall(r'<tbody class="ind" id="i(\d+)"', text) == [
        str(i["indicator"]) for i in data["indicators"]]
    assert re.findall(r'<tr data-unit="([^"]+)"', text) == [u["unit"] for u in data["units"]]
    row = re.search(r'<tbody class="ind" id="i12".*?</tr>', text, re.S)
    assert row is not None
    sorts = re.findall(r'data-sort="([^"]*)"', row.group(0))
    ind = next(i for i in data["indicators"] if i["indicator"] == 12)
    assert sorts[:8] == [str(ind[k]) for k in ("indicator", "name", "collecting", "complete",
                                               "files", "pages", "errors", "warnings")]
    assert data["deadlines"] and all(html_text(d["text"]) in text and html_text(d["what"]) in text
                                     for d in data["deadlines"])
    values = re.findall(r'<span class="value">(\d+)</span>', text)
    assert values[:5] == [str(data["summary"][k]) for k in
                          ("indicators", "complete", "overdue", "errors", "warnings")]


def test_the_view_of_one_unit(site: dict[str, Any], catalogue: Catalogue) -> None:
    made = status(site["root"], catalogue, as_of=AS_OF, outs=[site["out"]], unit="水利局")
    text = html.render(made, translator("en"), Destination(site["page"], 0)).decode()
    assert made.unit == "市水利局"
    assert html_text(html.say(translator("en"), "unit-view", unit="市水利局")) in text
    assert re.findall(r'<tr data-unit="([^"]+)"', text) == ["市水利局"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_words_come_from_the_catalogue(site: dict[str, Any], lang: str) -> None:
    tr = translator(lang)
    text = html.render(site["status"], tr, Destination(site["page"], 0)).decode()
    assert f'<html lang="{ {"zh": "zh-CN", "en": "en"}[lang] }">' in text
    words = html.labels(tr)
    keys = [k for k in REGISTRY if k.startswith("status-html/")]
    assert len(words) == len(keys)
    for key in ("status-html/col/collecting", "status-html/col/complete",
                "status-html/units", "status-html/figures", "status-html/legend/bar"):
        name = key.removeprefix("status-html/").replace("/", "_").replace("-", "_")
        assert words[name] == tr.render(msg(key))
        assert html_text(words[name]) in text
    if lang == "en":
        assert html_text(tr.render(msg("status-html/col/collecting"))) == "Collecting unit"


def html_text(text: str) -> str:
    """Text as autoescape writes it."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


def test_the_template_has_no_words_of_its_own() -> None:
    """Every word a reader sees comes from the labels: outside markup, CSS, script and
    jinja, the template holds only marks (√ × —) and separators."""
    source = (default_templates_dir() / html.TEMPLATE).read_text(encoding="utf-8")
    for pattern in (r"<style>.*?</style>", r"<script>.*?</script>", r"\{#.*?#\}",
                    r"\{\{.*?\}\}", r"\{%.*?%\}", r"<[^>]*>", r"&\w+;"):
        source = re.sub(pattern, " ", source, flags=re.S)
    assert not re.findall(r"[A-Za-z\u4e00-\u9fff]{2,}", source)


# -- in a real browser -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--lang=zh-CN"):
        options.add_argument(arg)
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # the driver and browser are given: Selenium Manager has nothing to download
    made = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield made
    finally:
        made.quit()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    kept = os.environ.get("DOSSIER_SCREENSHOTS")
    folder = Path(kept) if kept else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _load(driver: Any, page: Path) -> None:
    driver.get(page.resolve().as_uri())
    driver.get_log("browser")  # start each test with an empty log


def _severe(driver: Any) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _rows(driver: Any) -> list[dict[str, Any]]:
    """The indicator rows in their order on screen: id, shown or not, the sort keys."""
    script = """
      return Array.prototype.map.call(document.querySelectorAll('tbody.ind'), function (b) {
        return {id: +b.dataset.id, shown: !b.hidden && b.offsetParent !== null,
                index: +b.dataset.index,
                keys: Array.prototype.map.call(b.rows[0].cells,
                                               function (c) { return c.dataset.sort; })};
      });"""
    return list(driver.execute_script(script))


def _click_header(driver: Any, column: int) -> str:
    from selenium.webdriver.common.by import By

    head = driver.find_elements(By.CSS_SELECTOR, "#indicators > thead th")[column]
    head.find_element(By.CSS_SELECTOR, "button.sort").click()
    return str(head.get_attribute("aria-sort"))


@browser_test
def test_loads_without_console_errors_and_runs_no_injected_code(
        driver: Any, site: dict[str, Any]) -> None:
    _load(driver, site["page"])
    assert driver.execute_script("return document.documentElement.classList.contains('js')")
    assert driver.execute_script("return window.pwned === undefined")
    assert driver.title == driver.execute_script("return document.querySelector('h1').textContent")
    assert _severe(driver) == []


@browser_test
def test_sorting_by_a_column(driver: Any, site: dict[str, Any]) -> None:
    _load(driver, site["page"])
    start = _rows(driver)
    assert [r["id"] for r in start] == sorted(r["id"] for r in start)
    pages = 5  # the 页数 column: numbers, many ties (0) that must keep their order
    assert _click_header(driver, pages) == "ascending"
    rows = _rows(driver)
    assert [r["id"] for r in rows] == [r["id"] for r in sorted(
        start, key=lambda r: (int(r["keys"][pages]), r["index"]))]
    assert len({int(r["keys"][pages]) for r in rows}) > 2  # really reordered, numerically
    assert _click_header(driver, pages) == "descending"
    assert [r["id"] for r in _rows(driver)] == [r["id"] for r in sorted(
        start, key=lambda r: (-int(r["keys"][pages]), r["index"]))]
    # the 指标 column: ascending again, then descending (38, …, 10, 9, 8: numbers, not text)
    assert _click_header(driver, 0) == "ascending"
    assert _click_header(driver, 0) == "descending"
    ids = [r["id"] for r in _rows(driver)]
    assert ids == sorted(ids, reverse=True)
    assert _severe(driver) == []


@browser_test
def test_filtering_by_unit_and_text(driver: Any, site: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _load(driver, site["page"])
    data = status_data(site["status"], translator("zh"))
    unit = "市水利局"
    duties = {d["indicator"] for u in data["units"] if u["unit"] == unit for d in u["duties"]}
    expected = {i["indicator"] for i in data["indicators"]
                if unit in i["leads"] or unit in i["responsible"]
                or any(c["unit"] == unit for c in i["contributions"])} | duties
    assert 0 < len(expected) < len(data["indicators"])
    Select(driver.find_element(By.ID, "unit-filter")).select_by_value(unit)
    assert {r["id"] for r in _rows(driver) if r["shown"]} == expected
    units = driver.execute_script("""return Array.prototype.filter.call(
        document.querySelectorAll('#units tr[data-unit]'),
        function (r) { return r.offsetParent !== null; }).map(function (r) {
          return r.dataset.unit; });""")
    assert units == [unit]
    assert str(len(expected)) in driver.find_element(By.ID, "shown").text
    assert driver.find_element(By.ID, "active-filter").is_displayed()

    box = driver.find_element(By.ID, "text-filter")
    box.send_keys("12")  # a number: that indicator, if the unit has it
    assert [r["id"] for r in _rows(driver) if r["shown"]] == ([12] if 12 in expected else [])
    Select(driver.find_element(By.ID, "unit-filter")).select_by_value("")
    box.clear()
    box.send_keys("水环境")  # words: in the name or a unit's name
    named = {i["indicator"] for i in data["indicators"]
             if "水环境" in " ".join([i["name"], *i["leads"], *i["responsible"],
                                      *(c["unit"] for c in i["contributions"])])}
    assert named and {r["id"] for r in _rows(driver) if r["shown"]} == named
    box.clear()
    box.send_keys("无此指标")
    assert not any(r["shown"] for r in _rows(driver))
    assert driver.find_element(By.ID, "no-match").is_displayed()
    box.clear()
    driver.execute_script("document.getElementById('text-filter')"
                          ".dispatchEvent(new Event('input'))")
    assert all(r["shown"] for r in _rows(driver))
    assert not driver.find_element(By.ID, "active-filter").is_displayed()
    assert _severe(driver) == []


@browser_test
def test_drill_down_and_screenshots(driver: Any, site: dict[str, Any], shots: Path) -> None:
    from selenium.webdriver.common.by import By

    _load(driver, site["page"])
    body = driver.find_element(By.ID, "i12")
    detail = driver.find_element(By.ID, "d12")
    assert not detail.is_displayed()
    toggle = body.find_element(By.CSS_SELECTOR, "button.toggle")
    toggle.click()
    assert detail.is_displayed() and toggle.get_attribute("aria-expanded") == "true"
    ind = next(i for i in status_data(site["status"], translator("zh"))["indicators"]
               if i["indicator"] == 12)
    shown = detail.text
    for point in ind["points"]:
        assert point["tag"] in shown
    for metric in ind["verdicts"]:
        assert metric["name"] in shown
    for finding in ind["findings"]:
        assert finding["code"] in shown
    assert HOSTILE in shown  # the hostile name, shown as text
    cells = detail.find_elements(By.CSS_SELECTOR, "table.grid tbody td.c")
    assert {c.text for c in cells} <= {"√", "×", "—"} and cells
    [link] = detail.find_elements(By.CSS_SELECTOR, "table.volumes a")
    target = Path(unquote(urlparse(str(link.get_attribute("href"))).path))
    assert target.is_file() and target.name == "12-水环境质量.pdf"
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", toggle)
    assert driver.save_screenshot(str(shots / "总览-详情.png"))
    toggle.click()
    assert not detail.is_displayed()

    _load(driver, site["page"])
    assert driver.save_screenshot(str(shots / "总览.png"))
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"],
                 "scale": 0.5}})
    full = shots / "总览-整页.png"
    full.write_bytes(base64.b64decode(shot["data"]))
    with Image.open(full) as img:
        assert img.height > img.width  # the whole long page, not one screen
        assert img.convert("L").getextrema()[0] < 64  # there is text on it
    assert _severe(driver) == []


@browser_test
def test_prints_on_a4_landscape(driver: Any, site: dict[str, Any], shots: Path) -> None:
    _load(driver, site["page"])
    driver.execute_script("document.querySelector('#i12 button.toggle').click()")
    printed = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True,
                                                         "printBackground": True})
    pdf = shots / "总览-打印.pdf"
    pdf.write_bytes(base64.b64decode(printed["data"]))
    reader = PdfReader(pdf)
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert abs(width - 841.9) < 2 and abs(height - 595.3) < 2  # A4 landscape, in points
    text = re.sub(r"\s", "", "".join(p.extract_text() for p in reader.pages))
    assert "12-水环境质量.pdf" in text  # the opened drill-down is printed
    assert "01-生态文明建设规划.pdf" not in text  # a closed one is not
    words = html.labels(translator("zh"))
    assert re.sub(r"\s", "", words["button_open_all"]) not in text  # no controls on paper
    if shutil.which("pdftoppm") or REQUIRED:
        subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "2", "-png", str(pdf),
                        str(shots / "总览-打印")], check=True)
        pngs = sorted(shots.glob("总览-打印*.png"))
        assert len(pngs) >= 2
        with Image.open(pngs[0]) as img:
            assert img.convert("L").getextrema()[0] < 64
    assert _severe(driver) == []

