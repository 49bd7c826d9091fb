"""Build the one-folder app with PyInstaller, check what went into it, and run its self-test.

    python tools/build.py                          # into dist/crm-desktop/ (work files in build/)
    python tools/build.py --dist DIR --work DIR    # elsewhere (CI builds into a temporary folder)
    python tools/build.py --check-only             # check an existing bundle and run its self-test

Runs inside the project's virtual environment with the build extra (`pip install -e .[build]`);
build from a clean one, since every package installed there that the app imports is bundled.
Steps: compile the Persian .qm, `pyinstaller build.spec`, check the bundle (fonts, icons, style
sheet, .qm, migrations, the SVG plugins; no unused Qt module, no test tools), run the frozen
`crm-desktop-cli --self-test` and a small frozen `demo`, with QT_QPA_PLATFORM=offscreen. Prints
the build time and the bundle's size; exits 1 when anything fails. `.ci/run` calls it; the
Windows workflow (.github/workflows/windows.yml) runs the same steps one by one.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "crm-desktop"
CONTENTS = "_internal"  # PyInstaller 6's default contents_directory
WINDOWS = sys.platform == "win32"

# Files whose absence would only show when a user opens the screen that needs them.
REQUIRED_PATTERNS = {
    "the SVG image plugin (icons)": "**/imageformats/*qsvg*",
    "the SVG icon engine (QIcon from .svg)": "**/iconengines/*qsvgicon*",
    "the Qt SVG library": "**/*Qt6Svg*",
    "Qt's own Persian translation": "**/qtbase_fa.qm",
}
FORBIDDEN_PATTERNS = ("**/*WebEngine*", "**/*Qt6Qml*", "**/*Qt6Quick*", "**/*Qt6Pdf*", "**/*Qt6Multimedia*",
                      "**/*Qt6Charts*", "**/*Qt63D*", "**/*tkinter*", "**/_tcl_data", "**/opengl32sw*")
REQUIRED_MODULES = ("crm_desktop.cli", "crm_desktop.self_test", "crm_desktop.db.migration_helpers",
                    "crm_desktop.services.demo", "alembic.op", "alembic.ddl.sqlite", "faker.providers.person.fa_IR",
                    "sqlalchemy.dialects.sqlite.pysqlcipher", "sqlcipher3")
FORBIDDEN_MODULES = ("tkinter", "pytest", "_pytest", "pytestqt", "hypothesis", "mypy", "PyInstaller", "pygments",
                     "setuptools", "pip",
                     # the central sync service and its stack are not part of the desktop app
                     "crm_desktop.server", "fastapi", "starlette", "uvicorn", "psycopg")
# Warnings that say nothing: Faker's hook asks for every provider, build.spec excludes all but one.
NOISE = ('Hidden import "faker.providers.',)


def executable(bundle: Path, name: str) -> Path:
    return bundle / (name + (".exe" if WINDOWS else ""))


def compile_translations() -> None:
    subprocess.run([sys.executable, str(ROOT / "tools" / "i18n.py"), "release"], check=True, cwd=ROOT)
    qm = ROOT / "i18n" / "crm_desktop_fa.qm"
    if not qm.exists() or qm.stat().st_size == 0:
        raise SystemExit(f"build: {qm} was not compiled")
    messages = list(ET.parse(qm.with_suffix(".ts")).getroot().iter("message"))
    done = [m for m in messages if (t := m.find("translation")) is not None and (t.text or "").strip()
            and t.get("type") not in ("unfinished", "obsolete", "vanished")]
    print(f"translation: {qm.relative_to(ROOT)} ({qm.stat().st_size:,} bytes, "
          f"{len(done)} of {len(messages)} messages in Persian)", flush=True)


def build(dist: Path, work: Path) -> float:
    """Run PyInstaller on build.spec; returns the seconds it took. Its log goes to ``work/pyinstaller.log``."""
    work.mkdir(parents=True, exist_ok=True)
    log = work / "pyinstaller.log"
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(dist), "--workpath", str(work),
               str(ROOT / "build.spec")]
    print("$", " ".join(command), flush=True)
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        status = subprocess.call(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - started
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    if status != 0:
        print("\n".join(lines[-60:]), file=sys.stderr)
        raise SystemExit(f"build: PyInstaller failed ({status}); full log in {log}")
    warnings = [line for line in lines if ("WARNING" in line or "ERROR" in line) and not any(n in line for n in NOISE)]
    for line in warnings:
        print("  " + line, flush=True)
    print(f"built in {seconds:.1f} s ({len(warnings)} warnings shown; full log in {log})", flush=True)
    return seconds


def _source_files(pattern: str) -> list[Path]:
    return sorted(path.relative_to(ROOT) for path in ROOT.glob(pattern))


def check_bundle(bundle: Path) -> list[str]:
    """What is missing from or wrongly in the bundle (empty when all is well)."""
    problems: list[str] = []
    contents = bundle / CONTENTS
    for program in (NAME, NAME + "-cli"):
        if not executable(bundle, program).is_file():
            problems.append(f"no {executable(bundle, program).name}")
    expected = [Path("resources/style.qss"), Path("resources/fonts/OFL.txt"), Path("i18n/crm_desktop_fa.qm"),
                Path("crm_desktop/db/migrations/env.py")]
    for pattern in ("resources/fonts/*.ttf", "resources/icons/*.svg", "crm_desktop/db/migrations/versions/*.py"):
        found = _source_files(pattern)
        if not found:
            problems.append(f"nothing in the source tree matches {pattern}")
        expected += found
    for relative in expected:
        packed = contents / relative
        if not packed.is_file():
            problems.append(f"missing {relative}")
        elif (ROOT / relative).is_file() and packed.stat().st_size != (ROOT / relative).stat().st_size:
            problems.append(f"{relative} differs from the source tree")
    for what, pattern in REQUIRED_PATTERNS.items():
        if not any(contents.glob(pattern)):
            problems.append(f"missing {what} ({pattern})")
    for pattern in FORBIDDEN_PATTERNS:
        problems += [f"should not be bundled: {path.relative_to(bundle)}" for path in contents.glob(pattern)]
    problems += _check_modules(executable(bundle, NAME + "-cli"))
    return problems


def app_modules() -> list[str]:
    """Every module of the app in the source tree (some are imported by name only, unseen by PyInstaller)."""
    package = ROOT / "crm_desktop"
    names = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        if "migrations" in relative.parts or path.name == "__main__.py":
            continue  # migration scripts are files that Alembic runs, checked above
        if relative.parts[:2] == ("crm_desktop", "server"):
            continue  # the sync service: never bundled (FORBIDDEN_MODULES)
        parts = relative.parts[:-1] if path.name == "__init__.py" else relative.parts
        names.append(".".join(parts))
    return names


def _check_modules(program: Path) -> list[str]:
    """Python modules in the program's archive: the needed ones in, the test and build tools out."""
    if not program.is_file():
        return []
    from PyInstaller.archive.readers import CArchiveReader

    modules = set(CArchiveReader(str(program)).open_embedded_archive("PYZ.pyz").toc)
    problems = [f"module {name} is not bundled" for name in (*app_modules(), *REQUIRED_MODULES) if name not in modules]
    problems += [f"module {name} should not be bundled" for name in FORBIDDEN_MODULES
                 if any(m == name or m.startswith(name + ".") for m in modules)]
    return problems


def run_frozen(program: Path, *args: str, cwd: Path, timeout: float = 300) -> int:
    """Run a frozen program offscreen in ``cwd`` (away from the source tree), print its output; its exit code."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    print("$", program.name, *args, flush=True)
    started = time.perf_counter()
    try:
        done = subprocess.run([str(program), *args], cwd=cwd, env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"{program.name}: no answer in {timeout:.0f} s", file=sys.stderr)
        return 124
    for stream in (done.stdout, done.stderr):
        text = stream.decode("utf-8", errors="replace").strip()
        lines = [line for line in text.splitlines() if "propagateSizeHints" not in line]  # offscreen plugin noise
        if lines:
            print("\n".join("  " + line for line in lines), flush=True)
    print(f"  exit {done.returncode} after {time.perf_counter() - started:.1f} s", flush=True)
    return done.returncode


def bundle_size(bundle: Path) -> tuple[int, int]:
    files = [path for path in bundle.rglob("*") if path.is_file() and not path.is_symlink()]
    return sum(path.stat().st_size for path in files), len(files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the bundle folder goes")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's work folder")
    parser.add_argument("--check-only", action="store_true", help="no build: check the bundle already in --dist")
    options = parser.parse_args()
    bundle = options.dist.resolve() / NAME

    seconds = None
    if not options.check_only:
        compile_translations()
        seconds = build(options.dist.resolve(), options.work.resolve())

    failures = []
    problems = check_bundle(bundle)
    for problem in problems:
        print(f"FAIL bundle: {problem}", flush=True)
    if problems:
        failures.append("bundle contents")
    else:
        print("ok   bundle: fonts, icons, style sheet, translations, migrations, SVG plugins; no unused Qt modules")

    cli = executable(bundle, NAME + "-cli")
    with tempfile.TemporaryDirectory(prefix="crm-build-run-") as name:
        folder = Path(name)
        if run_frozen(cli, "--self-test", cwd=folder) != 0:
            failures.append(f"{cli.name} --self-test")
        if run_frozen(executable(bundle, NAME), "--self-test", cwd=folder) != 0:  # the windowed one: its exit code
            failures.append(f"{NAME} --self-test")
        if run_frozen(cli, "demo", "--db", str(folder / "demo.db"), "--customers", "50", cwd=folder) != 0:
            failures.append(f"{cli.name} demo")

    size, count = bundle_size(bundle)
    took = f"built in {seconds:.1f} s, " if seconds is not None else ""
    print(f"bundle {bundle}: {took}{size / 2**20:.0f} MiB in {count:,} files", flush=True)
    if failures:
        print("build: FAILED: " + ", ".join(failures), file=sys.stderr)
        return 1
    print("build: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
