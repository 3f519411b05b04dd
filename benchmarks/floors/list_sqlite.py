"""Floor for `posts list --json`: sqlite3 and json from the standard library, nothing else.

Usage: python list_sqlite.py DB FROM TO
Prints the posts dated in [FROM, TO] with their channels and tags as a JSON array, one post a line.
"""

import json
import sqlite3
import sys

SQL = """
SELECT p.id, p.title, p.post_date, p.post_time, p.status, p.body, p.hashtags,
       (SELECT group_concat(channel, ',') FROM post_channels pc WHERE pc.post_id = p.id),
       (SELECT json_group_array(t.name) FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = p.id)
FROM posts p WHERE p.post_date BETWEEN ? AND ? ORDER BY p.post_date, p.post_time, p.id
"""


def main(db: str, start: str, end: str) -> None:
    conn = sqlite3.connect(db)
    rows = conn.execute(SQL, [start, end]).fetchall()
    out = [
        {
            "id": r[0],
            "title": r[1],
            "date": r[2],
            "time": r[3],
            "status": r[4],
            "body": r[5],
            "hashtags": json.loads(r[6]),
            "channels": r[7].split(",") if r[7] else [],
            "tags": json.loads(r[8]),
        }
        for r in rows
    ]
    sys.stdout.write("[\n" + ",\n".join(json.dumps(o, ensure_ascii=False) for o in out) + "\n]\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
