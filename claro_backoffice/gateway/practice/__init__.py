"""Practice mode: a scripted customer who answers the advisor by a scenario's reply rules (no model, no network)."""
