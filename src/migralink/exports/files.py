"""Writing files whole or not at all, and the disclosure report beside every export."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from migralink.errors import ConfigError
from migralink.exports.release import Released

__all__ = ["atomic_write", "write_disclosure_report"]

#: rw-r--r--: what open() gives a new file under the usual umask (022); reading the umask
#: means setting it, which is not safe while the API's threads write files
_NEW_FILE_MODE = 0o644


def atomic_write(path: Path, content: bytes | str) -> Path:
    """Write ``content`` to ``path`` through a temporary file in the same folder.

    A crash or an error leaves the previous file (or none), never half of one.

    Raises:
        ConfigError: ``path`` is a folder.
    """
    if path.is_dir():  # os.replace would fail with a traceback after all the work
        raise ConfigError(title=f"{path} is a folder: a file is written there",
                          hint="give the name of a file (new, or one to replace)")
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # mkstemp makes the file owner-only (0600); an export is meant to be shared, so
        # it gets the mode of the file it replaces, or that of an ordinary new file
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else _NEW_FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def disclosure_summary(released: Released) -> dict[str, object]:
    """What disclosure control did, as the release gate allows it to be shown."""
    return {**released.metadata, "suppressed_cells": released.suppressed}


def write_disclosure_report(released: Released, out: Path) -> Path:
    """``<out>.disclosure.json`` beside an exported file."""
    path = out.with_name(out.name + ".disclosure.json")
    text = json.dumps(disclosure_summary(released), ensure_ascii=False, indent=1, default=str)
    return atomic_write(path, text + "\n")
