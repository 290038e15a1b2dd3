from tests.contract.contract import mock_contract

mock_contract(globals(), "meta")
