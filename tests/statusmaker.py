"""A tree as the 领导小组办公室 holds it on 2021-03-06: the bundled example (eight
indicators with 达标说明.yaml, a 共享数据.yaml and deliberate faults), merged with parts
that 责任单位 sent through `dossier pack` / `dossier import` (so an import record says who
supplied what), and the contacts forms (附件2) of a few units. Optionally one indicator is
built into an output folder."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from dossier.catalogue import Catalogue
from dossier.importing import import_sources
from dossier.pack import plan_pack, write_pack

from makefiles import write_pdf

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "materials"
AS_OF = dt.date(2021, 3, 6)  # a day after the 责任单位' deadline, before the handover
EPOCH = 1614902400  # 2021-03-05

# (unit as the clerk writes it, indicator folder as its clerk spells it, files)
SENT = (
    ("住建局", "12-水环境质量",
     ("2019/(1)2019年黑臭水体整治.pdf", "2020/(1)2020年黑臭水体整治.pdf")),
    ("巴州区", "12 水环境质量", ("2020/(2)2020年巴州区水环境工作总结.pdf",)),
    ("市水利局", "28-城镇污水处理率", ("2019/(2)2019年河道整治.pdf",)),
)
CONTACTS = """\
- {单位: 市生态环境局, 姓名: 张明, 职务: 科长, 联系电话: 0827-5261234}
- {单位: 市住房和城乡建设局, 姓名: 李华, 职务: 副科长, 联系电话: 13812345678}
- {单位: 巴州区, 姓名: 王芳, 职务: 干部, 联系电话: '13998765432'}
"""


def office_tree(base: Path, catalogue: Catalogue) -> Path:
    """The merged tree at base/materials; the units' own trees and zips beside it."""
    root = base / "materials"
    shutil.copytree(EXAMPLE, root)
    zips = []
    for unit, folder, files in SENT:
        sender = base / "units" / unit
        for rel in files:
            write_pdf(sender / folder / rel, text=f"{unit} {rel}")
        number = int(folder[:2])
        zips += write_pack(plan_pack(sender, catalogue, unit, [number]), sender,
                           base / "zips" / unit, EPOCH)
    import_sources(zips, root, catalogue, today="2021-03-05")
    (root / "联络人员名单.yaml").write_text(CONTACTS, encoding="utf-8")
    return root
