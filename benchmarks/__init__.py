"""carecal's performance harness: figures measured as ratios against floors and peers in one run.

Run it with `benchmarks/run [--quick] [--json FILE]`; see docs/performance.md.
"""
