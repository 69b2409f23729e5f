"""dossier pack: a 责任单位's part, one zip per receiving 牵头单位, with UTF-8 names, a
报送清单 and the check report; deterministic and written whole or not at all."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from dossier.catalogue import Catalogue
from dossier.errors import UsageError
from dossier.hashing import sha256_file
from dossier.pack import MANIFEST, REPORT, plan_pack, write_pack

from clirun import invoke
from makefiles import write_pdf, write_truncated_pdf

EPOCH = 1614902400  # 2021-03-05


def _clerk_tree(root: Path) -> Path:
    """What a 住建局 clerk holds: parts of 12 and 24 (市生态环境局 collects), of 32
    (市交通运输局), and 28, which it collects itself."""
    write_pdf(root / "12-水环境质量" / "2019" / "(1)2019年黑臭水体整治.pdf", text="a")
    write_pdf(root / "12-水环境质量" / "2020" / "(1)2020年黑臭水体整治.pdf", text="b")
    write_truncated_pdf(root / "12-水环境质量" / "2020" / "(2)坏.pdf")
    write_pdf(root / "32-公共交通出行分担率" / "2019" / "(1)公交出行统计.pdf", text="c")
    write_pdf(root / "28-城镇污水处理率" / "2019" / "(1)污水处理.pdf", text="d")
    return root


def test_one_zip_per_receiving_unit(tmp_path: Path, catalogue: Catalogue) -> None:
    root = _clerk_tree(tmp_path / "m")
    plan = plan_pack(root, catalogue, "住建局")
    assert plan.unit == "市住房和城乡建设局"
    leads = {p.lead: p for p in plan.parcels}
    assert set(leads) == {"市生态环境局", "市交通运输局"}  # 28 is its own: not sent
    assert [f.rel for f in leads["市生态环境局"].files] == [
        "12-水环境质量/2019/(1)2019年黑臭水体整治.pdf",
        "12-水环境质量/2020/(1)2020年黑臭水体整治.pdf",
        "12-水环境质量/2020/(2)坏.pdf"]
    assert all(not p.files for p in plan.waiting) and plan.waiting
    written = write_pack(plan, root, tmp_path / "out", EPOCH)
    assert sorted(p.name for p in written) == sorted(p.name for p in plan.parcels)
    with zipfile.ZipFile(tmp_path / "out" / leads["市生态环境局"].name) as zf:
        names = zf.namelist()
        assert all(i.flag_bits & 0x800 for i in zf.infolist() if not i.filename.isascii())
        manifest = json.loads(zf.read(MANIFEST))
        report = zf.read(REPORT).decode("utf-8-sig")
        assert zf.read("12-水环境质量/2019/(1)2019年黑臭水体整治.pdf") == (
            root / "12-水环境质量/2019/(1)2019年黑臭水体整治.pdf").read_bytes()
    assert names[-2:] == [MANIFEST, REPORT]
    assert manifest["unit"] == "市住房和城乡建设局" and manifest["to"] == "市生态环境局"
    assert manifest["date"] == "2021-03-05" and manifest["deadline"] == "2021-03-05"
    first = manifest["files"][0]
    assert first["sha256"] == sha256_file(root / first["path"])
    assert first["review_points"] == ["(1)"] and first["indicator"] == 12
    assert "corrupt-pdf" in report and "坏.pdf" in report  # the sender's check goes along


def test_the_same_folder_packs_to_the_same_bytes(tmp_path: Path, catalogue: Catalogue) -> None:
    root = _clerk_tree(tmp_path / "m")
    plan = plan_pack(root, catalogue, "住建局")
    one = [p.read_bytes() for p in write_pack(plan, root, tmp_path / "a", EPOCH)]
    two = [p.read_bytes() for p in write_pack(plan, root, tmp_path / "b", EPOCH)]
    assert one == two
    assert not list((tmp_path / "a").glob(".*part"))


def test_a_unit_that_only_collects_has_nothing_to_send(tmp_path: Path,
                                                       catalogue: Catalogue) -> None:
    root = _clerk_tree(tmp_path / "m")
    with pytest.raises(UsageError) as nothing:
        plan_pack(root, catalogue, "住建局", indicators=[28])
    assert nothing.value.key == "pack-nothing-to-send"


def test_pack_command(tmp_path: Path) -> None:
    root = _clerk_tree(tmp_path / "m")
    out = tmp_path / "报送"
    dry = invoke(["pack", str(root), "--unit", "住建局", "-o", str(out), "--dry-run"])
    assert dry.exit_code == 1 and not out.exists()  # 1: the part sent has an error
    assert "市生态环境局" in dry.stdout
    done = invoke(["pack", str(root), "--unit", "住建局", "-o", str(out)],
                  env={"SOURCE_DATE_EPOCH": str(EPOCH)})
    assert done.exit_code == 1 and len(list(out.glob("*.zip"))) == 2
    assert invoke(["pack", str(root), "-o", str(out)]).exit_code == 2  # no --unit
    inside = invoke(["pack", str(root), "--unit", "住建局", "-o", str(root / "out")])
    assert inside.exit_code == 2 and not (root / "out").exists()


def test_a_name_of_raw_gbk_bytes_is_packed_under_its_chinese_name(tmp_path: Path,
                                                                  catalogue: Catalogue) -> None:
    import os

    root = _clerk_tree(tmp_path / "m")
    folder = os.fsencode(root / "12-水环境质量" / "2019")
    with open(os.path.join(folder, "(1)国家公报.pdf".encode("gbk")), "wb") as fh:
        fh.write((root / "12-水环境质量/2019/(1)2019年黑臭水体整治.pdf").read_bytes())
    plan = plan_pack(root, catalogue, "住建局")
    names = [f.name for p in plan.parcels for f in p.files]
    assert "12-水环境质量/2019/(1)国家公报.pdf" in names
    written = write_pack(plan, root, tmp_path / "out", EPOCH)
    [zipped] = [p for p in written if "生态环境局" in p.name]
    with zipfile.ZipFile(zipped) as zf:
        assert "12-水环境质量/2019/(1)国家公报.pdf" in zf.namelist()
