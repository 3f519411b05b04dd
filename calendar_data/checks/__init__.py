"""Checks: what must be true of a post before it may be approved, and the gate that enforces it.

- `phi`, `phi_patterns`, `phi_phones`: identifying details in copy (`phi_eval` measures them on
  labelled sets); `channel_rules`: each network's limits, counted by `channel_counting`;
- `evidence_sources`: the trusted domains for one post (the team's plus its observance's site);
- `findings`: the pure checks over one post (PHI, consent, evidence, claims, channels);
- `overrides`: reviewers' recorded acceptances of PHI findings (the `overrides` table);
- `review`: the checks fed with what the calendar stores (settings, overrides);
- `workflow`: which status may follow which;
- `approval`: the gate every save into approved or later passes, and accepting a finding.

Outside this package, import `approval`, `review`, `workflow` and `findings` (the public face);
the iCal package never reaches into the others (an import-linter contract).
"""
