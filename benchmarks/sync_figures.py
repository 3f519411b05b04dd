"""The sync figures (issue 15): carecal's CalDAV sync against vdirsyncer doing the same work on one Radicale.

Each run makes two fresh collections on one Radicale (127.0.0.1, storage in the work folder, each
collection deleted after its run). Into the first, carecal syncs a calendar of 1,000 posts (first
push), a second, empty calendar syncs them down (first pull), one post is retitled and synced up
(incremental push) and down (incremental pull): four `carecal sync` processes, as a user runs
them. Into the second, vdirsyncer does the same with a filesystem storage holding the very .ics
resources carecal put (read back from the server's storage folder before timing): first sync of
a full folder to the empty collection, of an empty folder from it, then one file changed and the
two incremental syncs.

A sample is the client process's CPU time plus the CPU time the server spent meanwhile: what a
sync costs, whichever side the work lands on (a client that asks for more pays for the server's
answers too), and, unlike wall time, not moved by another job on a shared machine. Wall time is
kept as context. vdirsyncer is a peer, not a dependency (`pip install vdirsyncer`): without it
the group is skipped with a note.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import time
from contextlib import ExitStack, closing
from dataclasses import replace
from datetime import date
from pathlib import Path

from benchmarks.data import Sizes, build_database, empty_database
from benchmarks.measure import Figure, Group, Skip
from benchmarks.radicale import PASSWORD, USER, Radicale, running_radicale

POSTS = 1_000
QUICK_POSTS = 200
"""--quick syncs fewer posts: Radicale's cost per PUT grows with the collection, 1,000 take minutes."""
PASSWORD_ENV = "BENCH_SYNC_PASSWORD"
STEPS = ("first push", "first pull", "incremental push", "incremental pull")
NEW_TITLE = "Retitled for the incremental sync"


def find_vdirsyncer(python: str) -> str | None:
    """The vdirsyncer command: on PATH, or installed beside the bench's Python."""
    beside = Path(python).with_name("vdirsyncer")
    return shutil.which("vdirsyncer") or (str(beside) if beside.exists() else None)


def _sizes(posts: int) -> Sizes:
    return Sizes(
        posts=posts,
        first_year=2027,
        years=1,
        bench_year=2027,
        bench_year_posts=posts,
        tag_links=2 * posts,
        tags=40,
        campaigns=6,
        ics_timed=0,
        ics_yearly=0,
    )


def _gate_clean(path: Path) -> None:
    """Make the bench posts ones carecal's own gate would have let through.

    The bench data is written with SQL, past the approval gate, so some "published" posts lack the
    source their content type needs, feature a patient (or are patient stories) without consent,
    are "published" on a day still to come, or have a consent signed after today, without an expiry
    date, or not covering their channels and media. A teammate's gate holds such posts back on
    arrival, and the sync then measures that disagreement (posts sent back and forth) instead of
    moving a team's calendar; a real team's approved posts passed the same gate.
    """
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "UPDATE posts SET sources = ? WHERE sources = '[]'",
            ['["https://www.cdc.gov/heart-disease/"]'],
        )
        conn.execute(
            "UPDATE posts SET features_patient = 0 WHERE id NOT IN (SELECT post_id FROM consents)"
        )
        conn.execute(
            "UPDATE posts SET content_type = 'educational' WHERE content_type = 'patient-story' "
            "AND id NOT IN (SELECT post_id FROM consents)"
        )
        # Not yet due: scheduled, not published (the gate refuses "published" before the post's time).
        conn.execute(
            "UPDATE posts SET status = 'scheduled' WHERE status = 'published' AND post_date >= ?",
            [date.today().isoformat()],
        )
        # Signed before any day a run may take as today, valid for years, covering what the post shows.
        conn.execute(
            "UPDATE consents SET signed_on = '2026-01-02', expires_on = '2031-01-02', media = ?",
            ['["photo", "video", "story", "quote"]'],
        )
        conn.execute(
            "UPDATE consents SET channels = (SELECT json_group_array(channel) FROM post_channels"
            " WHERE post_channels.post_id = consents.post_id)"
        )


class SyncBench:
    """The folders, server and commands of the sync group; one instance per benchmark run."""

    def __init__(self, ctx, posts: int) -> None:
        self.ctx, self.posts = ctx, posts
        self.root = ctx.workdir / "sync"
        self.vdirsyncer = find_vdirsyncer(ctx.python)
        self.stack = ExitStack()
        self.server: Radicale | None = None
        self.split = (0.0, 0.0)

    # --- processes -----------------------------------------------------------------------------
    def env(self) -> dict[str, str]:
        return self.ctx.env() | {PASSWORD_ENV: PASSWORD}

    def timed(self, argv: list[str]) -> tuple[float, float]:
        """(client CPU + server CPU, wall time) of one whole process, spawn to exit."""
        assert self.server is not None
        server_before, began = self.server.cpu_seconds(), time.perf_counter()
        proc = subprocess.Popen(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=self.env(), cwd=self.root
        )
        assert proc.stderr is not None
        errors = proc.stderr.read()
        proc.stderr.close()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - began
        server = self.server.cpu_seconds() - server_before
        self.split = (
            usage.ru_utime + usage.ru_stime,
            server,
        )  # for a profile's eyes: (client, server)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(
                f"{' '.join(map(str, argv[:6]))}... exited {os.waitstatus_to_exitcode(status)}: "
                f"{errors.decode(errors='replace').strip()[-500:]}"
            )
        return usage.ru_utime + usage.ru_stime + server, wall

    def carecal_sync(self, db: Path) -> list[str]:
        return self.ctx.carecal("--db", str(db), "sync", "team")

    # --- setup ---------------------------------------------------------------------------------
    def setup(self) -> None:
        if not self.vdirsyncer:
            raise Skip("vdirsyncer not installed (pip install vdirsyncer)")
        self.root.mkdir(parents=True, exist_ok=True)
        self.server = self.stack.enter_context(
            running_radicale(self.root / "radicale", self.ctx.python)
        )
        _gate_clean(build_database(self.root / "source.db", _sizes(self.posts)).path)
        empty_database(self.root / "empty.db")
        # The peer syncs the very resources carecal puts: push once, untimed, and keep the server's files.
        url = self.server.new_calendar()
        scratch = self._calendar(self.root / "scratch.db", url, source=True)
        subprocess.run(
            self.carecal_sync(scratch),
            env=self.env(),
            cwd=self.root,
            check=True,
            capture_output=True,
        )
        collection = (
            self.server.storage / "collection-root" / USER / url.rstrip("/").rsplit("/", 1)[1]
        )
        events = self.root / "events"
        events.mkdir()
        for item in sorted(collection.glob("*.ics")):
            shutil.copy(item, events / item.name)
        self.server.drop_calendar(url)
        found = len(list(events.glob("*.ics")))
        if found < self.posts:
            raise RuntimeError(f"the scratch push left {found} resources for {self.posts} posts")

    def teardown(self) -> None:
        self.stack.close()

    def _calendar(self, path: Path, url: str, *, source: bool) -> Path:
        """A calendar database (the 1,000 posts, or empty) with a target `team` syncing to `url`."""
        from calendar_data.storage.database import open_db
        from calendar_data.sync import Target, add_target

        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        shutil.copy(self.root / ("source.db" if source else "empty.db"), path)
        db = open_db(path)
        try:
            add_target(
                db,
                Target(
                    name="team",
                    url=url,
                    username=USER,
                    password_source="env",
                    password_ref=PASSWORD_ENV,
                ),
            )
        finally:
            db.close()
        return path

    # --- the two clients -----------------------------------------------------------------------
    def carecal(self, index: int) -> dict[str, tuple[float, float]]:
        """carecal's four syncs into a fresh collection; checks what arrived on the first run."""
        from calendar_data.posts import get_post, update_post
        from calendar_data.storage.database import open_db

        assert self.server is not None
        url = self.server.new_calendar()
        try:
            mine = self._calendar(self.root / "alice.db", url, source=True)
            theirs = self._calendar(self.root / "bob.db", url, source=False)
            out = {
                "first push": self.timed(self.carecal_sync(mine)),
                "first pull": self.timed(self.carecal_sync(theirs)),
            }
            if index == 0:
                self._check_titles(theirs, self.posts)
            db = open_db(mine)
            try:
                update_post(db, replace(get_post(db, 1), title=NEW_TITLE))
            finally:
                db.close()
            out["incremental push"] = self.timed(self.carecal_sync(mine))
            out["incremental pull"] = self.timed(self.carecal_sync(theirs))
            if index == 0:
                self._check_titles(theirs, self.posts, changed=1)
            return out
        finally:
            self.server.drop_calendar(url)

    def _check_titles(self, path: Path, posts: int, changed: int = 0) -> None:
        """The second calendar holds every post (and the change), and its sync sent nothing back."""
        with closing(sqlite3.connect(path)) as conn:
            count, retitled = conn.execute(
                "SELECT count(*), sum(title = ?) FROM posts", [NEW_TITLE]
            ).fetchone()
            last = json.loads(conn.execute("SELECT last_result FROM sync_targets").fetchone()[0])
        if count != posts or (retitled or 0) != changed:
            raise RuntimeError(
                f"carecal's second calendar holds {count} posts ({retitled or 0} retitled), "
                f"expected {posts} ({changed})"
            )
        if any(last["pushed"].values()) or last["gated"]:
            raise RuntimeError(f"carecal's pull sent posts back ({last}): not the peer's work")

    def peer(self, index: int) -> dict[str, tuple[float, float]]:
        """vdirsyncer's four syncs (filesystem <-> a fresh collection); checks the files on the first run."""
        assert self.server is not None and self.vdirsyncer
        url = self.server.new_calendar()
        run = self.root / "vdirsyncer"
        shutil.rmtree(run, ignore_errors=True)
        try:
            shutil.copytree(self.root / "events", run / "full")
            (run / "empty").mkdir()
            config = self._vdirsyncer_config(run, url)
            # `discover` writes the pair's metadata, untimed like carecal's `sync add`.
            subprocess.run(
                [self.vdirsyncer, "-c", str(config), "discover", "up", "down"],
                env=self.env(),
                cwd=self.root,
                check=True,
                capture_output=True,
                stdin=subprocess.DEVNULL,
            )
            sync = lambda pair: [self.vdirsyncer, "-c", str(config), "sync", pair]  # noqa: E731
            out = {"first push": self.timed(sync("up")), "first pull": self.timed(sync("down"))}
            self._change_one_file(run / "full")
            out["incremental push"] = self.timed(sync("up"))
            out["incremental pull"] = self.timed(sync("down"))
            if (
                index == 0
            ):  # vdirsyncer names the files it pulls itself: look for the change by content
                files = [p.read_bytes() for p in (run / "empty").glob("*.ics")]
                retitled = sum(NEW_TITLE.encode() in text for text in files)
                if len(files) != len(list((run / "full").glob("*.ics"))) or retitled != 1:
                    raise RuntimeError(
                        f"vdirsyncer's second folder holds {len(files)} files "
                        f"({retitled} retitled), expected all of them (1)"
                    )
            return out
        finally:
            self.server.drop_calendar(url)
            shutil.rmtree(run, ignore_errors=True)

    def _vdirsyncer_config(self, run: Path, url: str) -> Path:
        storages = "".join(
            f'[pair {pair}]\na = "{pair}_local"\nb = "{pair}_remote"\ncollections = null\n\n'
            f'[storage {pair}_local]\ntype = "filesystem"\npath = "{run / folder}"\nfileext = ".ics"\n\n'
            f'[storage {pair}_remote]\ntype = "caldav"\nurl = "{url}"\nusername = "{USER}"\n'
            f'password.fetch = ["command", "printenv", "{PASSWORD_ENV}"]\n\n'
            for pair, folder in (("up", "full"), ("down", "empty"))
        )
        config = run / "config"
        config.write_text(
            f'[general]\nstatus_path = "{run / "status"}"\n\n{storages}', encoding="utf-8"
        )
        return config

    def _change_one_file(self, folder: Path) -> None:
        """Retitle the first event in the folder (same UID): the peer's one change."""
        for item in sorted(folder.glob("*.ics")):
            text = item.read_bytes()
            if b"BEGIN:VEVENT" in text and b"\nSUMMARY:" in text:
                head, rest = text.split(b"\nSUMMARY:", 1)
                item.write_bytes(
                    head + b"\nSUMMARY:" + NEW_TITLE.encode() + b"\r\n" + rest.split(b"\n", 1)[1]
                )
                return
        raise RuntimeError(f"no event with a SUMMARY in {folder}")


def sync_group(ctx) -> Group:
    """carecal sync against vdirsyncer: first and incremental, push and pull, on one Radicale."""
    posts = QUICK_POSTS if ctx.quick else POSTS
    if ctx.sizes.posts < POSTS:  # the harness's self-test data
        posts = max(ctx.sizes.posts // 8, 10)
    bench = SyncBench(ctx, posts)

    def run(index: int) -> dict[str, float]:
        sides = [("carecal", bench.carecal), ("vdirsyncer", bench.peer)]
        if index % 2:
            sides.reverse()
        samples: dict[str, float] = {}
        for name, side in sides:
            for step, (cpu, wall) in side(index).items():
                samples[f"{name} {step}"] = cpu
                samples[f"{name} {step} wall"] = wall
        for name, _ in sides:  # whole first and incremental syncs (push + pull), wall time
            for kind in ("first", "incremental"):
                samples[f"{name} {kind} wall"] = samples.pop(
                    f"{name} {kind} push wall"
                ) + samples.pop(f"{name} {kind} pull wall")
        return samples

    note = (
        f"CPU of the sync process + Radicale's CPU meanwhile; {posts} posts (1 team-lists resource more), "
        "fresh collection each run"
    )
    figures = [
        Figure(
            f"sync {step}",
            f"carecal {step}",
            f"vdirsyncer {step}",
            "s",
            1.0,
            "vdirsyncer, same events, same Radicale",
            note=note,
        )
        for step in STEPS
    ]
    figures += [
        Figure(
            f"sync {kind} (wall)",
            f"carecal {kind} wall",
            f"vdirsyncer {kind} wall",
            "s",
            None,
            "vdirsyncer, same events, same Radicale",
            note="context: wall time, push + pull",
        )
        for kind in ("first", "incremental")
    ]
    # No warm-up run: setup's scratch push and vdirsyncer's discover have loaded both programs once,
    # and every run starts from a fresh collection anyway.
    return Group(
        "sync",
        figures,
        run,
        runs=1 if ctx.quick else 3,
        warmups=0,
        setup=bench.setup,
        teardown=bench.teardown,
    )
