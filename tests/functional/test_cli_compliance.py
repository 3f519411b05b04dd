"""`carecal check`, `consent`, `override` and the approval gate on `posts edit`, through CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tui.cli.entry import main

pytestmark = pytest.mark.usefixtures("small_list")


def add(run, *args: str) -> int:
    result = run("posts", "add", "--date", "2026-12-03", *args)
    assert result.exit_code == 0, result.output
    return int(result.stdout)


def story(run) -> int:
    return add(
        run,
        "--title",
        "Back on the trail",
        "--features-patient",
        "--channel",
        "facebook",
        "--channel",
        "instagram",
        "--status",
        "review",
        "--body",
        "Maria is hiking again.",
    )


def test_check_exits_0_when_clear(run):
    add(run, "--title", "Flu clinic", "--body", "Walk-in flu shots Saturday.")
    result = run("check")
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and "all clear" in result.stderr
    assert json.loads(run("check", "--json").stdout) == []


def test_check_groups_findings_by_post_and_exits_1_when_any_blocks(run):
    first = add(run, "--title", "Thank-you note", "--body", "Call the family on 608-555-0143.")
    second = add(
        run, "--title", "Flu facts", "--body", "A flu shot lowers your risk of hospitalisation."
    )
    result = run("check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"post {first}  2026-12-03  [idea]  Thank-you note")
    assert "BLOCK" in lines[1] and "body 19-31" in lines[1] and "608-555-0143" in lines[1]
    assert f"carecal override {first} 'phone:608-555-0143'" in lines[2]
    assert lines[3].startswith(f"post {second}") and "warn" in lines[4]
    assert "2 need attention, 1 blocking, 1 warnings" in result.stderr


def test_check_json_has_the_contracted_fields(run):
    post_id = add(run, "--title", "Note", "--body", "Call 608-555-0143")
    result = run("check", "--json")
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)
    assert {"post_id", "field", "type", "span", "message", "blocking"} <= set(finding)
    assert (
        finding["post_id"],
        finding["field"],
        finding["type"],
        finding["span"],
        finding["blocking"],
    ) == (post_id, "body", "phi", [5, 17], True)
    assert finding["date"] == "2026-12-03" and finding["key"] == "phone:608-555-0143"


def test_warnings_alone_exit_0(run):
    add(run, "--title", "Flu facts", "--body", "Studies show flu shots work.")
    result = run("check", "--json")
    assert result.exit_code == 0
    assert [f["type"] for f in json.loads(result.stdout)] == ["claim"]


def test_check_range_and_bad_range(run):
    add(run, "--title", "Note", "--body", "Call 608-555-0143")
    assert run("check", "--from", "2026-12-04").exit_code == 0
    assert run("check", "--from", "2026-12-01", "--to", "2026-12-03").exit_code == 1
    bad = run("check", "--from", "2026-12-04", "--to", "2026-12-01")
    assert bad.exit_code == 2 and "before --from" in bad.stderr


def test_approval_without_consent_is_refused_with_reasons(run, db_path):
    post_id = story(run)
    result = run("posts", "edit", str(post_id), "--status", "approved", "--title", "Renamed")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: post {post_id}: consent: features a patient but no consent is on file "
        f"(record it: carecal consent add {post_id} --form REF ...)"
    ]
    shown = json.loads(run("posts", "list", "--json").stdout)[0]
    assert (shown["status"], shown["title"]) == ("review", "Back on the trail")


def test_adding_straight_to_approved_is_refused_too(run):
    result = run(
        "posts",
        "add",
        "--title",
        "Story",
        "--date",
        "2026-12-03",
        "--features-patient",
        "--status",
        "approved",
    )
    assert result.exit_code == 1 and result.stderr.startswith("error: post new: consent:")
    assert json.loads(run("posts", "list", "--json").stdout) == []


def test_consent_add_then_approve_with_history(run):
    post_id = story(run)
    added = run(
        "consent",
        "add",
        str(post_id),
        "--form",
        "PX-7",
        "--signed",
        "2026-11-01",
        "--expires",
        "2027-11-01",
        "--media",
        "photo",
        "--media",
        "story",
        "--as",
        "jo",
    )
    assert added.exit_code == 0, added.output
    assert "channels facebook, instagram" in added.stdout
    shown = run("consent", "show", str(post_id))
    assert "PX-7" in shown.stdout and "(valid)" in shown.stdout and "jo" in shown.stdout
    data = json.loads(run("consent", "show", str(post_id), "--json").stdout)
    assert data[0]["channels"] == ["facebook", "instagram"] and data[0]["expires"] == "2027-11-01"
    approved = run("posts", "edit", str(post_id), "--status", "approved", "--as", "Dana Reviewer")
    assert approved.exit_code == 0, approved.output
    history = run("posts", "show", str(post_id)).stdout
    assert "Dana Reviewer" in history and "review -> approved" in history
    assert "jo: recorded consent PX-7" in history


def test_expired_or_out_of_scope_consent_blocks(run):
    post_id = story(run)
    run(
        "consent",
        "add",
        str(post_id),
        "--form",
        "PX-7",
        "--signed",
        "2025-01-01",
        "--expires",
        "2025-12-31",
        "--channel",
        "instagram",
        "--media",
        "photo",
    )
    result = run("posts", "edit", str(post_id), "--status", "approved")
    assert result.exit_code == 1
    assert "expired on 2025-12-31" in result.stderr and "does not cover Facebook" in result.stderr
    assert "EXPIRED" in run("consent", "show", str(post_id)).stdout


def test_consent_errors(run):
    post_id = story(run)
    bad = run(
        "consent",
        "add",
        str(post_id),
        "--form",
        "PX",
        "--signed",
        "2026-11-01",
        "--expires",
        "2026-10-01",
        "--media",
        "photo",
    )
    assert bad.exit_code == 2 and bad.stderr.startswith("error: expires:")
    missing = run(
        "consent",
        "add",
        "99",
        "--form",
        "PX",
        "--signed",
        "2026-11-01",
        "--expires",
        "2027-10-01",
        "--media",
        "photo",
    )
    assert missing.exit_code == 2 and "no post with id 99" in missing.stderr
    usage = run(
        "consent",
        "add",
        str(post_id),
        "--form",
        "PX",
        "--signed",
        "2026-11-01",
        "--expires",
        "2027-10-01",
        "--media",
        "hologram",
    )
    assert usage.exit_code == 2
    assert run("consent", "rm", str(post_id)).exit_code == 2
    assert "no consent on file" in run("consent", "show", str(post_id)).stderr


def test_consent_rm(run):
    post_id = story(run)
    run(
        "consent",
        "add",
        str(post_id),
        "--form",
        "PX-7",
        "--signed",
        "2026-11-01",
        "--expires",
        "2027-11-01",
        "--media",
        "photo",
    )
    result = run("consent", "rm", str(post_id), "--as", "jo")
    assert result.exit_code == 0 and "consent removed from post" in result.stdout
    assert (
        "PX-7" not in result.stdout + run("posts", "show", str(post_id)).stdout
    )  # erased from the history
    assert json.loads(run("consent", "show", str(post_id), "--json").stdout) == []


def test_override_lets_a_reviewed_number_through(run):
    post_id = add(
        run,
        "--title",
        "Fundraiser",
        "--body",
        "Donate by phone: 608-555-0143",
        "--status",
        "review",
    )
    assert run("posts", "edit", str(post_id), "--status", "approved").exit_code == 1
    no_reason = run("override", str(post_id), "phone:608-555-0143")
    assert no_reason.exit_code == 2
    typo = run("override", str(post_id), "phone:608-555-0000", "--reason", "ok")
    assert typo.exit_code == 2 and "current keys: phone:608-555-0143" in typo.stderr
    ok = run(
        "override", str(post_id), "phone:608-555-0143", "--reason", "foundation line", "--as", "rev"
    )
    assert ok.exit_code == 0 and "by rev" in ok.stdout
    checked = run("check")
    assert (
        checked.exit_code == 0 and "ok*" in checked.stdout and "overridden by rev" in checked.stdout
    )
    assert run("posts", "edit", str(post_id), "--status", "approved").exit_code == 0


def test_override_withdraw(run):
    post_id = add(run, "--title", "Fundraiser", "--body", "Donate by phone: 608-555-0143")
    run("override", str(post_id), "phone:608-555-0143", "--reason", "ok")
    result = run("override", str(post_id), "phone:608-555-0143", "--withdraw")
    assert result.exit_code == 0 and run("check").exit_code == 1


def test_demo_plants_are_found(run):
    assert run("demo", "--start", "2026-11-01").exit_code == 0
    result = run("check", "--json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    kinds = {(f["type"], f["kind"]) for f in found}
    assert ("phi", "phone") in kinds and ("consent", "missing") in kinds
    phone = next(f for f in found if f["kind"] == "phone")
    assert phone["text"] == "555-201-3344"


def test_every_command_is_documented():
    runner = CliRunner()
    for args in (
        ["check"],
        ["consent"],
        ["consent", "add"],
        ["consent", "show"],
        ["consent", "rm"],
        ["override"],
    ):
        result = runner.invoke(main, [*args, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output
