"""Which errors no retry can cure: a read-only or full disk, a missing permission.

The ingestion assets retry transient errors (a file still being written, a lock held a moment
too long). Retrying a read-only warehouse only repeats the same error for hours, so these are
told apart by their errno, or, where DuckDB wraps the operating system's error in its own
exception, by the system's message for that errno.
"""
from __future__ import annotations

import errno
import os

# errno -> what to do about it, worded for the folder or file it happened on
REMEDIES = {
    errno.EROFS: "is on a read-only file system: mount it writable or point {setting} at a writable folder",
    errno.EACCES: "is not writable for this user: grant write permission or point {setting} at a writable folder",
    errno.EPERM: "may not be changed (permission or immutable flag): lift it or point {setting} at a writable folder",
    errno.ENOSPC: "has no space left: free disk space or point {setting} at a larger disk",
    errno.EDQUOT: "is over its disk quota: free space or point {setting} at another disk",
}


def permanent_errno(exc: BaseException) -> int | None:
    """The errno of a permanent error anywhere in `exc`'s chain (its causes and contexts), else None."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in REMEDIES:
            return exc.errno
        text = str(exc)
        for number in REMEDIES:
            if os.strerror(number) in text:  # DuckDB's IOException/PermissionException carry the text only
                return number
        exc = exc.__cause__ or exc.__context__
    return None


def remedy(number: int, what: str, setting: str) -> str:
    """`what` (e.g. "data folder /x") and what to fix, for the errno `number`."""
    return f"{what} {REMEDIES[number].format(setting=setting)} ({os.strerror(number)})"
