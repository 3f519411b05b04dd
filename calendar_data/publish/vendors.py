"""The publishers carecal can write a bulk-upload file for, and why it refuses the others.

A format is written only from the vendor's own help-centre description
(docs/publishing.md cites each). Where no such description could be found the
format is refused with the reason, rather than guessed: a file the vendor
rejects at upload, or worse imports wrongly, costs a team more than no file.
"""

from __future__ import annotations

from dataclasses import dataclass


class FormatRefused(ValueError):
    """A bulk-upload format carecal will not write; the message says why."""


@dataclass(frozen=True)
class VendorFormat:
    """One publisher's bulk-upload format and the documentation it follows."""

    name: str
    label: str
    source: str = ""
    """The vendor's own help-centre page the format follows ("" when none was found)."""
    why_not: str = ""
    """Why carecal refuses the format (empty for a supported one)."""

    @property
    def supported(self) -> bool:
        """Whether carecal writes this format."""
        return not self.why_not


SPROUT_SOURCE = (
    "https://support.sproutsocial.com/hc/en-us/articles/115005864203-How-do-I-use-bulk-scheduling"
)

_NOT_FOUND = (
    "no help-centre description of its bulk-upload CSV could be found (only third-party "
    "blog posts), so carecal does not guess its columns; see docs/publishing.md"
)

VENDORS: dict[str, VendorFormat] = {
    "sprout": VendorFormat("sprout", "Sprout Social", SPROUT_SOURCE),
    "hootsuite": VendorFormat("hootsuite", "Hootsuite", why_not=_NOT_FOUND),
    "buffer": VendorFormat("buffer", "Buffer", why_not=_NOT_FOUND),
    "later": VendorFormat("later", "Later", why_not=_NOT_FOUND),
}
"""Every publisher the CLI names, supported or not (so a refusal can say why)."""


def vendor_format(name: str) -> VendorFormat:
    """The supported format called `name`; FormatRefused (with the reason) otherwise."""
    found = VENDORS.get((name or "").strip().lower())
    if found is None:
        raise FormatRefused(f"format {name!r}: unknown (use {', '.join(VENDORS)})")
    if not found.supported:
        raise FormatRefused(f"format {found.name!r}: {found.label}: {found.why_not}")
    return found
