"""The cover template: rendered at plan time, carried by the plan, laid out by the worker;
a broken override fails its volumes with the template named, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from dossier.build import build, make_plan
from dossier.catalogue import Catalogue
from dossier.errors import TemplateError
from dossier.fonts import FontChoice, choose
from dossier.options import BuildOptions
from dossier.render.cover import cover_blocks

from makefiles import make_volume_tree, write_pdf

OPTS = BuildOptions(date="2021年3月", epoch=1614556800)


@pytest.fixture
def font(test_font: Path) -> FontChoice:
    return choose(test_font)


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "m"
    make_volume_tree(root)
    write_pdf(root / "13-生态环境状况指数" / "2019" / "01-2019年报告.pdf")
    return root


def test_override_is_used_and_part_of_the_fingerprint(tmp_path: Path, catalogue: Catalogue,
                                                      font: FontChoice) -> None:
    root, mine = _tree(tmp_path), tmp_path / "tpl"
    mine.mkdir()
    (mine / "cover.yaml.j2").write_text(
        '- text: "{{ city }}档案 {{ indicator_id }}"\n  size: 30\n  y: 100\n', encoding="utf-8")
    plans, _ = make_plan(root, tmp_path / "out", catalogue, (12,), None, OPTS, (mine,))
    assert "巴中市档案 12" in plans[0].cover and plans[0].cover_error is None
    [outcome] = build(plans, root, tmp_path / "out", font=font)
    assert outcome.status == "built", outcome.messages
    cover = PdfReader(tmp_path / "out" / plans[0].output).pages[0].extract_text()
    assert "巴中市档案12" in cover.replace(" ", "")

    (mine / "cover.yaml.j2").write_text(
        '- text: "{{ city }}"\n  size: 30\n  y: 100\n', encoding="utf-8")
    again, _ = make_plan(root, tmp_path / "out", catalogue, (12,), None, OPTS, (mine,))
    assert again[0].fingerprint() != plans[0].fingerprint()


@pytest.mark.parametrize(("template", "key", "params"), [
    ('- text: "{{ no_such_variable }}"\n  size: 20\n  y: 50\n', "template-undefined",
     {"name": "no_such_variable"}),
    ("- text: a\n  size: 500\n  y: 50\n", "cover-bad-block", {"block": 1, "field": "size"}),
    ("just a line of text\n", "cover-not-a-list", {}),
])
def test_broken_override_fails_only_its_volumes(tmp_path: Path, catalogue: Catalogue,
                                                font: FontChoice, template: str, key: str,
                                                params: dict[str, object]) -> None:
    root, mine = _tree(tmp_path), tmp_path / "tpl"
    mine.mkdir()
    (mine / "cover.yaml.j2").write_text(template, encoding="utf-8")
    plans, _ = make_plan(root, tmp_path / "out", catalogue, (12, 13), None, OPTS, (mine,))
    for p in plans:
        assert p.cover_error is not None and p.cover_error.key == key
        assert str(p.cover_error.params["template"]).endswith("cover.yaml.j2")
        assert params.items() <= dict(p.cover_error.params).items()
    outcomes = build(plans, root, tmp_path / "out", font=font)
    assert [o.status for o in outcomes] == ["failed", "failed"]
    assert all(o.messages == (p.cover_error,) for o, p in zip(outcomes, plans, strict=True))
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_cover_blocks_reject_what_is_not_a_block_list() -> None:
    with pytest.raises(TemplateError) as caught:
        cover_blocks("a: 1\n")
    assert caught.value.key == "cover-not-a-list"
    with pytest.raises(TemplateError) as caught:
        cover_blocks("- text: x\n  size: 20\n")  # y missing
    assert caught.value.key == "cover-bad-block"
    assert caught.value.message.params["field"] == "y"
    with pytest.raises(TemplateError) as caught:
        cover_blocks("- just text\n")
    assert caught.value.key == "cover-bad-block/not-a-mapping"
    with pytest.raises(TemplateError) as caught:
        cover_blocks("- text: [unclosed\n")
    assert caught.value.key == "cover-bad-yaml" and caught.value.message.params["line"] >= 1
    [block] = cover_blocks("- text: x\n  size: 20\n  y: 40\n  bold: true\n")
    assert block.bold and block.y == 40


def test_a_wrapped_block_pushes_the_next_one_down(tmp_path: Path, font: FontChoice) -> None:
    """Block y positions come from the template; a block that wraps must not run into the
    block below it."""
    import io

    from dossier.render.cover import draw_cover
    from dossier.render.typography import canvas

    text = ('- text: "{}"\n  size: 22\n  y: 92\n'.format("水" * 30)
            + '- text: "二〇一九年度佐证材料"\n  size: 18\n  y: 100\n')
    buf = io.BytesIO()
    with canvas(buf, font.name) as c:
        draw_cover(c, text, font.name)
    baselines: dict[str, float] = {}

    def visit(text: str, cm: object, tm: list[float], *_: object) -> None:
        if text.strip():
            baselines.setdefault(text.strip()[:2], tm[5])

    PdfReader(io.BytesIO(buf.getvalue())).pages[0].extract_text(visitor_text=visit)
    second_title_line, below = baselines["水水"], baselines["二〇"]
    assert len([k for k in baselines if k == "水水"]) == 1
    assert below < second_title_line - 22  # at least a line of air below the title
