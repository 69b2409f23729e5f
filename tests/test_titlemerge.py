"""目录.yaml travels with the files: `pack` sends the 目录.yaml of each folder it sends from,
`import` adds its entries to the 目录.yaml where the files land, under their new names,
keeping what the 牵头单位 wrote (comments included), and the build's 目录 shows them."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from dossier.catalogue import Catalogue
from dossier.importing import import_sources
from dossier.pack import plan_pack, write_pack
from dossier.titles import Titles, read_list

from makefiles import write_pdf

EPOCH = 1614902400
SENT = "12-水环境质量/2020"


def _sender(tmp_path: Path) -> Path:
    sender = tmp_path / "住建局"
    write_pdf(sender / SENT / "扫描件001.pdf", text="a")
    write_pdf(sender / SENT / "IMG_20200615.pdf", text="b")
    (sender / SENT / "目录.yaml").write_text(
        "扫描件001.pdf:\n  题名: 2020年黑臭水体整治工作方案\n  文号: 巴住建发〔2020〕8号\n"
        "IMG_20200615: 黑臭水体整治现场照片\n", encoding="utf-8")
    return sender


def _pack(tmp_path: Path, catalogue: Catalogue) -> Path:
    sender = _sender(tmp_path)
    [zipped] = write_pack(plan_pack(sender, catalogue, "住建局", [12]), sender,
                          tmp_path / "out", EPOCH)
    return zipped


def test_pack_sends_the_folders_titles(tmp_path: Path, catalogue: Catalogue) -> None:
    zipped = _pack(tmp_path, catalogue)
    with zipfile.ZipFile(zipped) as zf:
        assert f"{SENT}/目录.yaml" in zf.namelist()
        listed = json.loads(zf.read("报送清单.json"))
        assert [t["path"] for t in listed["titles"]] == [f"{SENT}/目录.yaml"]
        assert f"{SENT}/目录.yaml" not in [f["path"] for f in listed["files"]]


def test_import_creates_the_titles_where_the_files_land(tmp_path: Path,
                                                        catalogue: Catalogue) -> None:
    lead = tmp_path / "lead"
    write_pdf(lead / "12 水环境质量" / "2020" / "(1)own.pdf", text="own")
    [done] = import_sources([_pack(tmp_path, catalogue)], lead, catalogue, today="2021-03-05")
    assert not done.problems, done.problems
    assert [m.key for m in done.notes] == ["import-titles-merged"]
    titles = read_list(lead, "12 水环境质量/2020")
    assert not titles.problems and not titles.unknown
    assert titles.by_file["扫描件001.pdf"].title == "2020年黑臭水体整治工作方案"
    assert titles.by_file["扫描件001.pdf"].number == "巴住建发〔2020〕8号"
    assert titles.by_file["IMG_20200615.pdf"].title == "黑臭水体整治现场照片"
    # the build's titles: no meaningless scanner names left
    from dossier.scan import scan

    tree = scan(lead, frozenset(catalogue.ids), frozenset(catalogue.settings.all_years))
    got = {f.path.name: Titles(lead).of(f).title for f in tree.files}
    assert got["扫描件001.pdf"] == "2020年黑臭水体整治工作方案"


def test_the_lead_units_own_entries_and_comments_stay(tmp_path: Path,
                                                      catalogue: Catalogue) -> None:
    lead = tmp_path / "lead"
    folder = lead / "12-水环境质量" / "2020"
    write_pdf(folder / "扫描件001.pdf", text="other")  # a different file of the same name
    own = "# 牵头单位自己写的\n扫描件001.pdf: 本单位的方案\n"
    (folder / "目录.yaml").write_text(own, encoding="utf-8")
    [done] = import_sources([_pack(tmp_path, catalogue)], lead, catalogue, today="2021-03-05")
    assert not done.problems, done.problems
    text = (folder / "目录.yaml").read_text(encoding="utf-8")
    assert text.startswith(own)  # untouched, comment included; new entries at the end
    titles = read_list(lead, "12-水环境质量/2020")
    assert not titles.problems
    assert titles.by_file["扫描件001.pdf"].title == "本单位的方案"
    # the sender's 扫描件001.pdf was kept beside as 扫描件001(2).pdf and took its title along
    beside = [n for n in titles.by_file if n.startswith("扫描件001(")]
    assert beside and titles.by_file[beside[0]].title == "2020年黑臭水体整治工作方案"
    # importing again adds nothing and keeps the file as it is
    before = (folder / "目录.yaml").read_bytes()
    import_sources([tmp_path / "out" / next(p.name for p in (tmp_path / "out").iterdir())],
                   lead, catalogue, today="2021-03-05")
    assert (folder / "目录.yaml").read_bytes() == before


def test_a_list_form_gets_list_entries(tmp_path: Path, catalogue: Catalogue) -> None:
    lead = tmp_path / "lead"
    folder = lead / "12-水环境质量" / "2020"
    write_pdf(folder / "01-own.pdf", text="own")
    (folder / "目录.yaml").write_text("- 文件: 01-own.pdf\n  题名: 本单位的材料\n",
                                      encoding="utf-8")
    import_sources([_pack(tmp_path, catalogue)], lead, catalogue, today="2021-03-05")
    titles = read_list(lead, "12-水环境质量/2020")
    assert not titles.problems
    assert titles.by_file["01-own.pdf"].title == "本单位的材料"
    assert titles.by_file["扫描件001.pdf"].number == "巴住建发〔2020〕8号"


def test_an_unreadable_destination_is_not_touched(tmp_path: Path, catalogue: Catalogue) -> None:
    lead = tmp_path / "lead"
    folder = lead / "12-水环境质量" / "2020"
    folder.mkdir(parents=True)
    broken = "扫描件001.pdf: [未闭合\n".encode("gbk")
    (folder / "目录.yaml").write_bytes(broken)
    [done] = import_sources([_pack(tmp_path, catalogue)], lead, catalogue, today="2021-03-05")
    assert [m.key for m in done.problems] == ["import-titles-not-merged"]
    assert (folder / "目录.yaml").read_bytes() == broken
    assert (folder / "扫描件001.pdf").is_file()  # the files themselves are merged


def test_odd_forms_are_added_to_or_left_alone(tmp_path: Path, catalogue: Catalogue) -> None:
    """A list opening with a comment gets list entries; flow style and an end marker
    cannot take entries at their end: left as they are, and said so."""
    import shutil

    zipped = _pack(tmp_path, catalogue)
    for n, (text, merged) in enumerate((
            ("# 本单位\n- 文件: 01-own.pdf\n  题名: 本单位的材料\n", True),
            ("---\n01-own.pdf: 本单位的材料\n", True),
            ("{01-own.pdf: 本单位的材料}\n", False),
            ("01-own.pdf: 本单位的材料\n...\n", False))):
        lead = tmp_path / f"lead{n}"
        folder = lead / "12-水环境质量" / "2020"
        write_pdf(folder / "01-own.pdf", text="own")
        (folder / "目录.yaml").write_text(text, encoding="utf-8")
        [done] = import_sources([zipped], lead, catalogue, today="2021-03-05")
        titles = read_list(lead, "12-水环境质量/2020")
        assert not titles.problems, (text, titles.problems)
        assert titles.by_file["01-own.pdf"].title == "本单位的材料"
        if merged:
            assert titles.by_file["扫描件001.pdf"].number == "巴住建发〔2020〕8号", text
            assert (folder / "目录.yaml").read_text(encoding="utf-8").startswith(text)
        else:
            assert [m.key for m in done.problems] == ["import-titles-invalid"], text
            assert (folder / "目录.yaml").read_text(encoding="utf-8") == text
        shutil.rmtree(lead)
