"""Where things live on disk. No Qt, nothing of ours imported."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import platformdirs

APP_NAME = "crm-desktop"
APP_AUTHOR = "crm-desktop"


def data_dir() -> Path:
    """The user's data folder for this app (created on first use)."""
    path = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    """The embedded default database."""
    return data_dir() / "crm.db"


def default_demo_db_path() -> Path:
    """The demo database that `crm-desktop --demo` opens."""
    return data_dir() / "demo.db"


def resource_dir() -> Path:
    """The `resources/` folder, also when frozen by PyInstaller."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


# -- the user's preferences -------------------------------------------------------------------
LANGUAGES = ("fa", "en")
FONT_SIZES = range(9, 21)
IDLE_LOCK_MINUTES = range(1, 121)


@dataclass(frozen=True)
class UserSettings:
    """Preferences kept per Windows user in ``settings.json`` (not in the branch database)."""

    language: str = "fa"
    font_size: int = 11
    idle_lock_minutes: int = 10

    def cleaned(self) -> UserSettings:
        """The same settings with anything out of range put back to its default."""
        default = UserSettings()
        return UserSettings(
            language=self.language if self.language in LANGUAGES else default.language,
            font_size=self.font_size if _whole_in(self.font_size, FONT_SIZES) else default.font_size,
            idle_lock_minutes=(self.idle_lock_minutes if _whole_in(self.idle_lock_minutes, IDLE_LOCK_MINUTES)
                               else default.idle_lock_minutes),
        )


def _whole_in(value: object, allowed: range) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in allowed


def settings_path() -> Path:
    return data_dir() / "settings.json"


def load_settings(path: Path | None = None) -> UserSettings:
    """The saved settings; a missing or damaged file gives the defaults (never an error at start)."""
    path = path or settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return UserSettings()
    if not isinstance(raw, dict):
        return UserSettings()
    known = {f.name: raw[f.name] for f in fields(UserSettings) if f.name in raw}
    try:
        return UserSettings(**known).cleaned()
    except TypeError:
        return UserSettings()


def save_settings(settings: UserSettings, path: Path | None = None) -> None:
    """Write atomically: a crash mid-save keeps the previous file."""
    path = path or settings_path()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings.cleaned()), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def log_path() -> Path:
    """Where unexpected errors are written, with their tracebacks."""
    folder = data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "crm-desktop.log"
