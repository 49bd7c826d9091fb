"""Set-up and run on a fresh machine with only Python 3.11+ (Windows, Linux, macOS).

    python3 tools/dev.py run     # create .venv, install, open the app on the demo database
    python3 tools/dev.py test    # create .venv, install with the test extra, run the tests

``--venv PATH`` chooses another virtual environment (CI uses a new temporary one).
Standard library only: this runs before anything is installed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def venv_python(env: Path) -> Path:
    return env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv(env: Path, extras: str) -> Path:
    python = venv_python(env)
    if not python.exists():
        print(f"creating virtual environment {env}", flush=True)
        venv.EnvBuilder(with_pip=True).create(env)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    target = f"{ROOT}[{extras}]" if extras else str(ROOT)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--editable", target], check=True)
    return python


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["run", "test", "lint"])
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv")
    options, extra = parser.parse_known_args()  # the rest goes to the app or to pytest
    if options.command == "run":
        python = ensure_venv(options.venv, "")
        return subprocess.call([python, "-m", "crm_desktop", "--demo", *extra], cwd=ROOT)
    if options.command == "test":
        python = ensure_venv(options.venv, "test,server")  # the sync service's tests run when DATABASE_URL is set
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
        return subprocess.call([python, "-m", "pytest", *extra], cwd=ROOT, env=env)
    python = ensure_venv(options.venv, "test,lint,server")
    bin_dir = python.parent
    checks = [
        [bin_dir / "ruff", "check", "crm_desktop", "tests", "bench", "tools"],
        [python, "-m", "mypy", "crm_desktop/persian", "crm_desktop/models", "crm_desktop/db",
         "crm_desktop/services", "crm_desktop/reports", "crm_desktop/sync", "crm_desktop/server",
         "crm_desktop/errors.py", "crm_desktop/progress.py",
         "crm_desktop/config.py"],
        [bin_dir / "lint-imports"],
    ]
    status = 0
    for check in checks:
        print("$", " ".join(str(part) for part in check), flush=True)
        status |= subprocess.call(check, cwd=ROOT)
    return status


if __name__ == "__main__":
    sys.exit(main())
