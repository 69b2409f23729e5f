"""Reading zip archives safely: the core of unpacking material that units send in.

`list_entries` opens a zip defensively and says what it holds and what is wrong with it;
`extract` unpacks it into a folder without ever writing outside that folder and without
ever overwriting a file. Everything a person may read is a `Message` (templates in
`dossier.messages.archives`); nothing here prints.

Names. Zips made by Chinese Windows carry GBK names without the UTF-8 flag; how a name is
decoded is told in `zipfmt` (`decode_name`).

Refusals. Path traversal (`..`, absolute paths, drive letters, also with backslashes),
symlinks, encrypted entries, compression methods Python cannot read, zip bombs (entry
count, declared total size, compression ratio, bytes actually written, nesting depth) and
damaged archives refuse the archive AS A WHOLE: nothing of it is unpacked, and the folder
it was to go into is left exactly as it was. Only an undecodable name is skipped alone.

7z and RAR archives are recognised by their magic bytes and get a problem of their own:
no maintained pure-Python library reads them, and this project adds no dependency.

The package, each module using only those before it:

    zipfmt      the zip format read by hand: names, extra fields, end record, flags
    listing     Limits, Entry, Listing: list_entries, sniff, the rules an entry must pass
    staging     unpacking an archive and the zips inside it into a staging folder
    extraction  Outcome, Placement, Extracted: extract, placing, moving in, undoing"""

from dossier.archives.extraction import (
    Extracted,
    Outcome,
    Placement,
    extract,
)
from dossier.archives.listing import (
    DEFAULT_LIMITS,
    GIB,
    KIB,
    MIB,
    Entry,
    Limits,
    Listing,
    list_entries,
    size_text,
    sniff,
    windows_safe,
)
from dossier.archives.zipfmt import (
    Decoding,
    decode_name,
    escaped,
    extra_fields,
    unicode_path,
)

__all__ = [
    "DEFAULT_LIMITS",
    "GIB",
    "KIB",
    "MIB",
    "Decoding",
    "Entry",
    "Extracted",
    "Limits",
    "Listing",
    "Outcome",
    "Placement",
    "decode_name",
    "escaped",
    "extra_fields",
    "extract",
    "list_entries",
    "size_text",
    "sniff",
    "unicode_path",
    "windows_safe",
]
