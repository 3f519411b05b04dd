"""`python -m tui` runs the carecal command."""

from tui.cli import main

main(prog_name="carecal")
