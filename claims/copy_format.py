"""PostgreSQL COPY's text format, written once (no Django here).

Rows are tab-separated lines; NULL is ``\\N``; a backslash, tab, newline or
carriage return inside a value is written as a backslash escape. The bulk
insert of the imports (``claims.services.bulk``) and the benchmarks that load
tables directly (``bench/``) both write their rows with it.
"""

import io
from collections.abc import Iterable

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_field(value: object) -> str:
    """One value as COPY reads it: text escaped, None as NULL, else ``str()``."""
    if value is None:
        return "\\N"
    return value.translate(_ESCAPES) if isinstance(value, str) else str(value)


def copy_line(row: Iterable[object]) -> str:
    """One row, ending in a newline."""
    return "\t".join(map(copy_field, row)) + "\n"


def copy_buffer(rows: Iterable[Iterable[object]]) -> io.StringIO:
    """Rows as a file to hand to ``cursor.copy_expert("COPY ... FROM STDIN")``."""
    return io.StringIO("".join(map(copy_line, rows)))
