"""Reading a JSON Lines file in batches, with a progress bar of bytes read,
and each line's JSON strictly (``claims.strictjson``: no duplicate keys, no
nesting past its limit): what ``import_documents`` and ``import_claims``
share."""

import os
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from tqdm import tqdm

from claims import strictjson

# One line's JSON value, or ``JSONInputError`` giving the reason of
# ``FILE:LINE: reason``.
LineError = strictjson.JSONInputError
parse_line = strictjson.loads_line


def line_batches(
    path: Path, size: int
) -> Iterator[tuple[list[tuple[int, bytes]], tqdm]]:
    """Yield ``size`` lines at a time as ``(number, raw bytes)`` pairs, with the
    progress bar (on standard error, when it is a terminal); the bar moves on
    once the caller has dealt with the batch, so it shows what is stored."""
    with (
        path.open("rb") as file,
        tqdm(
            total=os.path.getsize(path),
            unit="B",
            unit_scale=True,
            desc=path.name,
            disable=None,
        ) as progress,
    ):
        lines = enumerate(file, start=1)
        while batch := list(islice(lines, size)):
            yield batch, progress
            progress.update(sum(len(raw) for _, raw in batch))
