"""Writing files whole or not at all, and the disclosure report beside every export."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from migralink.exports.release import Released

__all__ = ["atomic_write", "write_disclosure_report"]


def atomic_write(path: Path, content: bytes | str) -> Path:
    """Write ``content`` to ``path`` through a temporary file in the same folder.

    A crash or an error leaves the previous file (or none), never half of one.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
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
