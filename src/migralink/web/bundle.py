"""One script for the browser, made from the page's ES modules when the server starts.

The modules stay the source (no build step, no generated file in the repository), but a
phone on a slow network should not wait for ~25 files through a browser's six connections
per server, wave after wave as the imports are discovered. :func:`bundle` joins the
modules reachable from ``main.js`` in dependency order, each in its own function scope
(so that their private names cannot collide), with its imports bound from the modules
before it, and the strings of both languages included (no request for them either).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

__all__ = ["bundle"]

_IMPORT = re.compile(r"^import\s*\{([^}]*)\}\s*from\s*'\./([\w.-]+)\.js';\s*$", re.MULTILINE)
_EXPORT_DECL = re.compile(r"^export\s+((?:async\s+)?function\*?|const|let|class)\s+(\w+)",
                          re.MULTILINE)
_EXPORT_LIST = re.compile(r"^export\s*\{([^}]*)\};?\s*$", re.MULTILINE)


def _names(text: str) -> list[tuple[str, str]]:
    """``a, b as c`` → [("a", "a"), ("b", "c")]."""
    out = []
    for part in text.split(","):
        bits = part.split()
        if bits:
            out.append((bits[0], bits[2] if len(bits) == 3 and bits[1] == "as" else bits[0]))
    return out


def _order(folder: Path, entry: str) -> list[str]:
    """The modules reachable from ``entry``, each after those it imports."""
    done: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in done:
            return
        if name in visiting:
            raise ValueError(f"circular import through {name}.js: the bundle needs none")
        visiting.add(name)
        for _, target in _IMPORT.findall((folder / f"{name}.js").read_text(encoding="utf-8")):
            visit(target)
        visiting.discard(name)
        done.append(name)

    visit(entry)
    return done


def _var(name: str) -> str:
    return "__m_" + re.sub(r"\W", "_", name)


def _wrap(name: str, text: str) -> str:
    bindings = [
        f"const {{ {', '.join(f'{a}: {b}' if a != b else a for a, b in _names(names))} }}"
        f" = {_var(target)};"
        for names, target in _IMPORT.findall(text)]
    exported = [m.group(2) for m in _EXPORT_DECL.finditer(text)]
    for m in _EXPORT_LIST.finditer(text):
        exported += [b for b, _ in _names(m.group(1))]
    body = _EXPORT_LIST.sub("", _EXPORT_DECL.sub(r"\1 \2", _IMPORT.sub("", text)))
    return (f"// --- {name}.js\nconst {_var(name)} = (() => {{\n" + "\n".join(bindings)
            + f"\n{body}\nreturn {{ {', '.join(exported)} }};\n}})();\n")


def bundle(static: Path, entry: str = "main") -> str:
    """The script: the strings, then every module reachable from ``entry``."""
    folder = static / "js"
    strings = {p.stem: json.loads(p.read_text(encoding="utf-8"))
               for p in sorted((static / "i18n").glob("*.json"))}
    head = ("// migralink dashboard: js/*.js joined by migralink.web.bundle (see there)\n"
            f"globalThis.MIGRALINK_STRINGS = {json.dumps(strings, ensure_ascii=False)};\n")
    return head + "".join(_wrap(name, (folder / f"{name}.js").read_text(encoding="utf-8"))
                          for name in _order(folder, entry))
