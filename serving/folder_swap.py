"""Replace a published folder as a whole: `parquet` is a symbolic link to the folder of one publish.

A publish writes its files into a folder of its own (`.parquet.<token>`, hidden beside the link),
then points the link at it by renaming a new link over the old one, which is atomic. A reader that
opens the folder gets one publish's files, never files of two. Every other version is removed
right after the swap, so nothing erased from the marts lingers in an older copy; whatever a killed
publish left behind (a half-written version, a spare link) is removed by the next one.

Readers on Windows see the link as an ordinary folder through a Samba share (it points inside the
share). Where links cannot be made (Windows without the privilege), the old folder is renamed
aside and the new one into its place: a reader in between finds no folder, but never a mix.
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path


def versions_prefix(link: Path) -> str:
    return f".{link.name}."


def _sibling(link: Path, suffix: str = "") -> Path:
    return link.with_name(f"{versions_prefix(link)}{uuid.uuid4().hex[:12]}{suffix}")


def new_version(link: Path) -> Path:
    """An empty folder for the next publish, beside `link`."""
    version = _sibling(link)
    version.mkdir(parents=True)
    return version


def current(link: Path) -> Path | None:
    """The folder readers of `link` get now."""
    if link.is_symlink():
        return link.parent / os.readlink(link)
    return link if link.is_dir() else None


def swap(version: Path, link: Path) -> None:
    """Point `link` at `version` (a sibling), then remove every other version."""
    spare = version.with_name(f"{version.name}.link")
    try:
        os.symlink(version.name, spare, target_is_directory=True)
    except OSError:
        _swap_by_renaming(version, link)
    else:
        if link.is_dir() and not link.is_symlink():
            # A real folder from before links, once: renamed aside, the link follows at once.
            os.replace(link, _sibling(link, ".old"))
        os.replace(spare, link)
    remove_stale(link)


def _swap_by_renaming(version: Path, link: Path) -> None:
    if link.exists() or link.is_symlink():
        os.replace(link, _sibling(link, ".old"))
    os.replace(version, link)


def remove_stale(link: Path) -> None:
    """Remove every version and spare link beside `link` except the one it points at. A folder
    still held open by a reader (Windows) is left for the next publish."""
    keep = current(link)
    for path in link.parent.glob(f"{versions_prefix(link)}*"):
        if keep is not None and path == keep:
            continue
        if path.is_symlink() or path.is_file():
            path.unlink(missing_ok=True)
        else:
            shutil.rmtree(path, ignore_errors=True)
