"""Building mock apps for tests: moved to the plugin's package (claro_backoffice/testing/mocks.py)."""

from claro_backoffice.testing.mocks import TEST_GATEWAY_URL, create_mock, mock_settings  # noqa: F401
