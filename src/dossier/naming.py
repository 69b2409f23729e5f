"""What a clerk's file and folder names mean: order numbers, review-point tags,
years, sections, and the natural sort order ("2" before "10")."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PureWindowsPath

# Order number at the start: "01-", "1.", "03_", "2 ", "05、". A bare number followed
# directly by "(" or "（" is an order number too: "01(2)河长名单.pdf".
_ORDER = re.compile(r"^\s*(\d{1,3})(?:\s*[-_.、．]\s*|\s+|(?=[(（]))")
_TAG = re.compile(r"^\s*[(（]\s*(\d{1,2})\s*[)）]\s*")
_INDICATOR_DIR = re.compile(r"^\s*0*(\d{1,3})(?=$|[\s\-_.、．]|[^\d])")
_RANGE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*年?\s*[—–\-~～至到]+\s*((?:19|20)\d{2})(?!\d)"
)
_DATE8 = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_NATURAL = re.compile(r"(\d+)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class NameInfo:
    order: int | None
    tags: tuple[int, ...]
    title: str


def parse_name(stem: str) -> NameInfo:
    """Split "01(2)(3)巴中市河长名单" into order 1, tags (2, 3), title "巴中市河长名单"."""
    rest = unicodedata.normalize("NFC", stem)
    order = None
    m = _ORDER.match(rest)
    if m and not _TAG.match(rest):
        order, rest = int(m.group(1)), rest[m.end():]
    tags: list[int] = []
    while (t := _TAG.match(rest)) is not None:
        tags.append(int(t.group(1)))
        rest = rest[t.end():]
    title = rest.strip(" -_.、") or stem.strip()
    return NameInfo(order, tuple(dict.fromkeys(tags)), title)


def indicator_number(folder_name: str) -> int | None:
    """Leading number of an indicator folder: "12", "12-水环境质量", "12 …", "12_…"."""
    m = _INDICATOR_DIR.match(unicodedata.normalize("NFKC", folder_name))
    return int(m.group(1)) if m else None


@dataclass(frozen=True)
class YearSpan:
    first: int
    last: int

    def covers(self, year: int) -> bool:
        return self.first <= year <= self.last

    def __str__(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}—{self.last}"


def years_in(name: str) -> tuple[YearSpan, ...]:
    """Years a name mentions: "2018—2022年" is one span, "20190301" is 2019,
    "巴环发〔2019〕12号" is 2019. Digits glued to other digits are not years."""
    text = unicodedata.normalize("NFKC", name)
    spans: list[YearSpan] = []
    for m in _RANGE.finditer(text):
        a, b = sorted((int(m.group(1)), int(m.group(2))))
        spans.append(YearSpan(a, b))
    text = _RANGE.sub(" ", text)
    for m in _DATE8.finditer(text):
        y = int(m.group(1))
        spans.append(YearSpan(y, y))
    text = _DATE8.sub(" ", text)
    for m in _YEAR.finditer(text):
        y = int(m.group(1))
        spans.append(YearSpan(y, y))
    return tuple(dict.fromkeys(spans))


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts "2" before "10" and ignores case."""
    parts = _NATURAL.split(unicodedata.normalize("NFC", name).casefold())
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


def is_odd_name(name: str) -> bool:
    """Control characters or bytes that were not valid in the file system encoding."""
    if _CONTROL.search(name):
        return True
    return any(0xDC80 <= ord(ch) <= 0xDCFF for ch in name)


def safe_display(name: str) -> str:
    """A printable form of any file name (undecodable bytes shown as \\xNN)."""
    out = []
    for ch in name:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif _CONTROL.match(ch):
            out.append(f"\\x{code:02x}")
        else:
            out.append(ch)
    return "".join(out)


_WINDOWS_FORBIDDEN = str.maketrans({"/": "／", "\\": "＼", ":": "：", "*": "＊", "?": "？",
                                    '"': "＂", "<": "＜", ">": "＞", "|": "｜"})


def folder_name(indicator_id: int, name: str) -> str:
    """Folder name `dossier init` creates: "21-单位地区生产总值能耗(吨标准煤／万元)"."""
    return f"{indicator_id:02d}-{name.translate(_WINDOWS_FORBIDDEN)}"


_SEPARATORS = re.compile(r"[\\/]")


def stays_inside(rel: str) -> bool:
    """A relative path (from a manifest or a record) that stays inside the folder it is
    relative to, on every system: no root, no drive, no `..`, no NUL (backslashes count as
    separators, as on Windows)."""
    if not rel or "\x00" in rel or rel[0] in "/\\" or PureWindowsPath(rel).drive:
        return False
    return ".." not in _SEPARATORS.split(rel)


# -- what a name says for the 卷内目录: width, 文号, date, meaningless names ----------------
# (dossier.titles puts these together into the 题名, 文号 and 日期 of a file)

# Full-width forms of ASCII (U+FF01–FF5E, typed in a Chinese input method's full-width mode)
# become ASCII: ２０１９年１－１２月 is 2019年1-12月. The punctuation Chinese text writes
# full-width stays as it is (（），：；！？～), and so does every other CJK mark (〔〕、。「」);
# the ideographic space becomes a space.
_KEEP_WIDE = frozenset("！（），：；？～")
_WIDTH = {code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFF01, 0xFF5F)
          if chr(code) not in _KEEP_WIDE}
_WIDTH[0x3000] = " "
_SPACES = re.compile(r"\s+")


def fold_width(text: str) -> str:
    """Full-width letters, digits and ASCII signs as ASCII; runs of spaces as one."""
    return _SPACES.sub(" ", text.translate(_WIDTH)).strip()


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# 〔2018〕12号, [2018]12号, (2018)12号, （2018）12号, 【2018】12号, 〔2018〕第3号
_NUMBER = re.compile(r"[〔\[(（【]\s*((?:19|20)\d{2})\s*[〕\])）】]\s*(第?)\s*(\d{1,5})\s*号")
# The end of a document's title, glued to the 发文机关代字 that follows it:
# “…的通知巴府发〔2018〕12号” — the 代字 starts after it.
_TITLE_END = re.compile(r".*(?:通知|通报|意见|决定|批复|报告|方案|请示|办法|规定|纪要|公告|"
                        r"通告|规划|的函|关于|的)")
_ORG_MAX = 8  # longer runs of characters before the bracket are title, not 代字
_EDGE = " -_.、，,:：;；"
_OPEN_BRACKETS, _CLOSE_BRACKETS = "(（[【〔", ")）]】〕"


@dataclass(frozen=True)
class Found:
    """What was found in a title and where: `text` as the 目录 shows it, `rest` the title
    without it (the 目录 shows it in its own column)."""

    text: str
    rest: str
    span: tuple[int, int]  # where it is in the title


def doc_number(title: str) -> Found | None:
    """The 发文字号 a (width-folded) title starts or ends with: “巴府发〔2018〕12号关于…”,
    “关于…的通知（川环函[2019]112号）”. Shown with the year in 〔〕 (GB/T 9704).
    One inside the title (“关于转发川府发〔2018〕3号文件的通知”) belongs to the title."""
    for m in _NUMBER.finditer(title):
        start = m.start()
        while start > 0 and m.start() - start < 12 and _CJK.match(title[start - 1]):
            start -= 1
        org = title[start:m.start()]
        cut = _TITLE_END.match(org)
        if cut:
            start, org = start + cut.end(), org[cut.end():]
        if len(org) > _ORG_MAX:
            start, org = m.start(), ""
        before, after = title[:start], title[m.end():]
        if before.strip(_EDGE + _OPEN_BRACKETS) and after.strip(_EDGE + _CLOSE_BRACKETS):
            continue  # in the middle of the title: part of it
        text = f"{org}〔{m.group(1)}〕{m.group(2)}{m.group(3)}号"
        return Found(text, _rest(before, after), (start, m.end()))
    return None


# 2019年3月15日, 2019年3月 — 2019年 alone is a year, and 2019年1月至6月 a period, not a date
_DATE_CN = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?"
                      r"(?![\d\s日]*[至到\-—–~～])(?!\s*\d)")
# 20190315, 2019.3.15, 2019-03-15
_DATE_DIGITS = re.compile(r"(?<![\d.\-])((?:19|20)\d{2})(?:(\d{2})(\d{2})|([.\-])(\d{1,2})\4"
                          r"(\d{1,2}))(?![\d.\-])")


def doc_date(title: str) -> Found | None:
    """The first date of a (width-folded) title, as the 卷内目录 writes it (DA/T 22):
    20190315, or 201903 for a month. A date written in figures at the start or end of the
    name (20190315, 2019.3.15, 2019-03-15) is dropped from the title; one written in words
    (2019年3月) is part of it."""
    found: list[tuple[int, Found]] = []
    for m in _DATE_CN.finditer(title):
        shown = _date(m.group(1), m.group(2), m.group(3))
        if shown:
            found.append((m.start(), Found(shown, title, m.span())))
            break
    for m in _DATE_DIGITS.finditer(title):
        month, day = (m.group(2), m.group(3)) if m.group(2) else (m.group(5), m.group(6))
        shown = _date(m.group(1), month, day)
        if not shown:
            continue
        before, after = title[:m.start()], title[m.end():]
        edge = not before.strip(_EDGE) or not after.strip(_EDGE)
        found.append((m.start(), Found(shown, _rest(before, after) if edge else title,
                                       m.span())))
        break
    return min(found, key=lambda item: item[0])[1] if found else None


def _date(year: str, month: str, day: str | None) -> str:
    import datetime

    try:
        datetime.date(int(year), int(month), int(day or 1))
    except ValueError:
        return ""
    return f"{year}{int(month):02d}{int(day):02d}" if day else f"{year}{int(month):02d}"


_EMPTY_BRACKETS = re.compile(r"\(\s*\)|（\s*）|\[\s*\]|【\s*】|〔\s*〕")


def _rest(before: str, after: str) -> str:
    """The title around something taken out of it, without the brackets that held it;
    "" when nothing is left."""
    rest = _EMPTY_BRACKETS.sub("", before.rstrip() + after.lstrip())
    return _SPACES.sub(" ", rest).strip(_EDGE)


# Names a camera, scanner, chat program or editor made up: they say nothing of the content.
_MEANINGLESS = re.compile(
    r"^(?:img|vid|pxl|mvimg|pano|dsc[fn]?|dcim|sam)[_\- ]?\d"
    r"|^img[_\-]|^mmexport|^wx_camera|^(?:微信|qq|tim)(?:图片|截图)|^wechat ?(?:image|img)"
    r"|^扫描全能王|^扫描(?:件|文件|文档|图片)?[\d_\-. ()（）]*$|^scan(?:ned)?[\d_\-. ()]*$"
    r"|^新建 ?(?:microsoft ?)?(?:word|excel|powerpoint|wps|docx?|xlsx?|pptx?|pdf|文本|文字|"
    r"文件夹|文档|表格|演示|压缩)"
    r"|^(?:屏幕)?截[图屏]|^screen ?(?:shot|capture)|^snipaste"
    r"|^(?:未命名|无标题|untitled|unnamed|noname)"
    r"|^[\d_\-. ()（）]+$",
    re.IGNORECASE)


def is_meaningless(title: str) -> bool:
    """IMG_20180615_103512, 微信图片_2019…, 扫描件001, 新建文档, Scan0001, DSC_1234, 截图…,
    Screenshot…, 未命名, or only digits: a name that does not say what the document is."""
    return bool(_MEANINGLESS.search(fold_width(title)))


# Titles that only make sense with their folder's name: 第一季度, 附件2, 报告 …
_GENERIC = re.compile(
    r"^(?:第?[一二三四五六七八九十百零〇\d]+(?:季度|月份?|期|批|次|部分|册|章|节|页|号|份|张)"
    r"|[一二三四1-4]季度|[上下]半年|全年|年度|附件|附表|附图|正文|封面|目录|报告|通知|通报|"
    r"文件|材料|说明|总结|方案|表格?|清单|名单|汇总表?|统计表|其[他它]|补充材料|照片|图片|"
    r"原件|复印件)[\d_\-. ()（）]*$")
SHORT_TITLE = 4  # characters: a title this short needs its folder's name


def is_general(title: str) -> bool:
    """A general word rather than a title: 第一季度, 一季度, 附件2, 报告, 照片3, IMG_…"""
    text = fold_width(title).replace(" ", "")
    return bool(_GENERIC.match(text)) or is_meaningless(text)


def is_generic(title: str) -> bool:
    """A title too short or too general to stand alone in a 目录 (第一季度, 附件2, 报告,
    IMG_…, or four characters or fewer): its folder's name goes before it."""
    return len(fold_width(title).replace(" ", "")) <= SHORT_TITLE or is_general(title)
