"""Claro Colombia's WhatsApp Premium back office, simulated: the gateway, the systems' mocks, the console and the
command line (cli/)."""
