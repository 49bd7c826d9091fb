"""`crm-desktop import`: the import from the command line, with its exit codes, Persian output and report."""

from __future__ import annotations

import argparse
import io
import json
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from crm_desktop import cli, cli_import
from crm_desktop.errors import CrmError
from crm_desktop.services import users as users_module
from tests.conftest import CHEAP_HASHER
from tests.services.importing.generator import customer_rows, write_csv, write_xlsx

PASSWORD = "Markazi-1405"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users_module, "PasswordHasher", lambda: CHEAP_HASHER)


def run(args: list[str], stdin: str = "") -> int:
    """Through ``cli.main`` once the lead has wired the command in; until then through the same parser."""
    if "import" in cli.COMMANDS:
        return cli.main(args, stdin=io.StringIO(stdin))
    parser = cli.PersianArgumentParser(prog="crm-desktop")
    cli_import.add_parser(parser.add_subparsers(dest="command", parser_class=cli.PersianArgumentParser))
    if args[0] != "import":
        return cli.main(args, stdin=io.StringIO(stdin))
    parsed = parser.parse_args(args)
    try:
        return cli_import.cmd_import(parsed, cli.Console(parsed.password_stdin, io.StringIO(stdin)))
    except CrmError as exc:
        print(f"خطا: {exc.message}", file=__import__("sys").stderr)
        return cli.EXIT_ERROR


@pytest.fixture
def branch_db(tmp_path: Path) -> Path:
    path = tmp_path / "crm.db"
    assert run(["init", "--db", str(path), "--branch-code", "1021", "--branch-name", "شعبه مرکزی",
                "--admin", "admin", "--password-stdin"], PASSWORD + "\n") == 0
    assert run(["user", "--db", str(path), "--as", "admin", "--password-stdin", "add", "maryam", "--full-name",
                "مریم کارمند", "--role", "clerk", "--branch-code", "1021"], f"{PASSWORD}\n{PASSWORD}\n") == 0
    return path


def command(db: Path, source: Path, *extra: str) -> list[str]:
    return ["import", str(source), "--db", str(db), "--user", "maryam", "--password-stdin", *extra]


def customers(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM customer").fetchone()[0])


def test_dry_run_then_import_of_a_clean_file(branch_db: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    header, rows, _ = customer_rows(30, seed=8)
    source = write_xlsx(tmp_path / "مشتریان.xlsx", header, rows)
    assert run(command(branch_db, source, "--dry-run"), PASSWORD + "\n") == 0
    out = capsys.readouterr().out
    assert "۳۰ مشتری ایجاد می‌شود" in out and "فقط بررسی" in out and customers(branch_db) == 0
    assert run(command(branch_db, source), PASSWORD + "\n") == 0
    assert "۳۰ مشتری ایجاد شد" in capsys.readouterr().out and customers(branch_db) == 30
    with sqlite3.connect(branch_db) as conn:
        sources = {r[0] for r in conn.execute("SELECT DISTINCT source FROM change_journal WHERE tbl = 'customer'")}
    assert sources == {"import:مشتریان.xlsx"}


def test_refused_rows_exit_3_list_persian_reasons_and_fill_the_report(
        branch_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header, rows, _ = customer_rows(5, seed=8, corporate_share=0)
    rows[2][4] = "0000000001"
    source = write_xlsx(tmp_path / "bad.xlsx", header, rows)
    report = tmp_path / "refused.xlsx"
    code = run(command(branch_db, source, "--all-or-nothing", "--report", str(report)), PASSWORD + "\n")
    out = capsys.readouterr().out
    assert code == cli_import.EXIT_REFUSED and customers(branch_db) == 0
    assert "سطر ۴، ستون «كد ملي»" in out and "هیچ سطری ثبت نشد" in out
    cells = [c for r in load_workbook(report, read_only=True).worksheets[0].iter_rows(values_only=True) for c in r]
    assert "0000000001" in cells
    assert run(command(branch_db, source), PASSWORD + "\n") == cli_import.EXIT_REFUSED  # all or nothing by default
    assert customers(branch_db) == 0
    assert run(command(branch_db, source, "--valid-rows"), PASSWORD + "\n") == cli_import.EXIT_REFUSED
    assert customers(branch_db) == 4


def test_mapping_kind_encoding_and_bad_files(branch_db: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    header, rows, _ = customer_rows(4, seed=1, excel_cells=False, corporate_share=0)
    source = write_csv(tmp_path / "legacy.csv", [f"c{i}" for i in range(len(header))], rows, encoding="cp1256")
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"kind": "customers", "columns": {"c1": "first_name", "c2": "last_name",
                                                                    "c4": "national_id"}}), encoding="utf-8")
    assert run(command(branch_db, source, "--mapping", str(mapping), "--encoding", "cp1256"), PASSWORD + "\n") == 0
    assert customers(branch_db) == 4 and "کنارگذاشته" in capsys.readouterr().out
    assert run(command(branch_db, source, "--encoding", "utf-8"), PASSWORD + "\n") == cli.EXIT_ERROR
    assert "کدگذاری" in capsys.readouterr().err
    png = tmp_path / "photo.xlsx"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    assert run(command(branch_db, png), PASSWORD + "\n") == cli.EXIT_ERROR
    assert "صفحه‌گسترده نیست" in capsys.readouterr().err
    assert run(command(branch_db, source, "--kind", "customers"), "wrong-password\n") == cli.EXIT_ERROR
    assert customers(branch_db) == 4


def test_the_parser_takes_every_documented_option() -> None:
    parser = argparse.ArgumentParser()
    cli_import.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["import", "f.xlsx", "--db", "x.db", "--dry-run", "--mapping", "m.json", "--kind",
                              "interactions", "--encoding", "cp1256", "--all-or-nothing", "--user", "u",
                              "--password-stdin", "--report", "r.xlsx"])
    assert (args.kind, args.encoding, args.all_or_nothing, args.dry_run) == ("interactions", "cp1256", True, True)
    assert parser.parse_args(["import", "f.xlsx"]).all_or_nothing is True
    assert parser.parse_args(["import", "f.xlsx", "--valid-rows"]).all_or_nothing is False
    with pytest.raises(SystemExit):
        parser.parse_args(["import", "f.xlsx", "--valid-rows", "--all-or-nothing"])


def test_look_alike_rows_are_a_warning_with_reasons_not_a_refusal(
        branch_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header, rows, _ = customer_rows(3, seed=4, corporate_share=0)
    assert run(command(branch_db, write_xlsx(tmp_path / "old.xlsx", header, rows)), PASSWORD + "\n") == 0
    _, twins, truth = customer_rows(2, seed=4, start=700, corporate_share=0)  # same names and mobiles, new IDs
    twins[0][1], twins[0][7] = str(twins[0][1]).replace("ی", "ي"), "+98" + truth[0].mobile[1:]
    source = write_xlsx(tmp_path / "new.xlsx", header, twins)
    capsys.readouterr()
    report = tmp_path / "report.xlsx"
    assert run(command(branch_db, source, "--dry-run", "--report", str(report)), PASSWORD + "\n") == 0
    out = capsys.readouterr().out
    assert "هشدار: ۲ سطر به مشتریانی که پیش‌تر ثبت شده‌اند شبیه است" in out
    assert f"سطر ۲ («{truth[0].first_name} {truth[0].last_name}»" in out and "تلفن همراه یکسان" in out
    assert load_workbook(report, read_only=True).sheetnames[1] == "مشتریان مشابه"
    assert run(command(branch_db, source), PASSWORD + "\n") == 0  # warned, still created
    assert "۲ مشتری جدید به مشتریانی که پیش‌تر ثبت شده بودند شبیه است" in capsys.readouterr().out
    assert customers(branch_db) == 5
