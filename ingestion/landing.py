"""What lies in the landing zone, file by file: the entity it belongs to, or why it is not loaded.

Layout: `landing/<source>/<entity>/<files>` (subfolders of an entity folder are fine). Nothing
else is loaded, and nothing is skipped without a word: a file elsewhere (the landing root, a
source folder, an unknown folder), a hidden or temporary file, or anything that is not a
regular file is `ignored` with a reason saying what to do; a symlink leading out of the landing
zone is `refused` and never read, so a link cannot make the pipeline read files it was not
given (a link within the zone loads like the file it points to).
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ingestion.contract import Contract

NO_ENTITY = "(none)"  # ledger entity of files outside every entity folder
REFUSED, IGNORED = "refused", "ignored"
TEMPORARY_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", "#")  # unfinished downloads, lock files
SYSTEM_FILES = {"thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class LandingFile:
    path: Path
    label: str  # relative to the landing zone
    entity: str  # the contract's entity, or NO_ENTITY
    status: str | None = None  # REFUSED or IGNORED: not loaded, for `reason`
    reason: str | None = None


def _walk(folder: Path, skip_folder=lambda relative: False):
    """Every file, link and special file below `folder`; links to folders are listed, not entered."""
    for root, dirs, files in os.walk(folder):
        base = Path(root)
        dirs[:] = [d for d in dirs if not skip_folder(base / d)]
        links = [d for d in dirs if (base / d).is_symlink()]
        dirs[:] = [d for d in dirs if d not in links]
        yield from (base / name for name in files + links)


def _not_loadable(path: Path, root: Path) -> tuple[str, str] | None:
    """(status, reason) for a file that must not be read or cannot be a delivery."""
    target = path.resolve()
    if not target.is_relative_to(root):
        link = f" to {os.readlink(path)}" if path.is_symlink() else ""
        return REFUSED, f"a link{link} leading out of the landing zone: never read; copy the file itself into its entity folder"
    if path.is_symlink() and target.is_dir():
        return IGNORED, "a link to a folder: not followed; move the files into an entity folder"
    if not target.exists():
        return IGNORED, "a link to a file that does not exist"
    if not stat.S_ISREG(target.stat().st_mode):
        return IGNORED, "not a regular file (a pipe, socket or device): deliver files only"
    name = path.name.lower()
    if name.startswith((".", "~$")) or name.endswith(TEMPORARY_SUFFIXES) or name in SYSTEM_FILES:
        return IGNORED, "a hidden, temporary or lock file (an editor or an unfinished download); it is not a delivery"
    return None


def _folders(contracts: dict[str, Contract]) -> list[str]:
    return sorted(f"{c.source}/{c.entity}" for c in contracts.values())


def _suggestion(label: str, contracts: dict[str, Contract]) -> str:
    named = [c for c in contracts.values() if c.entity in label.lower()]
    if named:
        best = max(named, key=lambda c: len(c.entity))
        return f"move it to landing/{best.source}/{best.entity}/ if it holds {best.entity}"
    return "move it into its entity folder, landing/<source>/<entity>/; entity folders: " + ", ".join(_folders(contracts))


def _misplaced(parts: list[str], label: str, contracts: dict[str, Contract]) -> str:
    sources = sorted({c.source for c in contracts.values()})
    if len(parts) == 1:
        where = "a file directly in the landing zone is not loaded"
    elif parts[0] in sources and len(parts) == 2:
        where = f"a file directly in the source folder landing/{parts[0]}/ is not loaded"
    elif parts[0] in sources:
        where = f"landing/{parts[0]}/{parts[1]}/ is no entity folder of {parts[0]}"
    else:
        where = f"landing/{parts[0]}/ is no source folder (sources: {', '.join(sources)})"
    return f"{where}: {_suggestion(label, contracts)}"


def _described(path: Path, root: Path, landing_dir: Path, entity: str, placement: str | None) -> LandingFile:
    label = path.relative_to(landing_dir).as_posix()
    problem = _not_loadable(path, root) or ((IGNORED, placement) if placement else None)
    return LandingFile(path, label, entity, *(problem or (None, None)))


def entity_files(contract: Contract, landing_dir: Path) -> list[LandingFile]:
    """Every file in the entity's folder, each loadable or with its reason."""
    root, folder = landing_dir.resolve(), landing_dir / contract.source / contract.entity
    if folder.is_symlink() and not folder.resolve().is_relative_to(root):  # never walk a link out
        return [_described(folder, root, landing_dir, contract.entity, None)]
    if not folder.is_dir():
        return []
    return sorted((_described(p, root, landing_dir, contract.entity, None) for p in _walk(folder)), key=lambda f: f.label)


def outside_files(landing_dir: Path, contracts: dict[str, Contract]) -> list[LandingFile]:
    """Every file of the landing zone that lies outside all entity folders, with its reason."""
    root = landing_dir.resolve()
    folders = set(_folders(contracts))
    if not landing_dir.is_dir():
        return []

    def entity_folder(path: Path) -> bool:
        return path.relative_to(landing_dir).as_posix() in folders

    found = []
    for path in _walk(landing_dir, entity_folder):
        parts = path.relative_to(landing_dir).parts
        found.append(_described(path, root, landing_dir, NO_ENTITY, _misplaced(list(parts), "/".join(parts), contracts)))
    return sorted(found, key=lambda f: f.label)
