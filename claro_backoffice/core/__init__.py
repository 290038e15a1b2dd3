"""What the gateway and the mocks both use, so neither imports the other."""
