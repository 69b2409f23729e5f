"""Reading zip archives safely (dossier.archives): names as Chinese Windows writes them,
refusals of hostile or broken archives, and unpacking that never writes outside its folder
and never overwrites a file."""

from __future__ import annotations

import errno
import json
import os
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from dossier import archives
from dossier.archives import (
    Decoding,
    Extracted,
    Limits,
    Listing,
    Outcome,
    extract,
    list_entries,
)
from dossier.i18n import Message, placeholders, plain, translator
from dossier.messages import REGISTRY
from dossier.messages.archives import TEMPLATES
from zipmaker import (
    DATE_TIME,
    ENCRYPTED_FLAG,
    MAGIC_7Z,
    MAGIC_RAR4,
    MAGIC_RAR5,
    UTF8_FLAG,
    Member,
    bomb_member,
    corrupt_stored_data,
    nested_zip,
    patch_central,
    truncated,
    unicode_path_member,
    utf8_zip,
    windows_zip,
    write_zip,
    zip_bytes,
)

PDF = b"%PDF-1.4 test\n%%EOF\n"
NAME = "2019年度考核结果.pdf"
MTIME = time.mktime((*DATE_TIME, 0, 0, -1))


# -- helpers ---------------------------------------------------------------------------

def well_formed(message: Message) -> Message:
    """A message of this area: a declared key, every placeholder given, JSON params."""
    assert message.key in REGISTRY, message.key
    template = REGISTRY[message.key]
    assert isinstance(template, str)
    missing = placeholders(template) - set(message.params)
    assert not missing, (message.key, missing)
    json.dumps(plain(message.params))
    assert translator("en").render(message)
    for value in message.params.values():
        if isinstance(value, Message):
            well_formed(value)
    return message


def keys(result: Listing | Extracted) -> list[str]:
    return [well_formed(p).key for p in result.problems]


def only(result: Listing | Extracted, key: str) -> dict[str, Any]:
    """The params of the one problem with `key`."""
    found = [p for p in result.problems if p.key == key]
    assert len(found) == 1, keys(result)
    return dict(well_formed(found[0]).params)


def snapshot(folder: Path) -> dict[str, tuple[str, bytes, int]]:
    """Everything under `folder` (and whether it exists): kind, content, mtime in ns."""
    if not folder.exists():
        return {}
    out: dict[str, tuple[str, bytes, int]] = {".": ("dir", b"", folder.stat().st_mtime_ns)}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = ("link", os.readlink(path).encode(), 0)
        elif path.is_dir():
            out[rel] = ("dir", b"", path.stat().st_mtime_ns)
        else:
            out[rel] = ("file", path.read_bytes(), path.stat().st_mtime_ns)
    return out


def by_entry(result: Extracted) -> dict[str, archives.Placement]:
    return {p.entry: p for p in result.placements}


@pytest.fixture
def into(tmp_path: Path) -> Path:
    folder = tmp_path / "dest" / "材料"
    folder.mkdir(parents=True)
    (folder / "已有.pdf").write_bytes(b"%PDF existing")
    return folder


# -- names -----------------------------------------------------------------------------

def test_gbk_names_without_flag_are_decoded(tmp_path: Path) -> None:
    zip_path = windows_zip(tmp_path / "考核.zip", {NAME: PDF,
                                                  "佐证材料/2020/01(2)河长名单.pdf": PDF})
    listing = list_entries(zip_path)
    assert not listing.refused and listing.problems == ()
    files = {e.name: e for e in listing.entries if not e.is_dir}
    assert set(files) == {NAME, "佐证材料/2020/01(2)河长名单.pdf"}
    assert files[NAME].decoding is Decoding.GB18030
    assert files[NAME].raw_name == NAME.encode("gbk")
    assert files[NAME].size == len(PDF)
    folders = [e.name for e in listing.entries if e.is_dir]
    assert folders == ["佐证材料", "佐证材料/2020"]


def test_utf8_names_with_flag(tmp_path: Path) -> None:
    listing = list_entries(utf8_zip(tmp_path / "a.zip", {f"达标说明/{NAME}": PDF}))
    files = [e for e in listing.entries if not e.is_dir]
    assert [(e.name, e.decoding) for e in files] == [(f"达标说明/{NAME}", Decoding.UTF8_FLAG)]


def test_utf8_bytes_without_flag_and_ascii(tmp_path: Path) -> None:
    listing = list_entries(write_zip(tmp_path / "a.zip", [
        Member(NAME.encode("utf-8"), PDF), Member("readme.txt", b"x")]))
    assert [(e.name, e.decoding) for e in listing.entries] == [
        (NAME, Decoding.UTF8), ("readme.txt", Decoding.UTF8)]


def test_unicode_path_extra_field_wins_over_the_header_name(tmp_path: Path) -> None:
    listing = list_entries(write_zip(tmp_path / "a.zip", [
        unicode_path_member(NAME, PDF),  # "????.pdf" in the header
        unicode_path_member("说明.pdf", PDF, header="错误.pdf".encode("gbk")),
    ]))
    assert [(e.name, e.decoding) for e in listing.entries] == [
        (NAME, Decoding.UNICODE_PATH), ("说明.pdf", Decoding.UNICODE_PATH)]
    assert listing.entries[0].raw_name == b"????.pdf"


def test_unicode_path_with_a_wrong_crc_is_ignored(tmp_path: Path) -> None:
    header = "旧名.pdf".encode("gbk")
    listing = list_entries(write_zip(tmp_path / "a.zip", [
        unicode_path_member(NAME, PDF, header=header, crc=12345)]))
    assert [(e.name, e.decoding) for e in listing.entries] == [("旧名.pdf", Decoding.GB18030)]


def test_flagged_name_that_is_not_utf8_falls_back_to_gb18030(tmp_path: Path) -> None:
    """Some tools set the UTF-8 flag on GBK names; Python then refuses the whole archive."""
    zip_path = write_zip(tmp_path / "a.zip", [
        Member(NAME, PDF, flags=UTF8_FLAG),  # GBK bytes, flagged UTF-8
        Member("好.pdf", b"%PDF good", encoding="utf-8"),
    ])
    with pytest.raises(UnicodeDecodeError):
        zipfile.ZipFile(zip_path)
    listing = list_entries(zip_path)
    assert [(e.name, e.decoding) for e in listing.entries] == [
        (NAME, Decoding.GB18030), ("好.pdf", Decoding.UTF8_FLAG)]
    result = extract(zip_path, tmp_path / "out")
    assert not result.refused, keys(result)
    assert (tmp_path / "out" / NAME).read_bytes() == PDF
    assert (tmp_path / "out" / "好.pdf").read_bytes() == b"%PDF good"


def test_undecodable_name_is_skipped_with_its_escaped_bytes(tmp_path: Path) -> None:
    zip_path = write_zip(tmp_path / "a.zip", [Member(b"\xff\xfe\x80.pdf", PDF),
                                              Member(NAME, PDF)])
    listing = list_entries(zip_path)
    assert not listing.refused
    assert only(listing, "bad-file-name/archive") == {"archive": "a.zip",
                                                      "entry": "\\xff\\xfe\\x80.pdf"}
    assert [e.name for e in listing.entries] == [NAME]
    result = extract(zip_path, tmp_path / "out")
    assert not result.refused
    assert keys(result) == ["bad-file-name/archive"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [NAME]


def test_control_characters_in_a_name_are_a_bad_file_name(tmp_path: Path) -> None:
    listing = list_entries(write_zip(tmp_path / "a.zip", [Member("a\x07b.pdf", PDF)]))
    assert only(listing, "bad-file-name/archive")["entry"] == "a\\x07b.pdf"
    assert listing.entries == () and not listing.refused


def test_names_windows_cannot_hold_get_full_width_characters(tmp_path: Path) -> None:
    listing = list_entries(write_zip(tmp_path / "a.zip", [
        Member(b"????.pdf", PDF), Member("a/b:c*.pdf", PDF), Member("x\\y.pdf", PDF)]))
    assert [e.name for e in listing.entries] == ["？？？？.pdf", "a/b：c＊.pdf", "x/y.pdf"]


def test_many_bad_names_are_summarised(tmp_path: Path) -> None:
    members = [Member(bytes([0xFF, n]) + b".pdf", PDF) for n in range(30)]
    listing = list_entries(write_zip(tmp_path / "a.zip", members), Limits(
        max_problems_per_key=5))
    assert keys(listing) == ["bad-file-name/archive"] * 5 + ["archive-more-problems"]
    assert only(listing, "archive-more-problems")["count"] == 25


# -- refusals --------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [
    "../evil.pdf", "/abs.pdf", "C:\\x.pdf", "C:x.pdf", "c:/x.pdf", "a/../../evil.pdf",
    "a\\..\\..\\evil.pdf", "..\\evil.pdf", "\\\\server\\share\\evil.pdf", "a/./../..",
])
def test_traversal_refuses_the_archive(tmp_path: Path, into: Path, bad: str) -> None:
    zip_path = write_zip(tmp_path / "坏.zip", [Member(NAME, PDF), Member(bad, b"evil")])
    listing = list_entries(zip_path)
    assert listing.refused and listing.entries == ()
    assert only(listing, "archive-traversal") == {"archive": "坏.zip",
                                                  "entry": bad.replace("\\", "/")}
    before = snapshot(tmp_path)
    result = extract(zip_path, into)
    assert result.refused and result.placements == ()
    assert keys(result) == ["archive-traversal"]
    assert snapshot(tmp_path) == before  # nothing written anywhere, no staging left
    assert not [p for p in tmp_path.rglob("evil*")]


def test_symlink_entry_refuses_the_archive(tmp_path: Path, into: Path) -> None:
    zip_path = write_zip(tmp_path / "a.zip", [
        Member(NAME, PDF), Member("link.pdf", b"/etc/passwd", mode=0o120777)])
    assert only(list_entries(zip_path), "archive-symlink") == {"archive": "a.zip",
                                                               "entry": "link.pdf"}
    before = snapshot(into)
    assert extract(zip_path, into).refused
    assert snapshot(into) == before


def test_encrypted_entry_refuses_the_archive(tmp_path: Path) -> None:
    listing = list_entries(write_zip(tmp_path / "a.zip", [
        Member(NAME, PDF), Member("密.pdf", PDF, flags=ENCRYPTED_FLAG)]))
    assert listing.refused
    assert only(listing, "archive-encrypted-entry") == {"archive": "a.zip", "entry": "密.pdf"}


def test_compression_method_python_cannot_read(tmp_path: Path) -> None:
    data = patch_central(zip_bytes([Member(NAME, PDF)]), 0, method=9)  # Deflate64
    (tmp_path / "a.zip").write_bytes(data)
    listing = list_entries(tmp_path / "a.zip")
    assert listing.refused
    assert only(listing, "archive-unsupported-method") == {
        "archive": "a.zip", "entry": NAME, "method": "Deflate64"}


def test_compression_ratio_bomb(tmp_path: Path, into: Path) -> None:
    zip_path = write_zip(tmp_path / "a.zip", [Member(NAME, PDF), bomb_member()])
    listing = list_entries(zip_path)
    assert listing.refused
    params = only(listing, "archive-bomb")
    assert params["entry"] == "bomb.pdf" and params["limit"] == "200"
    assert params["size"] == "2 MB" and params["size_bytes"] == 2 << 20
    assert params["compressed_bytes"] * 200 < params["size_bytes"]
    before = snapshot(into)
    assert extract(zip_path, into).refused
    assert snapshot(into) == before


def test_a_compressible_entry_below_the_ratio_size_is_fine(tmp_path: Path) -> None:
    listing = list_entries(write_zip(tmp_path / "a.zip", [bomb_member(size=512 << 10)]))
    assert not listing.refused


def test_too_many_entries(tmp_path: Path) -> None:
    zip_path = write_zip(tmp_path / "a.zip", [Member(f"{n}.pdf", PDF) for n in range(5)])
    listing = list_entries(zip_path, Limits(max_entries=3))
    assert listing.refused
    assert only(listing, "archive-too-many-entries") == {"archive": "a.zip", "count": 5,
                                                         "limit": 3}
    assert not list_entries(zip_path, Limits(max_entries=5)).refused


def test_declared_total_too_large(tmp_path: Path) -> None:
    zip_path = write_zip(tmp_path / "a.zip", [Member(f"{n}.pdf", bytes(600)) for n in range(2)])
    listing = list_entries(zip_path, Limits(max_total_size=1000))
    params = only(listing, "archive-too-large")
    assert (params["size_bytes"], params["limit_bytes"]) == (1200, 1000)
    assert listing.refused


def test_bytes_written_are_counted(tmp_path: Path, into: Path) -> None:
    zip_path = write_zip(tmp_path / "a.zip", [Member(f"{n}.pdf", os.urandom(800))
                                              for n in range(3)])
    before = snapshot(tmp_path)
    result = extract(zip_path, into, Limits(max_written=2000))
    assert result.refused
    params = only(result, "archive-bomb/written")
    assert params["entry"] == "2.pdf" and params["limit_bytes"] == 2000
    assert snapshot(tmp_path) == before


def test_a_header_that_understates_the_size_refuses(tmp_path: Path, into: Path) -> None:
    data = patch_central(zip_bytes([Member(NAME, bytes(100_000))]), 0, size=10)
    (tmp_path / "a.zip").write_bytes(data)
    before = snapshot(tmp_path)
    result = extract(tmp_path / "a.zip", into)
    assert result.refused
    assert keys(result) == ["archive-corrupt/entry"]  # zipfile stops at the declared size
    assert result.written <= 10
    assert snapshot(tmp_path) == before


def test_truncated_archive(tmp_path: Path, into: Path) -> None:
    (tmp_path / "a.zip").write_bytes(truncated(zip_bytes([Member(NAME, os.urandom(5000))])))
    listing = list_entries(tmp_path / "a.zip")
    assert listing.refused and listing.kind == "zip"
    assert keys(listing) == ["archive-corrupt"]
    before = snapshot(into)
    assert extract(tmp_path / "a.zip", into).refused
    assert snapshot(into) == before


@pytest.mark.parametrize("content", [b"<html>404</html>", b"", b"PDF? no"])
def test_not_a_zip(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "a.zip").write_bytes(content)
    listing = list_entries(tmp_path / "a.zip")
    assert listing.refused and listing.kind == "other"
    assert only(listing, "archive-not-zip") == {"archive": "a.zip"}


def test_bad_crc_is_found_while_unpacking(tmp_path: Path, into: Path) -> None:
    data = zip_bytes([Member("好.pdf", PDF), Member(NAME, b"%PDF " + b"A" * 200,
                                                   method=zipfile.ZIP_STORED)])
    (tmp_path / "a.zip").write_bytes(corrupt_stored_data(data, b"A" * 200))
    assert not list_entries(tmp_path / "a.zip").refused  # the listing cannot know
    before = snapshot(tmp_path)
    result = extract(tmp_path / "a.zip", into)
    assert result.refused and result.placements == ()
    assert {k: v for k, v in only(result, "archive-corrupt/entry").items()
            if k != "detail"} == {"archive": "a.zip", "entry": NAME}
    assert snapshot(tmp_path) == before  # the first file is not kept either


@pytest.mark.parametrize("magic,kind", [(MAGIC_7Z, "7z"), (MAGIC_RAR5, "rar"),
                                        (MAGIC_RAR4, "rar")])
def test_7z_and_rar_get_a_problem_of_their_own(tmp_path: Path, magic: bytes,
                                               kind: str) -> None:
    (tmp_path / "材料.zip").write_bytes(magic + bytes(100))
    listing = list_entries(tmp_path / "材料.zip")
    assert listing.refused and listing.kind == kind
    assert only(listing, f"archive-unsupported/{kind}") == {"archive": "材料.zip"}
    assert archives.sniff(tmp_path / "材料.zip") == kind


def test_unreadable_archive(tmp_path: Path) -> None:
    listing = list_entries(tmp_path / "missing.zip")
    assert listing.refused
    assert only(listing, "archive-unreadable")["errno"] == "ENOENT"
    listing = list_entries(tmp_path)  # a folder
    assert listing.refused and keys(listing) == ["archive-unreadable"]


def test_name_given_for_messages(tmp_path: Path) -> None:
    zip_path = write_zip(tmp_path / "a.zip", [Member("../x.pdf", PDF)])
    listing = list_entries(zip_path, name="收件箱/a.zip")
    assert only(listing, "archive-traversal")["archive"] == "收件箱/a.zip"


# -- unpacking -------------------------------------------------------------------------

def test_extract_places_files_with_the_zip_times(tmp_path: Path, into: Path) -> None:
    zip_path = windows_zip(tmp_path / "a.zip", {NAME: PDF, "佐证材料/2020/说明.pdf": b"%PDF 2"})
    result = extract(zip_path, into)
    assert not result.refused and result.problems == () and result.changed
    placed = by_entry(result)
    assert {e: (p.outcome, p.path) for e, p in placed.items()} == {
        NAME: (Outcome.PLACED, NAME),
        "佐证材料/2020/说明.pdf": (Outcome.PLACED, "佐证材料/2020/说明.pdf")}
    assert (into / NAME).read_bytes() == PDF
    assert (into / "佐证材料/2020/说明.pdf").read_bytes() == b"%PDF 2"
    assert (into / NAME).stat().st_mtime == MTIME
    assert (into / "佐证材料").stat().st_mtime == MTIME  # folder entries too
    assert placed[NAME].mtime == MTIME and placed[NAME].size == len(PDF)
    assert result.written == len(PDF) + len(b"%PDF 2")
    assert (into / "已有.pdf").read_bytes() == b"%PDF existing"
    assert sorted(p.name for p in into.parent.iterdir()) == ["材料"]  # no staging left
    for placement in result.placements:
        well_formed(placement.message)


def test_extract_into_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    zip_path = utf8_zip(tmp_path / "a.zip", {NAME: PDF, "空/": b""})
    result = extract(zip_path, tmp_path / "新" / "目录")
    assert not result.refused
    assert (tmp_path / "新/目录" / NAME).read_bytes() == PDF
    assert (tmp_path / "新/目录/空").is_dir()


def test_refused_archive_does_not_create_the_folder(tmp_path: Path) -> None:
    zip_path = write_zip(tmp_path / "a.zip", [Member(NAME, PDF), Member("../x", b"")])
    assert extract(zip_path, tmp_path / "新" / "目录").refused
    assert not (tmp_path / "新").exists()
    data = zip_bytes([Member(NAME, b"A" * 300, method=zipfile.ZIP_STORED)])
    (tmp_path / "b.zip").write_bytes(corrupt_stored_data(data, b"A" * 300))
    assert extract(tmp_path / "b.zip", tmp_path / "新" / "目录").refused  # at unpacking
    assert not (tmp_path / "新").exists()


def test_extracting_again_changes_nothing(tmp_path: Path, into: Path) -> None:
    zip_path = windows_zip(tmp_path / "a.zip", {NAME: PDF, "佐证材料/说明.pdf": b"%PDF 2"})
    extract(zip_path, into)
    before = snapshot(into)
    inode = (into / NAME).stat().st_ino
    again = extract(zip_path, into)
    assert not again.refused and not again.changed
    assert {p.outcome for p in again.placements} == {Outcome.IDENTICAL}
    assert snapshot(into) == before
    assert (into / NAME).stat().st_ino == inode
    assert [p.message.key for p in again.placements] == ["archive-entry-skipped-identical"] * 2


def test_different_content_is_kept_beside(tmp_path: Path, into: Path) -> None:
    (into / NAME).write_bytes(b"%PDF older")
    zip_path = windows_zip(tmp_path / "a.zip", {NAME: PDF})
    result = extract(zip_path, into)
    placement = by_entry(result)[NAME]
    assert placement.outcome is Outcome.KEPT_BESIDE
    assert (placement.path, placement.wanted) == ("2019年度考核结果(2).pdf", NAME)
    assert (into / NAME).read_bytes() == b"%PDF older"
    assert (into / "2019年度考核结果(2).pdf").read_bytes() == PDF
    message = well_formed(placement.message)
    assert message.key == "archive-entry-kept-beside"
    assert message.params == {"archive": "a.zip", "entry": NAME,
                              "path": "2019年度考核结果(2).pdf", "existing": NAME}
    before = snapshot(into)
    again = extract(zip_path, into)
    assert [(p.outcome, p.path) for p in again.placements] == [
        (Outcome.IDENTICAL, "2019年度考核结果(2).pdf")]
    assert snapshot(into) == before


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_the_same_name_twice_in_one_archive(tmp_path: Path, into: Path) -> None:
    zip_path = write_zip(tmp_path / "a.zip", [
        Member("a.pdf", b"%PDF one"), Member("a.pdf", b"%PDF two"), Member("a.pdf", b"%PDF one")])
    result = extract(zip_path, into)
    assert [(p.outcome, p.path) for p in result.placements] == [
        (Outcome.PLACED, "a.pdf"), (Outcome.KEPT_BESIDE, "a(2).pdf"),
        (Outcome.IDENTICAL, "a.pdf")]
    assert (into / "a(2).pdf").read_bytes() == b"%PDF two"


def test_a_file_where_a_folder_is_needed_refuses(tmp_path: Path, into: Path) -> None:
    (into / "佐证材料").write_bytes(b"not a folder")
    zip_path = windows_zip(tmp_path / "a.zip", {NAME: PDF, "佐证材料/x.pdf": PDF})
    before = snapshot(into)
    result = extract(zip_path, into)
    assert result.refused
    assert only(result, "archive-target-blocked") == {
        "archive": "a.zip", "entry": "佐证材料", "path": "佐证材料"}
    assert snapshot(into) == before


def test_a_link_inside_the_folder_cannot_lead_outside(tmp_path: Path, into: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (into / "佐证材料").symlink_to(outside, target_is_directory=True)
    zip_path = windows_zip(tmp_path / "a.zip", {"佐证材料/x.pdf": PDF}, folders=False)
    result = extract(zip_path, into)
    assert result.refused
    assert only(result, "archive-outside-target") == {
        "archive": "a.zip", "entry": "佐证材料/x.pdf", "path": "佐证材料"}
    assert list(outside.iterdir()) == []


def test_a_failure_while_moving_in_undoes_everything(tmp_path: Path, into: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    zip_path = windows_zip(tmp_path / "a.zip", {"新/a.pdf": PDF, "新/b.pdf": b"%PDF b"})
    from dossier.archives import extraction

    real = extraction._link_or_copy
    calls: list[Path] = []

    def failing(src: Path, dst: Path) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(extraction, "_link_or_copy", failing)
    before = snapshot(tmp_path)
    result = extract(zip_path, into)
    assert result.refused and result.placements == ()
    params = only(result, "archive-unwritable")
    assert params["errno"] == "ENOSPC" and params["cause"] == Message("os/no-space")
    assert snapshot(tmp_path) == before


def test_without_hard_links_files_are_copied(tmp_path: Path, into: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(src: Any, dst: Any) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    result = extract(windows_zip(tmp_path / "a.zip", {NAME: PDF}), into)
    assert not result.refused
    assert (into / NAME).read_bytes() == PDF
    assert (into / NAME).stat().st_mtime == MTIME


def test_dry_run_decides_and_writes_nothing(tmp_path: Path, into: Path) -> None:
    (into / NAME).write_bytes(b"%PDF older")
    zip_path = windows_zip(tmp_path / "a.zip", {NAME: PDF, "新/说明.pdf": PDF})
    before = snapshot(tmp_path)
    result = extract(zip_path, into, dry_run=True)
    assert result.dry_run and not result.refused
    assert {p.entry: (p.outcome, p.path) for p in result.placements} == {
        NAME: (Outcome.KEPT_BESIDE, "2019年度考核结果(2).pdf"),
        "新/说明.pdf": (Outcome.PLACED, "新/说明.pdf")}
    assert snapshot(tmp_path) == before


# -- archives inside archives ----------------------------------------------------------

def test_a_zip_inside_is_unpacked_into_a_folder_of_its_name(tmp_path: Path, into: Path) -> None:
    inner = zip_bytes([Member("住建局/", b""), Member(f"住建局/{NAME}", PDF),
                       Member(b"\xff\xff.pdf", PDF)])
    zip_path = write_zip(tmp_path / "汇总.zip", [
        Member("收到/住建局.zip", inner, method=zipfile.ZIP_STORED), Member("说明.pdf", PDF)])
    result = extract(zip_path, into)
    assert not result.refused
    placed = {(p.archive, p.entry): (p.outcome, p.path) for p in result.placements}
    assert placed == {
        ("汇总.zip", "收到/住建局.zip"): (Outcome.UNPACKED, "收到/住建局"),
        ("汇总.zip/收到/住建局.zip", f"住建局/{NAME}"): (Outcome.PLACED, f"收到/住建局/{NAME}"),
        ("汇总.zip", "说明.pdf"): (Outcome.PLACED, "说明.pdf")}
    assert (into / "收到/住建局" / NAME).read_bytes() == PDF
    assert not (into / "收到/住建局.zip").exists()
    assert only(result, "bad-file-name/archive") == {"archive": "汇总.zip/收到/住建局.zip",
                                                     "entry": "\\xff\\xff.pdf"}
    before = snapshot(into)
    assert not extract(zip_path, into).changed
    assert snapshot(into) == before


def test_nested_zips_can_be_kept_as_files(tmp_path: Path, into: Path) -> None:
    zip_path = nested_zip(tmp_path / "level1.zip", 2, {NAME: PDF})
    result = extract(zip_path, into, unpack_nested=False)
    assert [(p.outcome, p.path) for p in result.placements] == [(Outcome.PLACED, "level2.zip")]


def test_nesting_depth_is_bounded(tmp_path: Path, into: Path) -> None:
    ok = extract(nested_zip(tmp_path / "ok.zip", 3, {NAME: PDF}), into)
    assert not ok.refused
    assert (into / "level2/level3" / NAME).read_bytes() == PDF
    before = snapshot(into)
    deep = extract(nested_zip(tmp_path / "deep.zip", 4, {NAME: PDF}), into)
    assert deep.refused
    assert only(deep, "archive-too-deep") == {"archive": "deep.zip/level2.zip/level3.zip",
                                              "entry": "level4.zip", "limit": 3}
    assert snapshot(into) == before


def test_a_refused_zip_inside_refuses_the_whole(tmp_path: Path, into: Path) -> None:
    inner = zip_bytes([Member("../../evil.pdf", PDF)])
    zip_path = write_zip(tmp_path / "a.zip", [Member("ok.pdf", PDF),
                                              Member("b.zip", inner)])
    before = snapshot(tmp_path)
    result = extract(zip_path, into)
    assert result.refused
    assert only(result, "archive-traversal") == {"archive": "a.zip/b.zip",
                                                 "entry": "../../evil.pdf"}
    assert snapshot(tmp_path) == before


def test_entries_of_nested_zips_count_together(tmp_path: Path, into: Path) -> None:
    inner = zip_bytes([Member(f"{n}.pdf", PDF) for n in range(4)])
    zip_path = write_zip(tmp_path / "a.zip", [Member("b.zip", inner), Member("c.pdf", PDF)])
    result = extract(zip_path, into, Limits(max_entries=5))
    assert result.refused
    assert only(result, "archive-too-many-entries") == {"archive": "a.zip", "count": 6,
                                                        "limit": 5}


def test_a_7z_inside_is_kept_as_a_file_with_a_problem(tmp_path: Path, into: Path) -> None:
    zip_path = write_zip(tmp_path / "a.zip", [Member("材料.7z", MAGIC_7Z + bytes(10))])
    result = extract(zip_path, into)
    assert not result.refused
    assert only(result, "archive-unsupported/7z") == {"archive": "a.zip/材料.7z"}
    assert (into / "材料.7z").exists()


def test_a_zip_named_file_that_is_no_zip_is_kept(tmp_path: Path, into: Path) -> None:
    zip_path = write_zip(tmp_path / "a.zip", [Member("b.zip", b"<html>not found</html>")])
    result = extract(zip_path, into)
    assert [(p.outcome, p.path) for p in result.placements] == [(Outcome.PLACED, "b.zip")]


# -- messages --------------------------------------------------------------------------

def test_every_template_is_declared_in_the_registry_with_its_own_key() -> None:
    for key, template in TEMPLATES.items():
        assert REGISTRY[key] is template
        assert isinstance(template, str)
        assert "--" not in template and "dossier " not in template  # no CLI flags/commands


def test_sizes_read_as_a_person_reads_them() -> None:
    assert archives.size_text(512) == "512 B"
    assert archives.size_text(1536) == "1.5 KB"
    assert archives.size_text(4 << 30) == "4 GB"


def test_many_small_entries_of_zeros_are_a_bomb_too(tmp_path: Path) -> None:
    """No entry is suspicious on its own (each below the per-entry ratio's size), but the
    archive as a whole declares far more than its own size."""
    from dossier.archives import Limits, list_entries

    members = [Member(f"z{n}.pdf", b"\0" * 4096) for n in range(400)]
    archive = write_zip(tmp_path / "many.zip", members)
    limits = Limits(archive_ratio_min_size=1 << 20, max_archive_ratio=10)
    listing = list_entries(archive, limits)
    assert listing.refused and any(p.key == "archive-bomb/total" for p in listing.problems)
    assert not list_entries(archive).refused  # 1.6 MB: below the default threshold


def test_names_windows_cannot_hold_become_names_it_can(tmp_path: Path) -> None:
    """Trailing dots and spaces (Windows drops them) and device names (NUL swallows what is
    written to it) are kept visible under names Windows can create."""
    from dossier.archives import list_entries, windows_safe

    assert windows_safe("a.pdf.") == "a.pdf．" and windows_safe("a.pdf ") == "a.pdf．"
    assert windows_safe("nul") == "＿nul" and windows_safe("CON.pdf") == "＿CON.pdf"
    assert windows_safe("console.pdf") == "console.pdf" and windows_safe("文件.pdf") == "文件.pdf"
    archive = utf8_zip(tmp_path / "w.zip", {"12/2019/nul": b"x", "12/2019/a.pdf.": b"y"})
    names = {e.name for e in list_entries(archive).entries if not e.is_dir}
    assert names == {"12/2019/＿nul", "12/2019/a.pdf．"}
