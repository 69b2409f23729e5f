from __future__ import annotations

import os
from pathlib import Path

import pytest

from dossier.errors import UsageError
from dossier.i18n import Message
from dossier.scan import scan

from makefiles import write_jpeg, write_pdf

IDS = frozenset({1, 12, 21})
YEARS = frozenset({2018, 2019, 2020, 2021})


def test_sections_tags_and_natural_order(tree: Path) -> None:
    ind = tree / "12-水环境质量"
    write_pdf(ind / "2019" / "10-(1)十.pdf")
    write_pdf(ind / "2019" / "2-(1)二.pdf")
    write_jpeg(ind / "2019" / "（2）照片" / "IMG_1.jpg")
    write_pdf(ind / "2019" / "（2）照片" / "(1)自带标记.pdf")
    result = scan(tree, IDS, YEARS)
    [folder] = result.folders
    files = folder.in_section("2019")
    assert [f.path.name for f in files] == ["2-(1)二.pdf", "10-(1)十.pdf", "(1)自带标记.pdf",
                                            "IMG_1.jpg"]
    assert [f.name.title for f in files] == ["二", "十", "自带标记", "IMG_1"]
    assert [f.tags for f in files] == [(1,), (1,), (1,), (2,)]
    assert files[3].kind == "jpeg" and files[0].size > 0
    assert {s for s, _ in folder.sections} == {"达标说明", "直接证明材料", "2018", "2019",
                                               "2020", "2021", "长期有效"}


def test_oddities(tree: Path) -> None:
    ind = tree / "12-水环境质量"
    (ind / "草稿").mkdir()
    (ind / "2017").mkdir()
    write_pdf(ind / "散落.pdf")
    (ind / "2018" / "Thumbs.db").write_bytes(b"x")
    (ind / "2018" / "~$临时.docx").write_bytes(b"x")
    (tree / "99-不存在").mkdir()
    (tree / "其他").mkdir()
    (tree / "说明.txt").write_text("x")
    (ind / "要求.md").write_text("x")
    result = scan(tree, IDS, YEARS)
    got = sorted((o.what, o.rel) for o in result.oddities)
    assert got == [
        ("ignored-file", "12-水环境质量/2018/Thumbs.db"),
        ("ignored-file", "12-水环境质量/2018/~$临时.docx"),
        ("misplaced-file", "说明.txt"),
        ("stray-year-folder", "12-水环境质量/2017"),
        ("unknown-folder", "12-水环境质量/草稿"),
        ("unknown-folder", "其他"),
        ("unknown-indicator-folder", "99-不存在"),
    ]
    [folder] = result.folders
    assert [f.rel for f in folder.files if f.section is None] == ["12-水环境质量/散落.pdf"]


def test_links_out_of_the_tree_are_refused(tree: Path, tmp_path: Path) -> None:
    outside = write_pdf(tmp_path / "outside" / "secret.pdf")
    inside = write_pdf(tree / "12-水环境质量" / "2018" / "(1)a.pdf")
    os.symlink(outside, tree / "12-水环境质量" / "2019" / "(1)link.pdf")
    os.symlink(tmp_path / "outside", tree / "12-水环境质量" / "2020" / "dirlink")
    os.symlink(inside, tree / "12-水环境质量" / "2021" / "(1)ok.pdf")
    os.symlink(tree / "12-水环境质量", tree / "12-水环境质量" / "长期有效" / "loop")
    result = scan(tree, IDS, YEARS)
    outside_links = sorted((o.rel, o.variant, o.params["target"]) for o in result.oddities
                           if o.what == "link-outside")
    real = (tmp_path / "outside").resolve()
    assert outside_links == [
        ("12-水环境质量/2019/(1)link.pdf", "outside", str(real / "secret.pdf")),
        ("12-水环境质量/2020/dirlink", "outside", str(real))]
    names = [f.path.name for f in result.files]
    assert "(1)ok.pdf" in names and "secret.pdf" not in names


def test_broken_link(tree: Path) -> None:
    target = tree / "12-水环境质量" / "2018" / "gone.pdf"
    os.symlink(target, tree / "12-水环境质量" / "2019" / "(1)dangling.pdf")
    [odd] = scan(tree, IDS, YEARS).oddities
    assert (odd.what, odd.variant) == ("link-outside", "broken")
    assert odd.params["target"] == str(target.resolve())


def test_unreadable_folder(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.scandir
    locked = tree / "12-水环境质量" / "2018"

    def scandir(path: os.PathLike[str] | str) -> object:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    [odd] = scan(tree, IDS, YEARS).oddities
    assert (odd.what, odd.rel) == ("unreadable", "12-水环境质量/2018")
    assert odd.params["errno"] == "EACCES" and odd.params["cause"].key == "os/denied"


def test_stray_year_folder_names_its_year(tree: Path) -> None:
    (tree / "12-水环境质量" / "2016年度材料").mkdir()
    [odd] = scan(tree, IDS, YEARS).oddities
    assert (odd.what, odd.params) == ("stray-year-folder", {"year": 2016})


def test_undecodable_name(tree: Path) -> None:
    raw = os.fsencode(tree / "12-水环境质量" / "2018") + b"/(1)bad\xff.pdf"
    with open(raw, "wb") as fh:
        fh.write(b"%PDF-1.4")
    result = scan(tree, IDS, YEARS)
    assert [o.what for o in result.oddities] == ["odd-name"]
    assert len(list(result.files)) == 1


def test_missing_root(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as missing:
        scan(tmp_path / "nope", IDS, YEARS)
    assert missing.value.message == Message("materials-folder-missing",
                                            {"folder": str(tmp_path / "nope")})
    write_pdf(tmp_path / "f.pdf")
    with pytest.raises(UsageError) as not_folder:
        scan(tmp_path / "f.pdf", IDS, YEARS)
    assert not_folder.value.key == "materials-not-a-folder"
    assert not_folder.value.message.params == {"folder": str(tmp_path / "f.pdf")}


def test_scan_reads_no_content(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_pdf(tree / "12-水环境质量" / "2018" / "(1)a.pdf")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("scan opened a file")

    monkeypatch.setattr(Path, "open", refuse)
    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert len(list(scan(tree, IDS, YEARS).files)) == 1


def test_gitkeep_placeholders_are_silently_skipped(tmp_path: Path) -> None:
    root = tmp_path / "m"
    (root / "12-水环境质量" / "2018").mkdir(parents=True)
    (root / "12-水环境质量" / "2018" / ".gitkeep").touch()
    tree = scan(root, frozenset({12}), frozenset({2018}))
    assert tree.oddities == () and list(tree.files) == []
