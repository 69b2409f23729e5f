"""Units and their roles (正文 二、三 of the notice): who collects an indicator's material
(the first-listed 牵头单位), who leads beside it, who contributes (责任单位), and the
names clerks use for each unit (aliases, districts, group entries)."""

from __future__ import annotations

import difflib
import enum
import functools
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dossier.i18n import Message


class Role(str, enum.Enum):
    """A unit's part in one indicator. Declared once; its words are in the catalogue."""

    COLLECTS = "collects"  # the first 牵头单位: receives, checks, merges and hands it on
    SECOND_LEAD = "second-lead"  # a 牵头单位 listed after the first: sends to the first
    RESPONSIBLE = "responsible"  # a 责任单位: sends its part to the collecting unit

    @property
    def message(self) -> Message:
        return Message(f"role/{self.value}")

    @property
    def leads(self) -> bool:
        return self is not Role.RESPONSIBLE

    @property
    def sends(self) -> bool:
        """Its part goes to the collecting unit (正文 二: the first-listed 牵头单位 collects)."""
        return self is not Role.COLLECTS


@dataclass(frozen=True)
class Unit:
    name: str
    kind: str = "department"  # department | district | group
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()  # for a group: the units it stands for (may be empty)


def key(text: str) -> str:
    """How names are compared: full-width forms folded, spaces dropped."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class Units:
    """The catalogue's units, looked up by name or alias."""

    units: tuple[Unit, ...]

    @functools.cached_property
    def _index(self) -> dict[str, Unit]:
        """Folded name or alias -> unit, built once (every indicator's units are looked up
        when the catalogue loads)."""
        index: dict[str, Unit] = {}
        for unit in self.units:
            for name in (unit.name, *unit.aliases):
                index.setdefault(key(name), unit)
        return index

    def lookup(self, text: str) -> Unit | None:
        """The unit a name or alias stands for, exactly (after folding widths and spaces)."""
        return self._index.get(key(text))

    def matching(self, text: str) -> tuple[Unit, ...]:
        """The unit a name or alias stands for; else every unit with `text` in a name."""
        found = self.lookup(text)
        if found is not None:
            return (found,)
        wanted = key(text)
        return tuple(u for u in self.units
                     if wanted and any(wanted in key(n) for n in (u.name, *u.aliases)))

    def close(self, text: str) -> tuple[str, ...]:
        """The unit names closest to a mistyped one (for "did you mean")."""
        names = {key(n): u.name for u in self.units for n in (u.name, *u.aliases)}
        near = difflib.get_close_matches(key(text), list(names), n=5, cutoff=0.5)
        return tuple(dict.fromkeys(names[c] for c in near))

    def groups_of(self, unit: Unit) -> tuple[Unit, ...]:
        """The group entries that stand for `unit` (各区县党委和人民政府 for 巴州区)."""
        return tuple(u for u in self.units if u.kind == "group" and unit.name in u.members)

    def canonical(self, names: Iterable[str]) -> tuple[str | None, ...]:
        """Each name as the unit's own name, or None where no unit has it."""
        return tuple(u.name if (u := self.lookup(n)) else None for n in names)


def role(unit: Unit, lead_units: Sequence[str], responsible_units: Sequence[str],
         units: Units) -> Role | None:
    """The unit's part in an indicator with these (canonical) lead and responsible units;
    a district counts as the groups that stand for it."""
    names = {unit.name, *(g.name for g in units.groups_of(unit))}
    if lead_units and lead_units[0] in names:
        return Role.COLLECTS
    if any(u in names for u in lead_units[1:]):
        return Role.SECOND_LEAD
    if any(u in names for u in responsible_units):
        return Role.RESPONSIBLE
    return None
