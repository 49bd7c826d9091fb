"""The app's translations: English source strings in ``tr()``, Persian from ``i18n/crm_desktop_fa.ts``.

The ``.qm`` is compiled by the build (``build.spec``) and, when running from source, on first
start after the ``.ts`` changed (PySide6 ships ``lrelease``), so it is never missing at run time.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from crm_desktop import config

log = logging.getLogger(__name__)
DOMAIN = "crm_desktop"


def i18n_dir() -> Path:
    return config.resource_dir().parent / "i18n"


def qt_tool(name: str) -> Path:
    """A Qt tool shipped inside the PySide6 wheel (lupdate, lrelease)."""
    folder = Path(PySide6.__file__).parent
    exe = name + (".exe" if sys.platform == "win32" else "")
    return folder / exe


def compiled_path(language: str) -> Path:
    """The ``.qm`` for ``language``, compiled now when the ``.ts`` is newer (source checkouts only)."""
    source = i18n_dir() / f"{DOMAIN}_{language}.ts"
    target = source.with_suffix(".qm")
    frozen = getattr(sys, "frozen", False)
    if not frozen and source.exists() and (not target.exists() or target.stat().st_mtime < source.stat().st_mtime):
        compile_ts(source, target)
    return target


def compile_ts(source: Path, target: Path) -> None:
    subprocess.run([str(qt_tool("lrelease")), "-silent", str(source), "-qm", str(target)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def locale_for(language: str) -> QLocale:
    if language == "fa":
        return QLocale(QLocale.Language.Persian, QLocale.Country.Iran)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def install(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Load the app's and Qt's own translations for ``language``; keep the returned list alive."""
    QLocale.setDefault(locale_for(language))
    if language == "en":
        return []
    translators = []
    ours = QTranslator(app)
    if not ours.load(str(compiled_path(language))):
        raise RuntimeError(f"translation for {language!r} is missing")
    translators.append(ours)
    qt_own = QTranslator(app)
    if qt_own.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        translators.append(qt_own)
    else:
        log.warning("Qt's own %s translation not found", language)
    for translator in translators:
        app.installTranslator(translator)
    return translators
