"""Templates of the explain area: the catalogue (indicators.yaml), YAML files and their
schema problems, 达标说明.yaml and 共享数据.yaml, target verdicts and their reasons,
consistency findings, and the labels of the generated 达标说明 (always rendered in
Chinese, see dossier.explain.context)."""

from __future__ import annotations

from dossier.i18n import N_, Plural, Template

# A located problem: "" (line and field), "line" (line only), "file" (the whole file).
_AT_FIELD = N_("{file}:{line}: {field}: {problem}")
_AT_LINE = N_("{file}:{line}: {problem}")
_AT_FILE = N_("{file}: {problem}")

TEMPLATES: dict[str, Template] = {
    # -- the catalogue (catalogue.py) ------------------------------------------------
    "yaml-problem": _AT_FIELD,  # one problem of CatalogueError.problems
    "yaml-problem/line": _AT_LINE,
    "yaml-problem/file": _AT_FILE,
    "unknown-indicator": N_("指标 {indicator} is not in the catalogue {file}; it has: {known}"),
    "catalogue-missing-lead-unit": N_(
        "{file}:{line}: 指标 {indicator} has no 牵头单位 ({field}); ask the 领导小组办公室 "
        "and fill it in"),
    "catalogue-missing-lead-unit/note": N_(
        "{file}:{line}: 指标 {indicator} has no 牵头单位 ({field}): {note}; ask the "
        "领导小组办公室 and fill it in"),
    "catalogue-missing-responsible-unit": N_(
        "{file}:{line}: 指标 {indicator} has no 责任单位 ({field}); ask the 领导小组办公室 "
        "and fill it in"),
    "catalogue-missing-responsible-unit/note": N_(
        "{file}:{line}: 指标 {indicator} has no 责任单位 ({field}): {note}; ask the "
        "领导小组办公室 and fill it in"),

    # -- reading a YAML file (yamlfile.py): the `problem` of a located problem ---------
    "yaml.not-found": N_("file not found"),
    "yaml.not-a-file": N_("this is a folder, not a file"),
    "yaml.outside-tree": N_("this is a link to a file outside the materials folder: it is "
                            "not read; put the file itself here"),
    "yaml.not-regular": N_("this is not an ordinary file (a pipe, a device or a socket): it is "
                           "not read"),
    "yaml.too-large": N_("the file is larger than {limit} bytes, far more than a hand-written "
                         "file holds; it is not read"),
    "yaml.too-deep": N_("values are nested more than {limit} levels deep; write them as "
                        "the template shows"),
    "yaml.too-long": N_("a value is longer than {limit} characters; shorten it"),
    "yaml.not-utf8": N_("the file is not UTF-8 text; save it as UTF-8 (WPS/记事本: 另存为 → "
                        "编码 UTF-8)"),
    "yaml.not-utf8/gbk": N_("the file is saved as GBK (as WPS and 记事本 on Chinese Windows "
                            "do); save it as UTF-8 (WPS/记事本: 另存为 → 编码 UTF-8)"),
    "yaml.unreadable": N_("the file cannot be read ({cause}); check its permissions"),
    "yaml.bad-value": N_("a value cannot be read, e.g. a date that does not exist such as "
                         "2021-13-45 or 2021-02-30; write dates as text in quotes, or correct "
                         "them"),
    "yaml.syntax": N_("YAML syntax error; check the indentation and that every “key: value” "
                      "has a space after the colon (use spaces, not tabs)"),
    "yaml.fullwidth-colon": N_("a Chinese colon “：” follows the key “{key}”; write an English "
                               "colon and a space (“: ”) instead"),
    "yaml.fullwidth-colon/line": N_("a Chinese colon “：” follows a key on this line; write an "
                                    "English colon and a space (“: ”) instead"),
    "yaml.tab": N_("the line is indented with a tab; indent with spaces"),
    "yaml.fullwidth-space": N_("the line is indented with a full-width space; indent with "
                               "ordinary spaces"),
    "yaml.alias-bomb": N_("the file expands to more than {limit} values through anchors (&) "
                          "and aliases (*); write the values out"),
    "yaml.duplicate-key": N_("the key “{key}” appears twice in one mapping; keep one"),
    "yaml.empty": N_("the file is empty"),
    "yaml.top-level-mapping": N_("the top level must be a mapping (one “key: value” per "
                                 "line)"),

    # -- schema problems (pydantic error types and our validators) -----------------------
    "schema.unknown-key": N_("unknown key; check its spelling against the documented keys"),
    "schema.missing": N_("this key is required"),
    "schema.mapping": N_("must be a mapping of keys (one “key: value” per line)"),
    "schema.figure-mapping": N_("must be a mapping of keys, for example "
                                "{{数值: 95.6, 单位: '%', 来源: 2019年公报}}"),
    "schema.number": N_("must be a number such as 95.6 (the unit goes into 单位)"),
    "schema.whole-number": N_("must be a whole number such as 2019 (a year without 年)"),
    "schema.text": N_("must be text"),
    "schema.empty-text": N_("must not be empty"),
    "schema.finite-number": N_("must be a finite number"),
    "schema.list": N_("must be a list (lines starting with “- ”)"),
    "schema.yes-no": N_("must be true or false"),
    "schema.date": N_("must be a date such as 2021-02-25"),
    "schema.month": N_("must be a month such as 2021-03"),
    "schema.kind-missing": N_("the key kind is missing"),
    "schema.kind-unknown": N_("the kind “{kind}” is unknown; use one of: {allowed}"),
    "schema.one-of": N_("must be one of: {allowed}"),
    "schema.greater-than-equal": N_("must be at least {limit}"),
    "schema.greater-than": N_("must be greater than {limit}"),
    "schema.less-than-equal": N_("must be at most {limit}"),
    "schema.less-than": N_("must be less than {limit}"),
    # Plural takes the two literals itself (N_ inside it would hide the pair from Babel)
    "schema.too-few": Plural("needs at least {count} entry", "needs at least {count} entries",
                             "count"),
    "schema.invalid": N_("the value has the wrong form"),
    "schema.requirement-ids-repeat": N_("the review point numbers {ids} repeat"),
    "schema.alternative-unknown": N_("review point {tag} is an alternative to {other}, which "
                                     "is not another review point of this indicator"),
    "schema.evidence-years-order": N_("evidence_years must be distinct and ascending"),
    "schema.progress-year-in-evidence": N_("progress_year ({year}) must not be one of "
                                           "evidence_years"),
    "schema.indicator-ids-repeat": N_("the indicator numbers {ids} repeat"),
    "schema.yes-no-word": N_("“{value}” is neither 是 nor 否 (write 是 or 否)"),
    "schema.value-needs-unit": N_("数值 needs 单位 (for example 单位: '%'; for an index "
                                  "write 单位: 无)"),
    "schema.value-and-reference": N_("give either 数值 or 引用, not both: with 引用 the value "
                                     "comes from 共享数据.yaml"),

    # -- 达标说明.yaml and 共享数据.yaml (explain/load.py) --------------------------------
    "explanation-invalid": _AT_FIELD,
    "explanation-invalid/line": _AT_LINE,
    "explanation-invalid/file": _AT_FILE,
    "shared-data-invalid": _AT_FIELD,
    "shared-data-invalid/line": _AT_LINE,
    "shared-data-invalid/file": _AT_FILE,
    "explanation.empty": N_("the file is empty; fill in the data or delete the file"),
    "explanation.unknown-metric": N_(
        "指标值 “{name}” is not a metric of 指标 {indicator}; the metrics are: {metrics} "
        "(put other figures under 相关数据)"),
    "explanation.unknown-metric-close": N_(
        "指标值 “{name}” is not a metric of 指标 {indicator}; did you mean “{close}”? The "
        "metrics are: {metrics} (put other figures under 相关数据)"),
    "shared.top-level": N_("the file must map figure names to 单位, 数值 and 来源"),
    "explanation-year-out-of-range": N_(
        "{file}:{line}: data for {year} lies outside {first}–{last} (附件3 时效性: "
        "{first}–{evidence_last} and {progress} progress); remove it or correct the year"),
    "explanation-year-out-of-range/shared": N_(
        "{file}:{line}: {field}: a value for {year}, outside {first}–{last} (附件3 时效性); "
        "remove it"),
    "shared-figure-unknown": N_(
        "{file}:{line}: 引用 “{ref}” is not in {shared_file} (it has: {known}); add it there "
        "or fix the name"),
    "shared-figure-unknown/empty": N_(
        "{file}:{line}: 引用 “{ref}” is not in 共享数据.yaml, which holds no usable figure; "
        "add it there or fix the name"),
    "shared-figure-unknown/no-file": N_(
        "{file}:{line}: 引用 “{ref}” names a figure of 共享数据.yaml, but there is no such "
        "file at the materials root; create it with that figure, or fix the name"),
    "shared-figure-unknown/broken": N_(
        "{file}:{line}: 引用 “{ref}” cannot be resolved because {shared_file} has errors "
        "there; fix them first (see shared-data-invalid)"),
    "shared-figure-unknown/no-year": N_(
        "{file}:{line}: 引用 “{ref}” has no {year} value in {shared_file} (line "
        "{shared_line}); add it there"),

    # -- targets (checks/targets.py) -------------------------------------------------
    "explanation-data-missing": N_(
        "指标 {indicator} has no {file}, so its targets are not evaluated and no 达标说明 is "
        "generated; put one into its 达标说明 folder"),
    "explanation-missing-year": N_(
        "{path}: no data for {years} yet (年度 → {first} is missing or empty); fill in each "
        "year's 指标值, 上级考核 and 达标理由"),
    "explanation-missing-year/per-year": N_(
        "{path}: no data for {years} yet (年度 → {first} is missing or empty), and 审核要点 "
        "{tags} must cover every year; fill in each year's 指标值, 上级考核 and 达标理由"),
    "target-unmet": N_(  # a 约束性 target in an evidence year: an error
        "{file}:{line}: {metric} does not meet its target in {year} (target: {target}): "
        "{reasons}. A missed {attribute} target is a real obstacle to the application: do "
        "not change a true figure to pass (that would be 虚假资料). If the figure is right, "
        "write 未达标说明 under 年度 → {year} in 达标说明.yaml (why the target was missed, "
        "what is being done and by when): it is printed in the 达标说明, and this error "
        "becomes a warning marked 已说明. The indicator still counts as 未达标; tell the "
        "领导小组办公室"),
    "target-unmet/reference": N_(
        "{file}:{line}: {metric} does not meet its target in {year} (target: {target}): "
        "{reasons}; this is a {attribute} indicator, so it is a warning. Keep the true "
        "figure; if it is right, write 未达标说明 under 年度 → {year} (why, and what is "
        "being done): it is printed in the 达标说明"),
    "target-unmet/progress": N_(
        "{file}:{line}: {metric} does not meet its target in {year} (target: {target}): "
        "{reasons}; {year} is the progress year, so the target is not required yet, but the "
        "work needs attention. If the figure is right, you may write 未达标说明 under 年度 → "
        "{year}"),
    "target-unmet/explained-stamped": N_(
        "{file}:{line}: {metric} does not meet its target in {year} (target: {target}): "
        "{reasons}. The 未达标说明 for {year} is written in 达标说明.yaml, but the volume binds "
        "the unit's own stamped 达标说明 instead of the generated one, so the reviewer will "
        "not see it: put the 未达标说明 into the stamped explanation as well"),
    "target-unmet/explained": N_(
        "{file}:{line}: {metric} does not meet its target in {year} (target: {target}): "
        "{reasons}; 已说明: the 未达标说明 for {year} is printed in the 达标说明. The "
        "indicator still counts as 未达标; the 领导小组办公室 decides how to proceed"),
    "explanation-stamped": N_(
        "{path}: the volume binds the unit's own stamped 达标说明 ({files}) in place of the "
        "one generated from this file; the data here is still checked, so keep the figures "
        "of both the same. To bind the generated one instead, move the scan out of the "
        "达标说明 folder or rename it"),
    "explanation-stamped/declared": N_(
        "{path}: the volume binds the stamped 达标说明 named under 盖章版 ({files}) in place "
        "of the one generated from this file; the data here is still checked, so keep the "
        "figures of both the same. To bind the generated one instead, remove 盖章版"),
    "explanation.stamped-not-found": N_(
        "盖章版 names “{name}”, which is not in this 达标说明 folder; put the stamped PDF "
        "there or correct the name"),
    "target-no-data": N_(
        "{file}:{line}: {metric} cannot be judged for {year}: {reasons}; fill it in under "
        "年度 → {year} (指标值: 数值/单位/来源, 状态, or 上级考核)"),

    # -- consistency (checks/consistency.py) ---------------------------------------------
    "figure-mismatch": N_(
        "{file}:{line}: {name} {year} is {value} here but {other_value} in 指标 "
        "{other_indicator} ({other_file}:{other_line}); one figure used in several places "
        "must match: correct one, or put it in 共享数据.yaml and use 引用"),
    "figure-mismatch/same-file": N_(
        "{file}:{line}: {name} {year} is {value} here but {other_value} on line "
        "{other_line} of the same file; one figure used in several places must match: "
        "correct one, or put it in 共享数据.yaml and use 引用"),
    "shared-figure-mismatch": N_(
        "{file}:{line}: {name} {year} is {value} here but {shared_value} in {shared_file} "
        "(line {shared_line}); correct it, or replace 数值/单位 with 引用: {name}"),
    "unexplained-change": N_(
        "{file}:{line}: {name} changes from {before} ({prev_year}) to {now} ({year}), "
        "{change}, more than {limit}; write 变化情况说明 for {year} (附件3 四: "
        "异常变大或变小必须要有变化情况说明)"),
    "unexplained-change/from-zero": N_(
        "{file}:{line}: {name} changes from {before} ({prev_year}) to {now} ({year}), a "
        "change from zero, more than {limit}; write 变化情况说明 for {year} (附件3 四: "
        "异常变大或变小必须要有变化情况说明)"),

    # -- verdicts and their reasons (explain/evaluate.py) ------------------------------
    "verdict.met": N_("met"),
    "verdict.unmet": N_("not met"),
    "verdict.no-data": N_("no data"),
    "target.at-least": N_("≥{value}"),
    "target.at-most": N_("≤{value}"),
    "target.exactly": N_("={value}"),
    "change.same": N_("unchanged from {prev_year} ({before})"),
    "change.up-points": N_("up {delta} percentage points from {prev_year} ({before})"),
    "change.down-points": N_("down {delta} percentage points from {prev_year} ({before})"),
    "change.up": N_("up {delta} from {prev_year} ({before})"),
    "change.down": N_("down {delta} from {prev_year} ({before})"),
    "reason.separator": N_("; "),  # between the reasons of one year
    "reason.no-value": N_("no actual value filled in"),
    "reason.unit-mismatch": N_("the unit “{unit}” does not match the target's unit "
                               "“{target_unit}”, so they cannot be compared (write 单位: "
                               "{target_unit})"),
    "reason.threshold-met": N_("{value}, meets the target {target}"),
    "reason.threshold-unmet": N_("{value}, does not meet the target {target}"),
    "reason.base-year": N_("base year"),
    "reason.no-earlier-year/not-worse": N_(
        "no figure for an earlier year, so whether it is stable or improving cannot be "
        "judged"),
    "reason.no-earlier-year/decreasing": N_(
        "no figure for an earlier year, so whether it falls year by year cannot be judged"),
    "reason.no-earlier-year/not-decreasing": N_(
        "no figure for an earlier year, so whether it holds without falling cannot be "
        "judged"),
    "reason.units-differ": N_("the units of {prev_year} (“{prev_unit}”) and of this year "
                              "(“{unit}”) differ, so they cannot be compared"),
    "reason.trend-met/not-worse": N_("{change}: stable or improving"),
    "reason.trend-met/decreasing": N_("{change}: falling year by year"),
    "reason.trend-met/not-decreasing": N_("{change}: not falling"),
    "reason.trend-unmet": N_("{change}: worse"),
    "reason.trend-unmet/decreasing": N_("{change}: not falling year by year"),
    "reason.superior-missing": N_("no result of the superior assessment (上级考核) filled in"),
    "reason.superior-done": N_("completed the task set by the superior authority"),
    "reason.superior-done-document": N_("completed the task set by the superior authority "
                                        "({document})"),
    "reason.superior-not-done": N_("did not complete the task set by the superior authority"),
    "reason.superior-not-done-document": N_("did not complete the task set by the superior "
                                            "authority ({document})"),
    "reason.status-missing": N_("no status (状态) filled in (target: {target})"),
    "reason.status-unmet": N_("{status}; the target is {target}"),
    "reason.declared-unmet": N_("declared not met (达标: 否); the target is {target}"),
    "reason.status-unclear": N_("the status “{status}” does not say whether it is {target} "
                                "(write 达标: 是 or 否)"),
    "reason.status-without-material": N_("{status}, but this year has no material tagged "
                                         "with a review point"),
    "reason.declared-without-material": N_("declared met (达标: 是), but this year has no "
                                           "material tagged with a review point"),
    "reason.status-met": N_("status {status}"),
    "reason.declared-met": N_("declared met (达标: 是)"),

    # -- the generated 达标说明 (explain/context.py, explain/generate.py): PDF text ------
    "explanation.title": N_("Compliance explanation of the indicator {name}"),
    "explanation.year": N_("Year {year}"),
    "explanation.year-progress": N_("Year {year} (progress)"),
    "explanation.period": N_("{first} to {last}"),
    "explanation.metric-year": N_("{metric} ({year})"),
    "explanation.value-and-status": N_("{value}, {status}"),
    "explanation.unusable": N_("the explanation data cannot be used: {problem}"),
    "explanation.unusable-more": Plural(
        "the explanation data cannot be used: {problem} (and {count} more problem)",
        "the explanation data cannot be used: {problem} (and {count} more problems)",
        "count"),
    "explanation.unusable-plain": N_("the explanation data cannot be used"),
    "explanation.template-failed": N_("the 达标说明 of 指标 {indicator} cannot be generated: "
                                      "{error}"),
}
