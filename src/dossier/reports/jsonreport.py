"""The JSON report: `status_data` as UTF-8 JSON, keys sorted, byte-stable."""

from __future__ import annotations

import json

from dossier.i18n import Translator
from dossier.reports import Destination
from dossier.reports.data import status_data
from dossier.status.model import Status


def render(status: Status, tr: Translator, to: Destination) -> bytes:
    data = status_data(status, tr)
    try:
        return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
                ).encode("utf-8")
    except UnicodeEncodeError:  # a name with undecodable bytes: JSON's \udcNN escapes
        return (json.dumps(data, ensure_ascii=True, indent=2, sort_keys=True) + "\n").encode()
