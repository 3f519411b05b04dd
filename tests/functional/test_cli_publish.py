"""`carecal export --format sprout`, `posts published`, `metrics ...` and `report` through CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from calendar_data.publish.metrics_formats import TEMPLATE_HEADERS
from calendar_data.storage.database import open_db
from tui.cli.entry import main

pytestmark = pytest.mark.usefixtures("small_list")


@pytest.fixture
def run(db_path: Path, monkeypatch):
    monkeypatch.setenv("CARECAL_NOW", "2027-01-10T12:00:00+00:00")
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(
            main, ["--today", "2027-01-10", *args, "--db", str(db_path)], catch_exceptions=False
        )

    return invoke


def add(run, *args: str) -> int:
    result = run("posts", "add", *args)
    assert result.exit_code == 0, result.output
    return int(result.stdout)


@pytest.fixture
def quarter(run):
    ids = {
        "heart": add(
            run,
            "--title",
            "Heart month kickoff",
            "--date",
            "2027-02-01",
            "--time",
            "09:00",
            "--body",
            "Wear red this Friday for heart health. #GoRed",
            "--channel",
            "facebook",
            "--channel",
            "x",
            "--status",
            "approved",
        ),
        "flu": add(
            run,
            "--title",
            "Flu clinic",
            "--date",
            "2027-02-03",
            "--time",
            "15:00",
            "--body",
            "Walk-in flu shots all week at the main entrance.",
            "--channel",
            "x",
            "--status",
            "scheduled",
        ),
        "idea": add(
            run, "--title", "Someday", "--date", "2027-02-04", "--time", "10:00", "--channel", "x"
        ),
    }
    return ids


def test_a_quarter_goes_to_sprout_files_one_per_channel(run, quarter, tmp_path):
    result = run(
        "export", "--quarter", "2027Q1", "--format", "sprout", "-o", str(tmp_path / "q1.csv")
    )
    assert result.exit_code == 0, result.output
    assert (
        "wrote 1 message for facebook" in result.stdout
        and "wrote 2 messages for x" in result.stdout
    )
    assert "dates mm/dd/yyyy, times in America/New_York" in result.stdout
    x_file = (tmp_path / "q1-x.csv").read_text("utf-8")
    assert x_file == (
        "date,time_24hr,message_text\n02/01/2027,09:00,Wear red this Friday for heart health. #GoRed\n"
        "02/03/2027,15:00,Walk-in flu shots all week at the main entrance.\n"
    )
    day_first = run(
        "export",
        "--quarter",
        "2027Q1",
        "--format",
        "sprout",
        "--date-order",
        "dmy",
        "-o",
        str(tmp_path / "uk.csv"),
    )
    assert day_first.exit_code == 0 and "03/02/2027,15:00" in (tmp_path / "uk-x.csv").read_text()


def test_rule_breaks_exit_1_list_each_post_and_write_nothing(run, quarter, tmp_path):
    clash = add(
        run,
        "--title",
        "Too close",
        "--date",
        "2027-02-01",
        "--time",
        "09:04",
        "--body",
        "Hi.",
        "--channel",
        "x",
        "--status",
        "approved",
    )
    result = run(
        "export", "--quarter", "2027Q1", "--format", "sprout", "-o", str(tmp_path / "q1.csv")
    )
    assert result.exit_code == 1
    assert f"error: post {clash} on x: is 4 minutes after post {quarter['heart']}" in result.stderr
    assert "1 rule break that Sprout Social would refuse; nothing written" in result.stderr
    assert list(tmp_path.glob("q1*")) == []


@pytest.mark.parametrize("vendor", ["hootsuite", "buffer", "later"])
def test_undocumented_vendors_are_refused_with_exit_2(run, quarter, tmp_path, vendor):
    result = run(
        "export", "--quarter", "2027Q1", "--format", vendor, "-o", str(tmp_path / "q1.csv")
    )
    assert (
        result.exit_code == 2
        and "no help-centre description of its bulk-upload CSV" in result.stderr
    )
    assert not list(tmp_path.glob("q1*"))


def test_sprout_needs_a_file_name_and_ics_stays_the_default(run, quarter, tmp_path):
    result = run("export", "--quarter", "2027Q1", "--format", "sprout", "-o", "-")
    assert result.exit_code == 2 and "one file per channel" in result.output
    ics = run("export", "--quarter", "2027Q1", "--include", "posts", "-o", "-")
    assert ics.exit_code == 0 and ics.stdout.startswith("BEGIN:VCALENDAR")


def test_blocked_posts_are_left_out_with_a_warning(run, quarter, tmp_path, db_path):
    db = open_db(db_path)
    db.execute("UPDATE posts SET body = 'Call Jane at 555-201-3344' WHERE id = ?", [quarter["flu"]])
    db.conn.commit()
    db.close()
    result = run(
        "export", "--quarter", "2027Q1", "--format", "sprout", "-o", str(tmp_path / "q1.csv")
    )
    assert result.exit_code == 0
    assert (
        f"warning: post {quarter['flu']} (Flu clinic) left out: blocked by compliance"
        in result.stderr
    )
    assert "555-201-3344" not in (tmp_path / "q1-x.csv").read_text()


def test_posts_published_records_the_link_and_moves_the_status(run, quarter):
    result = run(
        "posts",
        "published",
        str(quarter["heart"]),
        "--channel",
        "facebook",
        "--url",
        "https://www.facebook.com/riverside/posts/1",
        "--at",
        "2027-01-10 06:55",
    )
    assert result.exit_code == 0, result.output
    assert "published on facebook at 2027-01-10 11:55 UTC" in result.stdout
    shown = json.loads(run("posts", "show", str(quarter["heart"]), "--json").stdout)[0]
    assert shown["status"] == "published"
    links = json.loads(run("posts", "links", "--json").stdout)
    assert links == [
        {
            "post_id": quarter["heart"],
            "channel": "facebook",
            "url": "https://www.facebook.com/riverside/posts/1",
            "published_at": "2027-01-10T11:55:00+00:00",
            "recorded_by": "tester",
        }
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--channel", "facebook", "--url", "mailto:comms@example.org"], "error: url: "),
        (
            ["--channel", "linkedin", "--url", "https://linkedin.com/a"],
            "is not planned for linkedin",
        ),
        (
            ["--channel", "facebook", "--url", "https://f.com/a", "--at", "2027-06-01T09:00"],
            "in the future",
        ),
        (["--channel", "facebook", "--url", "https://f.com/a", "--at", "soon"], "is not a time"),
        (["--channel", "tumblr", "--url", "https://f.com/a"], "Invalid value for '--channel'"),
    ],
)
def test_posts_published_refuses_bad_input_with_exit_2(run, quarter, args, message):
    result = run("posts", "published", str(quarter["heart"]), *args)
    assert result.exit_code == 2 and message in result.output
    assert json.loads(run("posts", "links", "--json").stdout) == []


def write_metrics(tmp_path, *rows):
    path = tmp_path / "export.csv"
    path.write_text("\r\n".join([",".join(TEMPLATE_HEADERS), *rows]) + "\r\n", encoding="utf-8")
    return path


def test_metrics_import_review_and_report(run, quarter, tmp_path):
    run(
        "posts",
        "published",
        str(quarter["heart"]),
        "--channel",
        "facebook",
        "--url",
        "https://facebook.com/p/1",
    )
    path = write_metrics(
        tmp_path,
        "facebook,https://facebook.com/p/1,,,1000,,50,10,0,,40,,2027-02-20",
        "x,,2027-02-03 15:02,Walk-in flu shots all week at the main entrance!,500,,5,0,0,,0,,",
        "x,,2027-03-30 09:00,Something else entirely,50,,1,0,0,,0,,",
    )
    result = run("metrics", "import", str(path))
    assert result.exit_code == 0, result.output
    assert (
        "imported 3 rows (carecal format) from export.csv: 1 matched by URL, 1 by copy similarity, "
        "1 unmatched" in result.stdout
    )
    assert f"-> post {quarter['flu']} by copy similarity" in result.stdout
    assert "warning: line 4: x" in result.stderr and "matched no post" in result.stderr
    rows = json.loads(run("metrics", "matches", "--json").stdout)
    unmatched = next(r for r in rows if r["status"] == "unmatched")
    assert run("metrics", "assign", str(unmatched["id"]), str(quarter["idea"])).exit_code == 0
    assert run("metrics", "reject", str(unmatched["id"])).exit_code == 0
    assert (
        json.loads(run("metrics", "matches", "--status", "rejected", "--json").stdout)[0]["id"]
        == unmatched["id"]
    )
    report = json.loads(
        run("report", "--from", "2027-01-01", "--to", "2027-03-31", "--format", "json").stdout
    )
    assert (report["impressions"], report["engagements"]) == (1500, 105)
    html = tmp_path / "r.html"
    assert (
        run(
            "report",
            "--from",
            "2027-01-01",
            "--to",
            "2027-03-31",
            "--format",
            "html",
            "-o",
            str(html),
        ).exit_code
        == 0
    )
    assert html.read_text().count("<svg") == 7
    assert (
        "| facebook | 1 | 1,000 | 100 | 10.0% |"
        in run("report", "--from", "2027-01-01", "--to", "2027-03-31").stdout
    )


def test_a_malformed_metrics_file_is_one_line_exit_2_and_nothing_imported(run, quarter, tmp_path):
    path = write_metrics(
        tmp_path, "x,,2027-02-03 15:02,ok,500,,5,0,0,,0,,", "x,,2027-02-03 15:02,ok,5OO,,5,0,0,,0,,"
    )
    result = run("metrics", "import", str(path))
    assert result.exit_code == 2
    assert result.stderr == (
        "error: export.csv, line 3, column 5 (impressions): '5OO' is not a whole number\n"
    )
    assert json.loads(run("metrics", "matches", "--json").stdout) == []


def test_metrics_template_and_report_usage_errors(run, tmp_path):
    assert run("metrics", "template").stdout.startswith("channel,url,published_at,text,impressions")
    result = run("report", "--from", "2027-03-01", "--to", "2027-01-01")
    assert result.exit_code == 2 and "is before --from" in result.output
    missing = run("report", "--from", "2027-01-01", "--to", "2027-01-31")
    assert missing.exit_code == 2 and "no calendar here" in missing.output  # a read creates nothing
    assert (
        run("posts", "add", "--title", "x", "--date", "2027-01-04").exit_code == 0
    )  # a write creates it
    empty = run("report", "--from", "2027-01-01", "--to", "2027-01-31")
    assert empty.exit_code == 0 and "no matched metrics" in empty.stderr


def test_many_unmatched_rows_are_counted_after_the_first_twenty(run, tmp_path):
    rows = [
        f"x,,2027-02-0{1 + i % 9} 09:00,Nothing we planned {i},10,,1,0,0,,0,," for i in range(25)
    ]
    result = run("metrics", "import", str(write_metrics(tmp_path, *rows)))
    assert result.exit_code == 0 and result.stderr.count("matched no post") == 20
    assert "... and 5 more unmatched rows" in result.stderr
    assert (
        len(json.loads(run("metrics", "matches", "--status", "unmatched", "--json").stdout)) == 25
    )
