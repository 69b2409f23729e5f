from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from dossier.catalogue import Catalogue, load_catalogue


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


SECTIONS = ("达标说明", "直接证明材料", "2018", "2019", "2020", "2021", "长期有效")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """An empty materials folder with the full skeleton for indicator 12."""
    root = tmp_path / "materials"
    for s in SECTIONS:
        (root / "12-水环境质量" / s).mkdir(parents=True)
    return root
