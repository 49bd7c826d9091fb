"""`crm-desktop duplicates`: candidate groups for people (Persian) and scripts (--json), with the app's rules."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from crm_desktop import cli, cli_duplicates
from crm_desktop.db.migrate import open_database
from crm_desktop.errors import CrmError
from crm_desktop.services import users as users_module
from tests.conftest import CHEAP_HASHER
from tests.services.duplicates.planting import NID_KARIMI, plant, plant_karimi_three

PASSWORD = "Markazi-1405"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users_module, "PasswordHasher", lambda: CHEAP_HASHER)


def run_cli(args: list[str], stdin: str = "") -> int:
    return cli.main(args, stdin=io.StringIO(stdin))


def duplicates(args: list[str], stdin: str = PASSWORD + "\n") -> int:
    """The command as the lead wires it: its parser under the main one, its handler with a console."""
    parser = argparse.ArgumentParser()
    cli_duplicates.add_parser(parser.add_subparsers(dest="command"))
    parsed = parser.parse_args(["duplicates", *args])
    return cli_duplicates.cmd_duplicates(parsed, cli.Console(parsed.password_stdin, io.StringIO(stdin)))


@pytest.fixture
def branch_db(tmp_path: Path) -> Path:
    path = tmp_path / "crm.db"
    assert run_cli(["init", "--db", str(path), "--branch-code", "1021", "--branch-name", "شعبه مرکزی",
                    "--admin", "admin", "--password-stdin"], PASSWORD + "\n") == 0
    assert run_cli(["user", "--db", str(path), "--as", "admin", "--password-stdin", "add", "boss", "--full-name",
                    "رئیس شعبه", "--role", "manager", "--branch-code", "1021"], f"{PASSWORD}\n{PASSWORD}\n") == 0
    db = open_database(path)
    try:
        with db.read() as s:
            from sqlalchemy import text
            branch_id = s.execute(text("SELECT id FROM branch WHERE code = '1021'")).scalar_one()
        plant_karimi_three(db, branch_id)
        plant(db, branch_id, "مریم", "احمدی", mobile="09351112233")
    finally:
        db.dispose()
    return path


def test_json_lists_the_group_with_ids_national_ids_names_score_and_reasons(
        branch_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert duplicates(["--db", str(branch_db), "--user", "boss", "--password-stdin", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["customers"] == 4
    [group] = out["groups"]
    assert group["score"] == 100
    assert {r["name"] for r in group["records"]} == {"علی‌رضا كريمي", "عليرضا کریمی", "علی رضا کریمی"}
    assert NID_KARIMI in {r["national_id"] for r in group["records"]}
    assert all(len(r["id"]) == 36 for r in group["records"])
    assert any(reason.startswith("تلفن همراه یکسان") for reason in group["reasons"])
    assert len(group["pairs"]) == 3


def test_text_output_is_persian(branch_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert duplicates(["--db", str(branch_db), "--user", "boss", "--password-stdin"]) == 0
    out = capsys.readouterr().out
    assert "۴ مشتری بررسی شد؛ ۱ گروه احتمالاً تکراری پیدا شد." in out
    assert "گروه ۱ — امتیاز ۱۰۰ از ۱۰۰" in out
    assert "کد ملی: " + NID_KARIMI.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in out
    assert "دلایل: " in out and "نام‌ها پس از یکسان‌سازی نویسه‌ها برابرند" in out


def test_the_threshold_filters_groups(branch_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--db", str(branch_db), "--user", "boss", "--password-stdin", "--json", "--min-score"]
    assert duplicates([*base, "100"]) == 0
    [group] = json.loads(capsys.readouterr().out)["groups"]
    # only the two records with one national ID are certain; the third joins them at the default threshold
    assert [p["score"] for p in group["pairs"]] == [100] and len(group["records"]) == 2
    # at 0 the otherwise unrelated customer is still not paired: nothing shares a key with her
    assert duplicates([*base, "0"]) == 0
    groups = json.loads(capsys.readouterr().out)["groups"]
    assert all("مریم احمدی" not in {r["name"] for r in g["records"]} for g in groups)


def test_errors_are_persian(branch_db: Path, tmp_path: Path) -> None:
    with pytest.raises(CrmError) as wrong_branch:
        duplicates(["--db", str(branch_db), "--user", "boss", "--password-stdin", "--branch", "9999"])
    assert "شعبه" in wrong_branch.value.message
    with pytest.raises(CrmError) as bad_score:
        duplicates(["--db", str(branch_db), "--user", "boss", "--password-stdin", "--min-score", "101"])
    assert "۱۰۰" in bad_score.value.message
    with pytest.raises(CrmError) as wrong_password:
        duplicates(["--db", str(branch_db), "--user", "boss", "--password-stdin"], "wrong\n")
    assert wrong_password.value.message
    with pytest.raises(CrmError) as missing:
        duplicates(["--db", str(tmp_path / "none.db"), "--user", "boss", "--password-stdin"])
    assert "پیدا نشد" in missing.value.message
    assert not (tmp_path / "none.db").exists()
