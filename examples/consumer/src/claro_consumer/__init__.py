"""An example client of the Claro Premium back office's gateway (the care desk's side of a WhatsApp case)."""
