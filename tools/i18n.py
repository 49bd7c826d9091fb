"""Keep the Persian translation in step with the code.

    python tools/i18n.py update   # collect tr() strings into i18n/crm_desktop_fa.ts (keeps translations)
    python tools/i18n.py status   # count strings still untranslated
    python tools/i18n.py release  # compile the .qm (the app also does this on start from source)
    python tools/i18n.py merge FILE.json...  # fill translations from {context: {source: persian}}

Runs inside the project's virtual environment (PySide6 ships lupdate and lrelease).
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "i18n" / "crm_desktop_fa.ts"
SOURCES = [ROOT / "crm_desktop" / "views", ROOT / "crm_desktop" / "app.py"]


def tool(name: str) -> str:
    import PySide6

    return str(Path(PySide6.__file__).parent / (name + (".exe" if sys.platform == "win32" else "")))


def source_files() -> list[str]:
    files: list[str] = []
    for source in SOURCES:
        files.extend(str(p) for p in sorted(source.rglob("*.py"))) if source.is_dir() else files.append(str(source))
    return files


def update(target: Path = TS) -> None:
    subprocess.run([tool("lupdate"), "-silent", "-no-obsolete", "-locations", "none", "-target-language", "fa_IR",
                    *source_files(), "-ts", str(target)], check=True)


def untranslated(target: Path = TS) -> list[tuple[str, str]]:
    missing = []
    for context in ET.parse(target).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "obsolete", "vanished") \
                    or not (translation.text or "").strip():
                missing.append((name, message.findtext("source", "")))
    return missing


def merge(files: list[Path], target: Path = TS) -> int:
    """Put the Persian from JSON drafts into the .ts; returns how many messages were filled."""
    import json

    drafts: dict[str, dict[str, str]] = {}
    for file in files:
        for context, messages in json.loads(file.read_text(encoding="utf-8")).items():
            drafts.setdefault(context, {}).update(messages)
    tree = ET.parse(target)
    filled = 0
    for context in tree.getroot().iter("context"):
        known = drafts.get(context.findtext("name", ""), {})
        for message in context.iter("message"):
            persian = known.get(message.findtext("source", ""))
            translation = message.find("translation")
            if persian and translation is not None:
                translation.text = persian
                translation.attrib.pop("type", None)
                filled += 1
    ET.indent(tree, space="    ")
    with target.open("wb") as out:
        out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(out, encoding="utf-8", xml_declaration=False)
    return filled


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "status"
    if command == "update":
        update()
    if command == "merge":
        print(f"{merge([Path(a) for a in sys.argv[2:]])} translations filled", file=sys.stderr)
    if command == "release":
        subprocess.run([tool("lrelease"), "-silent", str(TS), "-qm", str(TS.with_suffix(".qm"))], check=True)
        return 0
    missing = untranslated()
    for context, source in missing:
        print(f"{context}: {source}")
    print(f"{len(missing)} untranslated", file=sys.stderr)
    return 1 if missing and command == "status" else 0


if __name__ == "__main__":
    sys.exit(main())
