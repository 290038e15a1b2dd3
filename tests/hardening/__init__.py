"""Issue 12: hardening (bad input, validation, limits)."""
