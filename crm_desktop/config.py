"""Where things live on disk. No Qt, nothing of ours imported."""

from __future__ import annotations

import sys
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
