"""A zip archive holding already-inflated members uncompressed.

The reader inflates the parts of an xlsx python-calamine reads, to bound them before calamine sees
them. Handing calamine those bytes stored instead of deflated spares it inflating each sheet a second
time, and it then reads exactly the bytes that were bounded.
"""

from __future__ import annotations

import struct
import zipfile

_UTF8_NAMES = 0x800
_DOS_DATE_1980 = 0x21  # 1980-01-01, the zip epoch
_VERSION = 20  # 2.0: the oldest version a stored member needs
_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
_END = struct.Struct("<4sHHHHIIH")


def build(members: list[tuple[str, int, bytes]]) -> bytes:
    """The members (name, CRC, body), in order, stored under their names with the CRC given (the
    reader that opens the copy checks it, as it would have checked the original)."""
    parts: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for filename, crc, body in members:
        name = filename.encode("utf-8")
        size = len(body)
        parts += (_LOCAL.pack(b"PK\x03\x04", _VERSION, _UTF8_NAMES, zipfile.ZIP_STORED, 0, _DOS_DATE_1980,
                              crc, size, size, len(name), 0), name, body)
        central.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, _VERSION, _UTF8_NAMES, zipfile.ZIP_STORED, 0,
                                     _DOS_DATE_1980, crc, size, size, len(name), 0, 0, 0, 0, 0, offset) + name)
        offset += _LOCAL.size + len(name) + size
    directory = b"".join(central)
    parts += (directory, _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0))
    return b"".join(parts)
