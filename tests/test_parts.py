"""dossier.parts: a long volume split between documents, page numbers running on."""

from __future__ import annotations

from dossier.parts import part_numeral, split
from dossier.plan import SectionPlan, Source


def _doc(name: str, pages: int) -> Source:
    return Source(rel=name, path=name, title=name, kind="pdf", size=pages, mtime_ns=0)


def _pages(source: Source) -> int:
    return source.size  # the tests keep a document's pages in its size


def _shape(parts: list) -> list:  # type: ignore[type-arg]
    return [(p.first_page, p.pages, [(s.title, [d.rel for d in s.sources]) for s in p.sections])
            for p in parts]


def test_a_volume_that_fits_is_one_part_as_it_was() -> None:
    sections = (SectionPlan("2019", "一、2019年度佐证材料", (_doc("a", 5), _doc("b", 5))),)
    [part] = split(sections, 10, _pages)
    assert part.sections == sections and part.first_page == 1
    [whole] = split(sections, 0, _pages)  # 0: never split
    assert whole.sections == sections


def test_split_between_documents_and_numbers_run_on() -> None:
    sections = (SectionPlan("2019", "一、2019年度佐证材料",
                            (_doc("a", 6), _doc("b", 3), _doc("c", 4), _doc("d", 2))),)
    parts = split(sections, 10, _pages)
    assert _shape(parts) == [
        (1, 9, [("一、2019年度佐证材料", ["a", "b"])]),
        (10, 6, [("一、2019年度佐证材料（续）", ["c", "d"])]),
    ]


def test_a_document_longer_than_the_limit_is_a_part_of_its_own() -> None:
    sections = (SectionPlan("2019", "一、2019年度佐证材料",
                            (_doc("a", 2), _doc("big", 30), _doc("c", 2))),)
    parts = split(sections, 10, _pages)
    assert [(p.first_page, p.pages, [d.rel for s in p.sections for d in s.sources])
            for p in parts] == [(1, 2, ["a"]), (3, 30, ["big"]), (33, 2, ["c"])]


def test_sections_keep_their_order_and_empty_ones_stay_where_they_fall() -> None:
    sections = (SectionPlan("达标说明", "一、指标达标说明", (_doc("e", 3),)),
                SectionPlan("直接证明材料", "二、指标达标直接证明材料", ()),
                SectionPlan("2018", "三、2018年度佐证材料", (_doc("x", 8), _doc("y", 1))))
    parts = split(sections, 10, _pages)
    assert _shape(parts) == [
        (1, 3, [("一、指标达标说明", ["e"]), ("二、指标达标直接证明材料", [])]),
        (4, 9, [("三、2018年度佐证材料", ["x", "y"])]),
    ]


def test_unreadable_documents_count_one_placeholder_page() -> None:
    sections = (SectionPlan("2019", "一", (_doc("a", 0), _doc("b", 10))),)
    parts = split(sections, 10, _pages)
    assert [(p.first_page, p.pages) for p in parts] == [(1, 1), (2, 10)]


def test_part_numerals() -> None:
    assert [part_numeral(n) for n in (1, 2, 10, 11)] == ["一", "二", "十", "11"]
