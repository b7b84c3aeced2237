"""`visitplan kit PLAN_DIR` and the kit in a plan folder: written with the plan, written
again from the plan folder's copy of its visit, whole or not at all, and never at the
cost of a file the organiser put in kit/.  Without PDFs (--only workbook, pages=False),
so these stay fast: test_kit.py prints."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from visitplan import outputs
from visitplan.cli import main
from visitplan.outputs import write_outputs

from .kitplans import TINY, tiny


@pytest.fixture
def plan_dir(tmp_path) -> Path:
    visit, plan = tiny()
    out = tmp_path / "plan"
    write_outputs(visit, plan, out, pages=False, source=TINY)
    return out


def test_a_plan_folder_holds_the_kit_workbook_and_a_copy_of_its_visit(plan_dir):
    assert (plan_dir / "kit" / "kit.xlsx").is_file()
    copied = sorted(p.name for p in (plan_dir / "visit").iterdir())
    assert copied == sorted(p.name for p in TINY.iterdir())
    assert (plan_dir / "visit" / "delegates.csv").read_bytes() == (
        TINY / "delegates.csv"
    ).read_bytes()
    assert load_workbook(plan_dir / "kit" / "kit.xlsx").sheetnames == [
        "Sign-in",
        "Participants",
        "Manifests",
        "Catering",
    ]


def test_kit_rewrites_the_kit_from_the_plan_folder_and_keeps_organiser_files(plan_dir, capsys):
    scan = plan_dir / "kit" / "signed" / "day-1.pdf"
    scan.parent.mkdir()
    scan.write_bytes(b"%PDF scanned signatures")
    (plan_dir / "kit" / "kit.xlsx").write_bytes(b"stale")
    assert main(["kit", str(plan_dir), "--only", "workbook"]) == 0
    assert "kit written" in capsys.readouterr().out
    assert load_workbook(plan_dir / "kit" / "kit.xlsx").sheetnames[0] == "Sign-in"
    assert scan.read_bytes() == b"%PDF scanned signatures"
    assert not list(plan_dir.glob(".kit.tmp-*"))


def test_a_replan_into_the_same_folder_keeps_organiser_files_in_kit(plan_dir):
    visit, plan = tiny()
    (plan_dir / "kit" / "notes.txt").write_text("bus company: +47 22 00 00 00", encoding="utf-8")
    write_outputs(visit, plan, plan_dir, pages=False, source=TINY)
    assert (plan_dir / "kit" / "notes.txt").read_text(encoding="utf-8").startswith("bus")


def test_only_one_item_leaves_the_other_kit_files_as_they_were(plan_dir, monkeypatch, tmp_path):
    marker = plan_dir / "kit" / "badges.pdf"
    marker.write_bytes(b"old badges")
    monkeypatch.setenv("VISITPLAN_CHROMIUM", str(tmp_path / "no-such-browser"))
    assert main(["kit", str(plan_dir), "--only", "sign_in"]) == 0
    assert marker.read_bytes() == b"old badges"
    assert not (plan_dir / "kit" / "sign-in.pdf").exists()  # skipped, with a warning


def test_a_failing_kit_leaves_the_old_kit_as_it_was(plan_dir, monkeypatch):
    before = (plan_dir / "kit" / "kit.xlsx").read_bytes()

    def broken(views, folder):
        (Path(folder) / "kit.xlsx").write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs.kit.workbook, "write", broken)
    assert main(["kit", str(plan_dir), "--only", "workbook"]) == 1
    assert (plan_dir / "kit" / "kit.xlsx").read_bytes() == before
    assert not list(plan_dir.glob(".kit.tmp-*"))


def test_kit_exits_2_without_a_plan_a_visit_or_with_another_visit(plan_dir, tmp_path, capsys):
    assert main(["kit", str(tmp_path / "nowhere")]) == 2
    assert "no plan folder" in capsys.readouterr().err
    visit_copy = plan_dir / "visit"
    visit_copy.rename(tmp_path / "moved")
    assert main(["kit", str(plan_dir)]) == 2
    assert "holds no copy of its visit" in capsys.readouterr().err
    other = Path(__file__).resolve().parent.parent / "data" / "vidzeme-ostfold-2009"
    assert main(["kit", str(plan_dir), "--visit", str(other)]) == 2
    assert "is the visit 'vidzeme-ostfold-2009', not 'tiny-trondelag'" in capsys.readouterr().err
    assert (
        main(["kit", str(plan_dir), "--visit", str(tmp_path / "moved"), "--only", "workbook"]) == 0
    )
    assert main(["kit", str(plan_dir), "--only", "posters"]) == 2
    assert "'posters' is not one of sign_in, participants" in capsys.readouterr().err
