"""The period report as JSON, Markdown or a self-contained HTML page with inline SVG charts.

The HTML needs nothing but a browser: styles inline, charts as hand-written
SVG (one horizontal bar per group, its length the engagement rate), no script
and no external resource, so it can be mailed to a comms director as a file.
Every text from the calendar is escaped.
"""

from __future__ import annotations

from html import escape

from calendar_data.publish.report import DIMENSIONS, Group, Performance, PostScore

TITLES = {
    "content_type": "Content type",
    "tag": "Tag",
    "campaign": "Campaign",
    "observance": "Linked observance",
    "channel": "Channel",
    "weekday": "Weekday",
    "hour": "Hour (team time)",
}
CHART_WIDTH = 800
LABEL_WIDTH = 220
BAR_AREA = 360
ROW = 24


def percent(rate: float | None) -> str:
    """A rate as people read it: 4.2% (or an en dash when nothing was seen)."""
    return "–" if rate is None else f"{rate * 100:.1f}%"


def to_json(perf: Performance) -> dict:
    """The report as plain data (the `--format json` output)."""
    return {
        "from": perf.start.isoformat(),
        "to": perf.end.isoformat(),
        "impressions": perf.impressions,
        "engagements": perf.engagements,
        "engagement_rate": None if perf.rate is None else round(perf.rate, 6),
        "measured_posts": len({r.post.id for r in perf.results}),
        "posts_without_metrics": perf.posts_without_metrics,
        "groups": {name: [_group_json(g) for g in perf.groups[name]] for name in DIMENSIONS},
        "best": [_score_json(s) for s in perf.best],
        "worst": [_score_json(s) for s in perf.worst],
    }


def _group_json(group: Group) -> dict:
    return {
        "key": group.key,
        "label": group.label,
        "posts": group.posts,
        "impressions": group.impressions,
        "engagements": group.engagements,
        "engagement_rate": None if group.rate is None else round(group.rate, 6),
    }


def _score_json(score: PostScore) -> dict:
    return {
        "post_id": score.post.id,
        "title": score.post.title,
        "date": score.post.day.isoformat(),
        "channels": [c.value for c in score.channels],
        "impressions": score.impressions,
        "engagements": score.engagements,
        "engagement_rate": None if score.rate is None else round(score.rate, 6),
    }


def to_markdown(perf: Performance) -> str:
    """The report as Markdown tables (for a wiki page or an email)."""
    lines = [
        f"# What strikes a chord: {perf.start} to {perf.end}",
        "",
        f"{len({r.post.id for r in perf.results})} posts measured, {perf.impressions:,} impressions, "
        f"{perf.engagements:,} engagements, engagement rate {percent(perf.rate)}"
        + (
            f"; {perf.posts_without_metrics} posts in the period have no metrics yet."
            if perf.posts_without_metrics
            else "."
        ),
        "",
    ]
    for name in DIMENSIONS:
        lines += [
            f"## By {TITLES[name].lower()}",
            "",
            "| | posts | impressions | engagements | rate |",
            "|---|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {_md(g.label)} | {g.posts} | {g.impressions:,} | {g.engagements:,} | {percent(g.rate)} |"
            for g in perf.groups[name]
        ] or ["| (no data) | | | | |"]
        lines.append("")
    for title, scores in (("Best posts", perf.best), ("Worst posts", perf.worst)):
        lines += [
            f"## {title}",
            "",
            "| post | date | channels | impressions | engagements | rate |",
            "|---|---|---|---:|---:|---:|",
        ]
        lines += [
            f"| #{s.post.id} {_md(s.post.title)} | {s.post.day} | {', '.join(s.channels)} | "
            f"{s.impressions:,} | {s.engagements:,} | {percent(s.rate)} |"
            for s in scores
        ] or ["| (no data) | | | | | |"]
        lines.append("")
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


_STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;margin:2rem auto;max-width:60rem;
padding:0 1rem}h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d8dce4}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{padding:.2rem .6rem;border-bottom:1px solid #eef0f4;
text-align:left}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.summary{background:#f4f6fa;
padding:.8rem 1rem;border-radius:6px}svg text{font:12px system-ui,sans-serif;fill:#1d2330}svg .bar{fill:#2f6fb0}
svg .empty{fill:#c4c9d4}
"""


def to_html(perf: Performance) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, no script)."""
    title = f"What strikes a chord: {perf.start} to {perf.end}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="summary">{escape(_summary(perf))}</p>',
    ]
    for name in DIMENSIONS:
        groups = perf.groups[name]
        parts += [
            f'<section id="{name}">',
            f"<h2>By {escape(TITLES[name].lower())}</h2>",
            svg_chart(groups, f"Engagement rate by {TITLES[name].lower()}", name),
            _group_table(groups),
            "</section>",
        ]
    for key, label, scores in (
        ("best", "Best posts", perf.best),
        ("worst", "Worst posts", perf.worst),
    ):
        parts += [f'<section id="{key}">', f"<h2>{label}</h2>", _score_table(scores), "</section>"]
    parts += [
        "<p><small>Engagements are reactions, comments, shares, saves and clicks; the rate is engagements "
        "per impression, from each post's newest imported export. Generated by carecal.</small></p>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def _summary(perf: Performance) -> str:
    text = (
        f"{len({r.post.id for r in perf.results})} posts measured: {perf.impressions:,} impressions, "
        f"{perf.engagements:,} engagements, engagement rate {percent(perf.rate)}."
    )
    if perf.posts_without_metrics:
        text += f" {perf.posts_without_metrics} posts in the period have no metrics yet."
    return text


def svg_chart(groups: tuple[Group, ...], title: str, name: str) -> str:
    """A horizontal bar chart of the groups' engagement rates, as inline SVG."""
    top = max((g.rate or 0 for g in groups), default=0)
    height = ROW * max(len(groups), 1) + 8
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-dimension="{name}" role="img" '
        f'width="{CHART_WIDTH}" height="{height}" viewBox="0 0 {CHART_WIDTH} {height}" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    if not groups:
        out.append(f'<text x="0" y="{ROW - 8}">No matched metrics in this period.</text>')
    for i, group in enumerate(groups):
        y = i * ROW + 4
        width = round(BAR_AREA * (group.rate or 0) / top, 1) if top else 0.0
        label = group.label if len(group.label) <= 30 else group.label[:29] + "…"
        out += [
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>',
            f'<rect class="{"bar" if width else "empty"}" x="{LABEL_WIDTH}" y="{y + 3}" '
            f'width="{max(width, 1.0)}" height="{ROW - 8}" data-key="{escape(group.key)}" '
            f'data-rate="{"" if group.rate is None else round(group.rate, 6)}"/>',
            f'<text x="{LABEL_WIDTH + max(width, 1.0) + 6}" y="{y + 15}">'
            f"{escape(percent(group.rate))} · {group.posts} posts · {group.impressions:,} impr.</text>",
        ]
    out.append("</svg>")
    return "\n".join(out)


def _group_table(groups: tuple[Group, ...]) -> str:
    rows = "".join(
        f"<tr><td>{escape(g.label)}</td><td class=n>{g.posts}</td><td class=n>{g.impressions:,}</td>"
        f"<td class=n>{g.engagements:,}</td><td class=n>{percent(g.rate)}</td></tr>"
        for g in groups
    )
    return (
        "<table><thead><tr><th></th><th class=n>posts</th><th class=n>impressions</th>"
        f"<th class=n>engagements</th><th class=n>rate</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _score_table(scores: tuple[PostScore, ...]) -> str:
    if not scores:
        return "<p>No matched metrics in this period.</p>"
    rows = "".join(
        f"<tr><td>#{s.post.id} {escape(s.post.title)}</td><td>{s.post.day}</td>"
        f"<td>{escape(', '.join(s.channels))}</td><td class=n>{s.impressions:,}</td>"
        f"<td class=n>{s.engagements:,}</td><td class=n>{percent(s.rate)}</td></tr>"
        for s in scores
    )
    return (
        "<table><thead><tr><th>post</th><th>date</th><th>channels</th><th class=n>impressions</th>"
        f"<th class=n>engagements</th><th class=n>rate</th></tr></thead><tbody>{rows}</tbody></table>"
    )
