"""One delivery file on disk, and clearing the files a previous run left behind.

gzip output gets `mtime=0` and the bare file name in its header, so compressed bytes do not
depend on when or where the generator ran; text goes through the csv module (minimal quoting,
`\n` line ends) in the profile's encoding, which raises on any character it cannot encode.
"""
from __future__ import annotations

import csv
import gzip
import io
import re
from pathlib import Path

from ingestion.contract import load_contracts


class DeliveryFile:
    """One open delivery file with its csv writer (gzip and Windows-1252 handled here)."""

    def __init__(self, path: Path, encoding: str, delimiter: str, header: list[str], compressed: bool):
        self.raw = open(path, "wb")
        stream = self.raw
        if compressed:
            stream = gzip.GzipFile(filename=path.name[:-3], mode="wb", fileobj=self.raw, mtime=0, compresslevel=6)
        self.text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
        self.csv = csv.writer(self.text, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        self.csv.writerow(header)

    def close(self) -> None:
        """Closing the text layer flushes and closes gzip, which leaves the raw file to us."""
        self.text.close()
        self.raw.close()


_OWN_FILE = re.compile(r"^(?P<entity>[a-z_]+)_\d{4}-\d{2}\.csv(\.gz)?$")


def remove_previous(out: Path) -> None:
    """Delete files a previous run wrote (same naming scheme), so months never mix between runs."""
    for name, contract in load_contracts().items():
        folder = Path(out) / contract.source / name
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                match = _OWN_FILE.match(path.name)
                if match and match["entity"] == name and path.is_file():
                    path.unlink()
