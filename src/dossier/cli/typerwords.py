"""typer's own words in the interface language. typer >= 0.26 vendors click without
gettext, so its usage line, help option, panel titles and markers are set here, and its
usage errors are worded from their structured fields. These are typer 0.29 internals (the
version is pinned); tests/test_language.py fails if English comes back."""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from enum import Enum
from typing import Any

import typer
from typer._click import exceptions as click_errors
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from dossier.i18n import Translator, choose_language, translator


class CliUsage(Exception):
    """A usage error found by the CLI itself, already worded."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@dataclass(frozen=True)
class Session:
    """What every command gets through the click context: the translator and --debug."""

    tr: Translator
    debug: bool = False


def _session(ctx: typer.Context) -> Session:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Session) else Session(translator(choose_language()))


def _format_usage(self: Any, ctx: Any, formatter: Any) -> None:
    tr = _session(ctx).tr
    formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                          prefix=tr("Usage: "))


def _help_option(base: Any) -> Any:
    def get_help_option(self: Any, ctx: Any) -> Any:
        option = base.get_help_option(self, ctx)
        if option is not None:
            option.help = _session(ctx).tr("Show this help and exit.")
            option.metavar = ""
        return option

    return get_help_option


def _format_help(base: Any) -> Any:
    def format_help(self: Any, ctx: Any, formatter: Any) -> Any:
        _rich_words(_session(ctx).tr)
        return base.format_help(self, ctx, formatter)

    return format_help


class DossierCommand(TyperCommand):
    """Usage line, help and --help in the interface language."""

    format_usage = _format_usage
    format_help = _format_help(TyperCommand)
    get_help_option = _help_option(TyperCommand)


class DossierGroup(TyperGroup):
    format_usage = _format_usage
    format_help = _format_help(TyperGroup)
    get_help_option = _help_option(TyperGroup)



# -- typer's own words ---------------------------------------------------------------------

def _folding(make: Any) -> Any:
    """Help texts fold where they reach the edge. Chinese has no spaces, so rich sees a
    sentence as one word, and typer's tables would cut it off with "…"."""
    def make_rich_text(**kwargs: Any) -> Any:
        text = make(**kwargs)
        if hasattr(text, "overflow"):
            text.overflow = "fold"
        return text

    make_rich_text.folds = True  # type: ignore[attr-defined]
    return make_rich_text


def _rich_words(tr: Translator) -> None:
    """typer's panel titles and markers, set just before help is drawn (rich_utils is
    imported only then, as typer itself does: a command that shows no help stays fast)."""
    from typer import rich_utils

    rich_utils.ARGUMENTS_PANEL_TITLE = tr("Arguments")
    rich_utils.OPTIONS_PANEL_TITLE = tr("Options")
    rich_utils.COMMANDS_PANEL_TITLE = tr("Commands")
    rich_utils.ERRORS_PANEL_TITLE = tr("Error")
    rich_utils.ABORTED_TEXT = tr("Aborted.")
    rich_utils.DEFAULT_STRING = tr("[default: {default}]", default="{}")
    rich_utils.REQUIRED_LONG_STRING = tr("[required]")
    rich_utils.DEPRECATED_STRING = tr("(deprecated) ")
    rich_utils.ENVVAR_STRING = tr("[env var: {var}]", var="{}")
    rich_utils.RICH_HELP = tr("Run '{command}' for help.", command="{command_path} "
                              "{help_option}")
    if not getattr(rich_utils._make_rich_text, "folds", False):
        rich_utils._make_rich_text = _folding(rich_utils._make_rich_text)


def localise(command: Any, tr: Translator) -> None:
    """Translate the help texts and metavars of a command tree."""

    def walk(cmd: Any) -> None:
        if cmd.help:
            cmd.help = tr.gettext(cmd.help)
            cmd.short_help = re.split(r"(?<=。)|(?<=\.)\s", cmd.help, maxsplit=1)[0]
        cmd.options_metavar = tr("[OPTIONS]")
        if isinstance(cmd, TyperGroup):
            cmd.subcommand_metavar = tr("COMMAND [ARGS]...")
            for sub in cmd.commands.values():
                walk(sub)
        for param in cmd.params:
            if isinstance(param, (TyperOption, TyperArgument)):
                if param.help:
                    param.help = tr.gettext(str(param.help))
                if param.metavar:
                    param.metavar = tr.gettext(param.metavar)
                elif isinstance(param, TyperOption) and param.is_flag:
                    param.metavar = ""  # typer would show "<bool>" beside a switch

    walk(command)


def usage_error(exc: click_errors.ClickException, tr: Translator) -> str:
    """typer's usage errors, in the interface language, from their structured fields."""
    if isinstance(exc, click_errors.NoSuchOption):
        if exc.possibilities:
            return tr("No such option: {option}. Did you mean {choices}?",
                      option=exc.option_name, choices=sorted(exc.possibilities))
        return tr("No such option: {option}.", option=exc.option_name)
    if isinstance(exc, click_errors.MissingParameter):
        name = _param_name(exc.param)
        if exc.param is not None and isinstance(exc.param, TyperArgument):
            return tr("Missing argument {name}.", name=name)
        return tr("Missing option {name}.", name=name)
    if isinstance(exc, click_errors.BadParameter):
        return _bad_parameter(exc, tr)
    text = exc.message
    if m := re.match(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)", text):
        return tr("Unexpected extra arguments: {args}.", args=m.group(1))
    if m := re.match(r"No such command '([^']*)'\.(?: Did you mean (.*)\?)?", text):
        if m.group(2):
            return tr("No such command: {name}. Did you mean {choices}?", name=m.group(1),
                      choices=re.findall(r"'([^']*)'", m.group(2)))
        return tr("No such command: {name}.", name=m.group(1))
    if m := re.match(r"Option '(.*)' requires (an argument|\d+ arguments)", text):
        return tr("Option {option} needs a value.", option=m.group(1))
    if m := re.match(r"Option '(.*)' does not take a value", text):
        return tr("Option {option} takes no value.", option=m.group(1))
    return tr("The command line is not valid: {detail}", detail=text)


def _param_name(param: Any) -> str:
    if param is None:
        return ""
    if isinstance(param, TyperArgument):
        return str(param.metavar or (param.name or "").upper())
    return " / ".join(param.opts) if getattr(param, "opts", None) else str(param.name)


def _annotation(param: Any) -> Any:
    """The Python type of a parameter, without Optional and list (typer 0.29's descriptor)."""
    kind = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    for _ in range(3):
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        if not args:
            break
        kind = args[0]
    return kind


def _bad_parameter(exc: click_errors.BadParameter, tr: Translator) -> str:
    param = exc.param
    name = _param_name(param)
    kind = _annotation(param)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return tr("Invalid value for {name}: choose one of {choices}.", name=name,
                  choices=[c.value for c in kind])
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if kind is int and (low is not None or high is not None):
        return tr("Invalid value for {name}: a whole number from {low} to {high} is "
                  "needed.", name=name, low="" if low is None else low,
                  high="" if high is None else high)
    if kind is int:
        return tr("Invalid value for {name}: a whole number is needed.", name=name)
    if m := re.match(r"\w+ '(.*)' is a directory\.", exc.message):
        return tr("{name}: {path} is a folder; give a file.", name=name, path=m.group(1))
    if m := re.match(r"\w+ '(.*)' is a file\.", exc.message):
        return tr("{name}: {path} is a file; give a folder.", name=name, path=m.group(1))
    if m := re.match(r"\w+ '(.*)' does not exist\.", exc.message):
        return tr("{name}: {path} does not exist.", name=name, path=m.group(1))
    return tr("Invalid value for {name}.", name=name)
