"""Issue 18, cold start: each spec's parse is kept under VAR_DIR by the hash of the file's bytes, and the next start
reads it from there rather than through YAML (core/parsed_specs.py); connexion still validates every spec."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from claro_backoffice.core import parsed_specs
from claro_backoffice.core.yamlload import safe_load
from claro_backoffice.gateway.app import create_app as create_gateway
from claro_backoffice.gateway.runtime import spec_path
from claro_backoffice.gateway.settings import GatewaySettings
from claro_backoffice.mocks.kit.paths import mock_specs_dir

SPEC = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n"


def _entry(var_dir, name, text):
    digest = hashlib.sha256(text.encode()).hexdigest()
    return var_dir / "specs" / f"{name}-{digest}-v{parsed_specs.FORMAT}.json"


def test_a_mock_and_the_gateway_keep_their_specs_parsed_under_var_dir(mock_apps, var_dir, tmp_path):
    mock_apps("rr")
    for name in ("rr", "admin"):
        text = (mock_specs_dir() / f"{name}.yaml").read_text(encoding="utf-8")
        assert json.loads(_entry(var_dir, name, text).read_text()) == safe_load(text)
    gateway = create_gateway(GatewaySettings(var_dir=tmp_path / "gateway"))
    gateway.runtime.close()
    text = spec_path().read_text(encoding="utf-8")
    assert json.loads(_entry(tmp_path / "gateway", "gateway", text).read_text()) == safe_load(text)


def test_the_next_load_reads_the_kept_parse_and_an_edited_spec_is_parsed_afresh(tmp_path):
    spec = tmp_path / "api.yaml"
    spec.write_text(SPEC)
    parsed = {"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {}}
    assert parsed_specs.load(spec, tmp_path / "var") == parsed
    # What is read next time is the kept file (changed here to tell it apart), not the YAML again.
    _entry(tmp_path / "var", "api", SPEC).write_text('{"kept": true}')
    assert parsed_specs.load(spec, tmp_path / "var") == {"kept": True}
    spec.write_text(SPEC.replace("T", "U"))
    assert parsed_specs.load(spec, tmp_path / "var")["info"]["title"] == "U"


def test_a_kept_parse_cut_short_is_parsed_again_and_replaced(tmp_path):
    spec = tmp_path / "api.yaml"
    spec.write_text(SPEC)
    entry = _entry(tmp_path / "var", "api", SPEC)
    entry.parent.mkdir(parents=True)
    entry.write_text('{"openapi": "3.0')
    assert parsed_specs.load(spec, tmp_path / "var")["openapi"] == "3.0.3"
    assert json.loads(entry.read_text())["openapi"] == "3.0.3"


def test_what_json_would_change_is_never_kept(tmp_path):
    """A date, or an integer key, would come back from JSON as a string: such a spec is parsed from YAML each time."""
    for number, text in enumerate([SPEC + "x-released: 2026-12-05\n", SPEC + "x-codes: {200: ok}\n"]):
        spec = tmp_path / f"api{number}.yaml"
        spec.write_text(text)
        parsed = parsed_specs.load(spec, tmp_path / "var")
        assert parsed.get("x-released", dt.date(2026, 12, 5)) == dt.date(2026, 12, 5)
        assert parsed.get("x-codes", {200: "ok"}) == {200: "ok"}
        assert not _entry(tmp_path / "var", f"api{number}", text).exists()


def test_an_unwritable_var_dir_still_gives_the_parse(tmp_path):
    spec = tmp_path / "api.yaml"
    spec.write_text(SPEC)
    (tmp_path / "file").write_text("not a folder")
    assert parsed_specs.load(spec, tmp_path / "file")["openapi"] == "3.0.3"
    assert parsed_specs.load(spec, None)["openapi"] == "3.0.3"
