"""What the gateway and the mocks both use; imports neither."""
