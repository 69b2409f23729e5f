"""Markdown (CommonMark + tables) to the small document model of render.document."""

from __future__ import annotations

from dossier.render.document import Heading, Paragraph, Signature, Span, Table, parse, plain


def texts(markdown: str) -> list[str]:
    return [plain(b.text) for b in parse(markdown) if isinstance(b, (Heading, Paragraph))]


def only_table(markdown: str) -> Table:
    [table] = parse(markdown)
    assert isinstance(table, Table)
    return table


def test_heading_levels() -> None:
    blocks = parse("# 「12 水环境质量」指标达标说明\n\n## 一、考核标准\n\n### （一）2018年度\n\n"
                   "#### 四级\n\n说明\n")
    assert blocks == (
        Heading(1, (Span("「12 水环境质量」指标达标说明"),)),
        Heading(2, (Span("一、考核标准"),)),
        Heading(3, (Span("（一）2018年度"),)),
        Heading(4, (Span("四级"),)),
        Paragraph((Span("说明"),)),
    )
    # setext headings are headings too
    assert parse("标题\n===\n") == (Heading(1, (Span("标题"),)),)


def test_soft_breaks_join_chinese_without_spaces() -> None:
    joined = texts("水环境质量指标\n达标说明，\n“引号”\n结束")
    assert joined == ["水环境质量指标达标说明，“引号”结束"]
    # between Latin words a soft break is a space, next to Chinese it is nothing
    assert texts("first line\nsecond\n中文\nend") == ["first line second中文end"]
    # a hard break (two trailing spaces or a backslash) is kept as a line break
    assert texts("行一  \n行二\\\n行三") == ["行一\n行二\n行三"]


def test_paragraphs_are_separate_blocks() -> None:
    blocks = parse("第一段\n\n第二段\n")
    assert blocks == (Paragraph((Span("第一段"),)), Paragraph((Span("第二段"),)))


def test_bullet_and_ordered_markers() -> None:
    blocks = parse("- 甲\n- 乙\n\n3. 丙\n4. 丁\n5. 戊\n")
    assert [(b.marker, plain(b.text)) for b in blocks if isinstance(b, Paragraph)] == [
        ("•", "甲"), ("•", "乙"), ("3.", "丙"), ("4.", "丁"), ("5.", "戊")]


def test_ordered_list_start_is_respected_including_zero() -> None:
    markers = [b.marker for b in parse("7. a\n8. b\n") if isinstance(b, Paragraph)]
    assert markers == ["7.", "8."]
    markers = [b.marker for b in parse("0. a\n1. b\n") if isinstance(b, Paragraph)]
    assert markers == ["0.", "1."]
    # the numbers written after the first do not matter (CommonMark): items count up
    markers = [b.marker for b in parse("1. a\n1. b\n1. c\n") if isinstance(b, Paragraph)]
    assert markers == ["1.", "2.", "3."]
    markers = [b.marker for b in parse("2) a\n3) b\n") if isinstance(b, Paragraph)]
    assert markers == ["2.", "3."]


def test_only_the_first_paragraph_of_an_item_gets_the_marker() -> None:
    blocks = parse("1. 第一项\n\n   续段\n2. 第二项\n\n后文\n")
    assert [(b.marker, plain(b.text)) for b in blocks if isinstance(b, Paragraph)] == [
        ("1.", "第一项"), ("", "续段"), ("2.", "第二项"), ("", "后文")]


def test_nested_lists_keep_their_own_counters() -> None:
    blocks = parse("1. 一\n   - 甲\n   - 乙\n2. 二\n   1. 子一\n   2. 子二\n3. 三\n")
    assert [(b.marker, plain(b.text)) for b in blocks if isinstance(b, Paragraph)] == [
        ("1.", "一"), ("•", "甲"), ("•", "乙"), ("2.", "二"), ("1.", "子一"), ("2.", "子二"),
        ("3.", "三")]


def test_items_count_even_without_a_paragraph() -> None:
    blocks = parse("1. ```\n   代码\n   ```\n2. 二\n")
    assert [(b.marker, plain(b.text)) for b in blocks if isinstance(b, Paragraph)] == [
        ("1.", "代码"), ("2.", "二")]


def test_table_header_rows_and_alignment() -> None:
    table = only_table("| 序号 | 项目名称 | 投资（万元） | 结论 |\n"
                       "|:---:|---|---:|:---|\n"
                       "| 1 | 巴河流域水环境综合治理工程 | 48600 | 达标 |\n"
                       "| 2 | **城区**黑臭水体整治 | 12800 | 未达标 |\n")
    assert [plain(c) for c in table.header] == ["序号", "项目名称", "投资（万元）", "结论"]
    assert table.align == ("center", "left", "right", "left")
    assert [[plain(c) for c in row] for row in table.rows] == [
        ["1", "巴河流域水环境综合治理工程", "48600", "达标"],
        ["2", "城区黑臭水体整治", "12800", "未达标"]]
    assert table.rows[1][1] == (Span("城区", True), Span("黑臭水体整治"))


def test_escaped_pipes_stay_in_their_cell() -> None:
    table = only_table("| 指标 | 说明 |\n|---|---|\n| a \\| b | 目标值 \\|≥95%\\| |\n")
    assert [plain(c) for c in table.rows[0]] == ["a | b", "目标值 |≥95%|"]
    assert len(table.header) == 2


def test_missing_cells_are_padded_and_extra_cells_dropped() -> None:
    table = only_table("| a | b | c |\n|---|---|---|\n| 1 |\n| 1 | 2 | 3 | 4 |\n|  | 2 |  |\n")
    assert table.rows[0] == ((Span("1"),), (), ())
    assert [plain(c) for c in table.rows[1]] == ["1", "2", "3"]
    assert table.rows[2] == ((), (Span("2"),), ())
    assert all(len(row) == len(table.header) == len(table.align) for row in table.rows)


def test_header_only_table_has_no_rows() -> None:
    table = only_table("| 指标 | 结论 |\n|---|:---:|\n")
    assert table.rows == () and table.align == ("left", "center")


def test_html_is_text() -> None:
    assert texts("<b>粗</b> 文本 <br> a&b\n") == ["<b>粗</b> 文本 <br> a&b"]
    assert texts("<div>\n块\n</div>\n") == ["<div>块</div>"]
    # entities are decoded, though: &lt; is a literal <
    assert texts("a &lt; b &amp; c\n") == ["a < b & c"]


def test_code_becomes_paragraphs_one_per_line() -> None:
    blocks = parse("```yaml\n年度: 2018\n\n数值: 85.7\n```\n\n    indented code\n")
    assert blocks == (Paragraph((Span("年度: 2018"),)), Paragraph(()),
                      Paragraph((Span("数值: 85.7"),)), Paragraph((Span("indented code"),)))
    assert plain(parse("用 `dossier build` 生成\n")[0].text) == "用 dossier build 生成"  # type: ignore[union-attr]


def test_strong_spans() -> None:
    [para] = parse("上级考核：**已完成**上级下达的**考核任务**。\n")
    assert isinstance(para, Paragraph)
    assert para.text == (Span("上级考核："), Span("已完成", True), Span("上级下达的"),
                         Span("考核任务", True), Span("。"))
    # CommonMark: __ between two letters (Chinese ones too) is not emphasis
    assert texts("上级下达的__考核任务__。\n") == ["上级下达的__考核任务__。"]
    assert parse("__全部__\n")[0].text == (Span("全部", True),)  # type: ignore[union-attr]
    # emphasis is plain text; strong across a soft break stays one span
    [para] = parse("*强调*与**跨\n行**\n")
    assert isinstance(para, Paragraph)
    assert para.text == (Span("强调与"), Span("跨行", True))


def test_other_inline_markup_keeps_its_text() -> None:
    assert texts("[链接](http://example.com) ![图片](x.png)\n") == ["链接 图片"]
    assert texts("> 引用\n") == ["引用"]
    assert texts("---\n") == []


def test_empty_and_blank_documents() -> None:
    assert parse("") == ()
    assert parse("\n  \n\n") == ()


def test_a_fence_named_luokuan_is_the_signature() -> None:
    blocks = parse("结论。\n\n```落款\n市生态环境局\n\n  2021年3月  \n```\n")
    assert blocks[1:] == (Signature(("市生态环境局", "2021年3月")),)
    assert parse("```落款\n\n```\n") == ()  # nothing to sign with: nothing
    assert parse("```yaml\n落款\n```\n") == (Paragraph((Span("落款"),)),)
