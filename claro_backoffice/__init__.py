"""The Claro Premium back office as an installable package."""
