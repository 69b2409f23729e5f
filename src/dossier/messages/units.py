"""Templates of units and roles: who leads, who contributes, to whom material goes."""

from __future__ import annotations

from dossier.i18n import N_, Template

TEMPLATES: dict[str, Template] = {
    # a unit's part in an indicator (dossier.units.Role)
    "role/collects": N_("leads, collects"),
    "role/second-lead": N_("leads, not first (sends to the first)"),
    "role/responsible": N_("contributes"),
    # checks by role (dossier.checks.roles)
    "contribution-send-to": N_("{unit} contributes to 指标 {indicator}: send its part to "
                               "{lead}, the collecting 牵头单位, by {deadline}"),
    "contribution-send-to/second-lead": N_("{unit} leads 指标 {indicator} but is not listed "
                                           "first: send its part to {lead}, who collects, by "
                                           "{deadline}"),
    "contribution-send-to/no-lead": N_("{unit} contributes to 指标 {indicator}, whose "
                                       "牵头单位 the catalogue does not name; ask the "
                                       "领导小组办公室 whom to send it to (by {deadline})"),
    "missing-indicator-folder/contribution": N_("no folder for 指标 {indicator} yet: nothing "
                                                "of this unit's part is there"),
    # dossier pack
    "pack-nothing-to-send": N_("{unit} is responsible unit of none of the indicators chosen, "
                               "so there is nothing to send: what it collects stays with it"),
    "pack-unreadable": N_("{file} cannot be read to pack it ({cause})"),
    # naming a unit
    "unknown-unit": N_("the catalogue has no unit “{unit}”; check the spelling"),
    "unknown-unit/suggest": N_("the catalogue has no unit “{unit}”; did you mean {names}?"),
    "unknown-unit/ambiguous": N_("“{unit}” is part of several units' names: {names}; write "
                                 "the one you mean in full"),
    "unit-without-indicators": N_("{name} is neither lead nor responsible unit of any of "
                                  "the indicators chosen"),
    "catalogue.unit-unknown": N_("the unit “{unit}” is not in the catalogue's list of units "
                                 "(units:); add it there, or as an alias of a unit"),
    "schema.unit-name-repeat": N_("the name “{name}” is given both to {first} and to "
                                  "{second}; a name or alias may belong to one unit only"),
    "schema.unit-member-unknown": N_("the group {group} lists {member}, which is not a unit "
                                     "of the list"),
}
