"""The agenda's rows count their own lines only when that is what Textual would measure."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.content import Content

from tui.screens.agenda import Row

TEXTS = [
    "",
    "short",
    "  14:30 ● Flu clinic this week\n        approved · FB IG",
    "x" * 50,
    "wide 日本語のテキスト " * 3,
    "a\n\nb",
    "trailing newline\n",
    "  09:00 ? " + "long title " * 8 + "\n        idea",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("width", [1, 10, 24, 40, 158])
def test_a_row_is_as_tall_as_textual_measures_it(text, width):
    row = Row.of(Text(text, style="bold"))
    assert row.get_height({}, width) == Content.get_height(row, {}, width)
    assert str(row) == text
