"""Exceptions: structured, picklable (they cross to build workers and back), OS errors in
plain words."""

from __future__ import annotations

import errno
import pickle

from dossier.errors import CatalogueError, SourceError, UsageError, os_cause
from dossier.i18n import Message, translator


def test_os_errors_in_plain_words() -> None:
    cases = {errno.EACCES: "os/denied", errno.EPERM: "os/denied", errno.ENOSPC: "os/no-space",
             errno.EROFS: "os/read-only", errno.ENOENT: "os/not-found",
             errno.ENAMETOOLONG: "os/name-too-long"}
    for number, key in cases.items():
        cause = os_cause(OSError(number, "raw text of the OS"))
        assert cause["cause"].key == key and cause["errno"] == errno.errorcode[number]
        assert cause["detail"] == "raw text of the OS"
        assert "raw text" not in translator("zh").render(cause["cause"])
    odd = os_cause(OSError(errno.EXDEV, "x"))
    assert odd["cause"] == Message("os/other", {"errno": "EXDEV"})
    assert os_cause(OSError("no errno"))["cause"].params["errno"] == "OSError"


def test_exceptions_survive_pickling() -> None:
    for exc in (SourceError("12/a.pdf", Message("source-corrupt-pdf", {"detail": "x"})),
                UsageError("unknown-unit", unit="住建局"),
                CatalogueError("c.yaml", [Message("os/not-found")])):
        back = pickle.loads(pickle.dumps(exc))
        assert type(back) is type(exc) and back.message == exc.message
        assert str(back) == str(exc)
    source = pickle.loads(pickle.dumps(SourceError("a.pdf", Message("source-empty"))))
    assert source.rel == "a.pdf" and source.reason.key == "source-empty"
