"""`python -m tui` runs the carecal command."""

from tui.cli.entry import main

main(prog_name="carecal")
