"""Code that both the gateway and the mocks use (neither imports the other)."""
