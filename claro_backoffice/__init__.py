"""Claro Colombia's WhatsApp Premium back office, simulated: the installable package (its console command: cli/)."""
