"""From plan to publisher and back: vendor bulk-upload CSVs, published links, metrics, reports.

Everything here is the data layer (no Textual): the CLI (`tui/cli_publish.py`,
`tui/cli_metrics.py`) and the TUI's export dialog and results screen call the
same functions. docs/publishing.md cites the vendor documentation each format
follows and says which formats carecal refuses because none could be found.
"""
