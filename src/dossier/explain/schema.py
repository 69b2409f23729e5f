"""What clerks write: 达标说明.yaml (one per indicator, in its 达标说明 folder) and
共享数据.yaml (figures several indicators use, at the materials root). Keys are Chinese
(aliases); code uses English names. Validated on load; errors name file, line and key."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, RootModel, model_validator

from dossier.yamlfile import Invalid

YES = {"是", "完成", "已完成", "true", "yes", "y", "1", "达标", "合格", "优秀", "良好"}
NO = {"否", "未完成", "没有完成", "false", "no", "n", "0", "不达标", "不合格", "未达标"}


def _yes_no(value: Any) -> Any:
    """YAML knows true/false; clerks write 是/否 and 完成/未完成."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text in YES:
            return True
        if text in NO:
            return False
        raise Invalid("schema.yes-no-word", value=value)
    return value


def _text(value: Any) -> Any:
    """Free text may be a string or a list of paragraphs; numbers are kept as text."""
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return "\n\n".join(str(v) for v in value)  # one paragraph per item
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _empty_map(value: Any) -> Any:
    """A key left empty in the starter (`相关数据:`) is an empty mapping."""
    return {} if value is None else value


def _year_keys(value: Any) -> Any:
    """Years as clerks write them: 2019, "2019", ２０１９, 2019年, 2019年度."""
    if not isinstance(value, dict):
        return _empty_map(value)
    out = {}
    for key, item in value.items():
        if isinstance(key, str):
            text = unicodedata.normalize("NFKC", key).strip().removesuffix("年度")
            key = text.removesuffix("年").strip() or key
        out[key] = item
    return out


def _names(value: Any) -> Any:
    """Figure names NFKC-normalised, so （平方米/人） matches (平方米/人)."""
    if not isinstance(value, dict):
        return _empty_map(value)
    return {unicodedata.normalize("NFKC", k).strip() if isinstance(k, str) else k: v
            for k, v in value.items()}


def _number(value: Any) -> Any:
    """Numbers written as text: “95.6”, “９５.６”, “1,234.5”, “95.6%”."""
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().replace(",", "")
        return text.removesuffix("%").strip() if text.endswith("%") else text
    return value


YesNo = Annotated[bool, BeforeValidator(_yes_no)]
Text = Annotated[str, BeforeValidator(_text)]
Number = Annotated[float, Field(allow_inf_nan=False)]


class _In(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=False,
                              strict=False)


class FigureIn(_In):
    """One figure of one year: a value with unit and source, a reference to 共享数据.yaml,
    or (for qualitative targets) a declared status."""

    value: Annotated[Number | None, BeforeValidator(_number)] = Field(None, alias="数值")
    unit: str | None = Field(None, alias="单位")
    source: str | None = Field(None, alias="来源")
    ref: str | None = Field(None, alias="引用")
    status: str | None = Field(None, alias="状态")
    achieved: YesNo | None = Field(None, alias="达标")  # qualitative: 是/否 when 状态 is unclear
    note: Text | None = Field(None, alias="备注")

    @property
    def blank(self) -> bool:
        """A starter entry nobody has filled in yet."""
        return (self.value is None and self.ref is None and self.achieved is None
                and not (self.status or "").strip())

    @model_validator(mode="before")
    @classmethod
    def _percent_in_value(cls, data: Any) -> Any:
        """“数值: 95.6%” without 单位 means 单位 %."""
        if isinstance(data, dict) and isinstance(data.get("数值"), str) \
                and unicodedata.normalize("NFKC", data["数值"]).strip().endswith("%") \
                and not data.get("单位"):
            return {**data, "单位": "%"}
        return data

    @model_validator(mode="after")
    def _complete(self) -> FigureIn:
        if self.blank:
            return self
        if self.value is not None and not (self.unit or "").strip():
            raise Invalid("schema.value-needs-unit")
        if self.ref is not None and self.value is not None:
            raise Invalid("schema.value-and-reference")
        return self


class SuperiorIn(_In):
    """上级考核: the superior authority's assessment of the year."""

    done: YesNo | None = Field(None, alias="完成")  # None: not filled in yet
    document: str | None = Field(None, alias="文件")
    note: Text | None = Field(None, alias="说明")


class YearIn(_In):
    metrics: Annotated[dict[str, FigureIn | None], BeforeValidator(_names)] = Field(
        default_factory=dict, alias="指标值")
    figures: Annotated[dict[str, FigureIn | None], BeforeValidator(_names)] = Field(
        default_factory=dict, alias="相关数据")
    superior: SuperiorIn | None = Field(None, alias="上级考核")
    reasons: Text = Field("", alias="达标理由")
    change_note: Text = Field("", alias="变化情况说明")
    # why a target was missed this year and what is being done: printed in the 达标说明;
    # the verdict stays 未达标 (the finding becomes a warning marked 已说明)
    unmet_note: Text = Field("", alias="未达标说明")

    @property
    def blank(self) -> bool:
        """Nothing filled in: the starter's empty year."""
        return (all(f is None or f.blank for f in (*self.metrics.values(),
                                                   *self.figures.values()))
                and (self.superior is None or self.superior.done is None)
                and not self.reasons.strip() and not self.change_note.strip()
                and not self.unmet_note.strip())


class ProjectIn(_In):
    """One row of the 重点项目台账 (附件3 三: 重点项目台账和项目清单)."""

    name: str = Field(min_length=1, alias="名称")
    year: int | str = Field(alias="年度")  # 2019 or "2018—2020"
    investment: Number | None = Field(None, alias="投资")  # 万元
    status: str = Field("", alias="状态")
    unit: str = Field("", alias="实施单位")
    note: Text = Field("", alias="备注")


def _file_names(value: Any) -> Any:
    """One file name or a list of them."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else value


class ExplanationIn(_In):
    standard: Text = Field("", alias="考核标准")
    # the unit's own signed and stamped 达标说明 (files in this 达标说明 folder): bound in
    # place of the generated one
    stamped: Annotated[tuple[Annotated[str, Field(min_length=1)], ...],
                       BeforeValidator(_file_names)] = Field((), alias="盖章版")
    years: Annotated[dict[int, YearIn | None], BeforeValidator(_year_keys)] = Field(
        default_factory=dict, alias="年度")
    work: Text = Field("", alias="主要工作")
    projects: Annotated[tuple[ProjectIn, ...], BeforeValidator(lambda v: v or ())] = Field(
        (), alias="重点项目")


class SharedFigureIn(_In):
    """A figure in 共享数据.yaml: unit, values per year, source (one for all years or per year)."""

    unit: str = Field(min_length=1, alias="单位")
    values: Annotated[dict[int, Annotated[Number, BeforeValidator(_number)]],
                      BeforeValidator(_year_keys)] = Field(alias="数值")
    source: str | dict[int, str] = Field("", alias="来源")

    def source_of(self, year: int) -> str:
        if isinstance(self.source, dict):
            return self.source.get(year, "")
        return self.source


class SharedIn(RootModel[dict[str, SharedFigureIn]]):
    """共享数据.yaml: figure name -> SharedFigureIn."""

    model_config = ConfigDict(frozen=True)
