"""dossier.templatelimits: a user's template bounded in time, size, depth and encoding;
each bound passed is a TemplateError naming the template, never a traceback or a hang."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from dossier import templatelimits
from dossier.errors import TemplateError
from dossier.templating import make_environment, render


def rendered(tmp_path: Path, text: str | bytes, **context: Any) -> str:
    folder = tmp_path / "tpl"
    folder.mkdir(exist_ok=True)
    path = folder / "t.j2"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return render(make_environment([folder]), "t.j2", **context)


def failure(tmp_path: Path, text: str | bytes) -> tuple[str, Any]:
    with pytest.raises(TemplateError) as info:
        rendered(tmp_path, text)
    message = info.value.message
    assert str(message.params["template"]).endswith("t.j2")
    return message.key, message.params.get("limit")


@pytest.mark.parametrize("text", [
    "{{ 'x' * 10**10 }}", "{{ 10**10 * 'x' }}", "{{ [1] * 10**10 }}",
    "{{ 'x'.ljust(10**10) }}", "{{ 'x'|center(10**10) }}", "{{ 'x'|indent(10**10) }}",
    "{{ '{:>10000000000}'.format(1) }}", "{{ '%10000000000s'|format(1) }}",
    "{{ '%10000000000s' % 1 }}", "{{ '%*s' % (10**10, 'x') }}", "{{ 2 ** (10**9) }}",
    "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}",
    # found by review: nested widths, a star width through the filter, folded constants,
    # sums, joins, doubling by ~, products of huge integers
    "{{ '{:>{}}'.format('x', 3000000000) }}", "{{ '%*s'|format(3000000000, 'x') }}",
    "{% set w = 2000000000 %}{{ '%*s'|format(w, 'x') }}",
    "{% set s = 'x' * 3999999 %}{{ (s + s)|length }}",
    "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
    "{% endfor %}{{ ns.s|length }}",
    "{% set x = 2 ** 800000 %}{{ (x * x) % 7 }}",
])
def test_what_would_exhaust_the_memory_is_refused_before_it_is_computed(
        tmp_path: Path, text: str) -> None:
    assert failure(tmp_path, text) == ("template-limit/size", templatelimits.MAX_CHARS)


def test_ordinary_large_numbers_are_not_taken_for_widths(tmp_path: Path) -> None:
    """A population or a sum in 元 is far above any width: only arguments that are widths
    are checked."""
    text = ("{{ 5000000|string }} {{ 12345678|round|int }} {{ '%s年%s元' % (2024, 12345678) }}"
            " {% set xs = [] %}{% set _ = xs.append(50000000) %}{{ xs[0] }} {{ 331900000 * 2 }}")
    assert rendered(tmp_path, text) == "5000000 12345678 2024年12345678元 50000000 663800000"


def test_lipsum_is_not_offered(tmp_path: Path) -> None:
    assert failure(tmp_path, "{{ lipsum(n=100000) }}")[0] == "template-undefined"


def test_ordinary_arithmetic_and_formats_still_work(tmp_path: Path) -> None:
    text = ("{{ '%05.1f' % 95.62 }} {{ '%d'|format(12000000) }} {{ '{:>6}'.format('a') }} "
            "{{ 3 * 4 }} {{ 2 ** 10 }} {{ '-' * 20 }} {{ 'ab'|center(6) }} "
            "{{ '95%，电话 13812345678'.replace('，', ',') }}")
    assert rendered(tmp_path, text) == (
        "095.6 12000000      a 12 1024 -------------------- "
        "  ab   95%,电话 13812345678")


def test_a_loop_that_writes_nothing_runs_out_of_time(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templatelimits, "MAX_SECONDS", 0.5)
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    assert failure(tmp_path, loops) == ("template-limit/time", "0.5")


def test_a_template_that_ran_out_of_time_is_not_given_the_time_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templatelimits, "MAX_SECONDS", 0.3)
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "t.j2").write_text("{% for i in range(100000) %}{% for j in range(100000) %}"
                                 "{% endfor %}{% endfor %}", encoding="utf-8")
    env = make_environment([folder])
    for _ in range(2):
        with pytest.raises(TemplateError) as info:
            render(env, "t.j2")
        assert info.value.message.key == "template-limit/time"
    assert set(env.exhausted) == {"t.j2"}  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", [
    "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "{% include 't.j2' %}",
])
def test_a_template_calling_itself_is_stopped_at_a_depth(tmp_path: Path, text: str) -> None:
    assert failure(tmp_path, text) == ("template-limit/depth", templatelimits.MAX_DEPTH)


def test_a_recursive_macro_of_bounded_depth_is_fine(tmp_path: Path) -> None:
    text = ("{% macro f(n) %}{% if n %}{{ n }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
            "{{ f(10) }}")
    assert rendered(tmp_path, text) == "10987654321"


@pytest.mark.parametrize(("text", "key"), [
    ("{{ range(10**9)|list }}", "template-failed"),
    ("{{ 1 / 0 }}", "template-failed"),
    ("{{ x.y }}", "template-undefined"),
])
def test_other_errors_of_a_template_are_messages(tmp_path: Path, text: str, key: str) -> None:
    assert failure(tmp_path, text)[0] == key


def test_template_files_are_decoded_as_every_text_file(tmp_path: Path) -> None:
    assert rendered(tmp_path, "封面{{ n }}".encode("utf-16"), n=1) == "封面1"
    assert rendered(tmp_path, "\ufeff封面".encode()) == "封面"
    assert failure(tmp_path, "封面".encode("gbk"))[0] == "template-not-utf8/gbk"
    assert failure(tmp_path, b"\x81\xff\x00")[0] == "template-not-utf8"
    assert failure(tmp_path, b"x" * (templatelimits.MAX_FILE + 1))[0] == "template-limit/file"


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs")
def test_a_template_that_is_a_pipe_is_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "tpl"
    folder.mkdir()
    os.mkfifo(folder / "t.j2")
    with pytest.raises(TemplateError) as info:
        render(make_environment([folder]), "t.j2")
    assert info.value.message.key == "template-not-regular"


def test_a_tracer_set_before_is_set_again(tmp_path: Path) -> None:
    def tracer(frame: Any, event: str, arg: Any) -> None:
        return None

    before = sys.gettrace()
    sys.settrace(tracer)
    try:
        assert rendered(tmp_path, "{{ 1 + 1 }}") == "2"
        assert sys.gettrace() is tracer
    finally:
        sys.settrace(before)
