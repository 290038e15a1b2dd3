"""Claro Colombia's WhatsApp Premium back office, simulated: the gateway, the systems' mocks and the console."""
