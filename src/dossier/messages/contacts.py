"""Templates of the 联络人员名单 (附件2): the words of the blank form (always rendered in
Chinese, like the text inside PDFs) and the findings of reading filled forms back
(dossier.contacts)."""

from __future__ import annotations

from dossier.i18n import N_, Template

_AT_FIELD = N_("{file}:{line}: {field}: {problem}")
_AT_LINE = N_("{file}:{line}: {problem}")
_AT_FILE = N_("{file}: {problem}")

TEMPLATES: dict[str, Template] = {
    # -- the blank form (dossier.contacts.template) -----------------------------------
    "contacts-form-note": N_("Send this list to {to} by {year}-{month}-{day}. 联系电话: a "
                             "mobile number, or a landline with its area code (such as "
                             "0827-5261234)."),
    "contacts-form-note/no-deadline": N_("Send this list to {to}. 联系电话: a mobile number, "
                                         "or a landline with its area code (such as "
                                         "0827-5261234)."),
    "contacts-form-note/phone": N_("联系电话: a mobile number, or a landline with its area "
                                   "code (such as 0827-5261234)."),
    "contacts-form-footer": N_("page &P of &N"),

    # -- a form that cannot be read -----------------------------------------------------
    "contacts-unreadable": N_("{file} cannot be read ({cause}); close it in Excel or WPS and "
                              "check that it may be read"),
    "contacts-unreadable/empty": N_("{file} is empty (0 bytes); save the filled 联络人员名单 "
                                    "again"),
    "contacts-unreadable/not-xlsx": N_("{file} is not an Excel workbook although its name "
                                       "ends in .xlsx; open it and save it as an Excel "
                                       "workbook (.xlsx)"),
    "contacts-unreadable/word": N_("{file} is a Word document renamed to .xlsx; copy the "
                                   "list into the Excel form of the 联络人员名单"),
    "contacts-unreadable/encrypted": N_("{file} is protected by a password; save it again "
                                        "without a password"),
    "contacts-unreadable/old-format": N_("{file} is in the old Excel or WPS format "
                                         "(.xls, .et); save it as an Excel workbook (.xlsx)"),
    "contacts-unreadable/too-large": N_("{file} unpacks to {size}, far more than a "
                                        "联络人员名单 holds (at most {limit}); it is not read"),
    "contacts-unreadable/corrupt": N_("{file} is damaged and cannot be opened; save the "
                                      "form again"),
    "contacts-unreadable/other-type": N_("{file} is not read: only .xlsx and .yaml forms "
                                         "are; save the filled form as an Excel workbook "
                                         "(.xlsx)"),
    "contacts-unreadable/scan": N_("{file} is kept but not read (a scan or a photo); the "
                                   "list itself is read from the .xlsx form"),
    "contacts-invalid": _AT_FIELD,
    "contacts-invalid/line": _AT_LINE,
    "contacts-invalid/file": _AT_FILE,
    "contacts.yaml-shape": N_("write a list with one entry per contact (“- 单位: …” with "
                              "姓名, 职务, 联系电话 and 备注 below it), or one entry per unit "
                              "(the unit's name, with 姓名, 职务, 联系电话 and 备注 indented "
                              "below it)"),
    "contacts.yaml-entry": N_("each contact is a mapping with the keys 单位, 姓名, 职务, "
                              "联系电话 and 备注"),
    "contacts.yaml-key": N_("unknown key “{key}”; use 单位, 姓名, 职务, 联系电话 or 备注"),
    "contacts.yaml-text": N_("“{key}” must be text (a value on one line, not a list or a "
                             "mapping)"),
    "contacts-no-header": N_("{file}: no header row with 单位, 姓名, 职务, 联系电话 and 备注 "
                             "was found; keep the form's header row"),
    "contacts-empty": N_("{file} lists no contact yet: fill in 姓名, 职务 and 联系电话 for "
                         "the unit"),

    # -- the rows of a form ---------------------------------------------------------------
    "contact-unknown-unit": N_("{file}, row {row}: the catalogue has no unit “{unit}”; write "
                               "the unit's full name"),
    "contact-unknown-unit/suggest": N_("{file}, row {row}: the catalogue has no unit "
                                       "“{unit}”; did you mean {names}?"),
    "contact-unknown-unit/group": N_("{file}, row {row}: “{unit}” stands for several units "
                                     "({members}); give each of them a row of its own"),
    "contact-duplicate": N_("{file}, row {row}: {unit} is listed again (first in "
                            "{first_file}, row {first_row}) with another contact; keep one "
                            "row per unit: the first is used"),
    "contact-duplicate/same": N_("{file}, row {row}: {unit} is listed again with the same "
                                 "contact (first in {first_file}, row {first_row})"),
    "contact-incomplete": N_("{file}, row {row}: the contact of {unit} lacks {fields}; fill "
                             "them in"),
    "contact-incomplete/title": N_("{file}, row {row}: the contact of {unit} lacks 职务; fill "
                                   "it in"),
    "contact-incomplete/unit": N_("{file}, row {row}: a contact ({name}) without 单位; write "
                                  "the unit's name in every row (do not merge the cells)"),
    "contact-phone-invalid": N_("{file}, row {row}: “{phone}” (联系电话 of {unit}) is not a "
                                "phone number; write a mobile number such as 13812345678 or "
                                "a landline with its area code such as 0827-5261234"),
    "contact-phone-invalid/local": N_("{file}, row {row}: “{phone}” (联系电话 of {unit}) has "
                                      "no area code; write it with the area code, such as "
                                      "0827-5261234"),
    "contact-phone-invalid/lost-zero": N_("{file}, row {row}: 联系电话 of {unit} was stored "
                                          "as a number and lost its leading 0; read as "
                                          "{phone}: format the column as text and type the "
                                          "number again"),
}
