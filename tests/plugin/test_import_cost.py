"""The plugin costs a pytest run that does not use it nothing: loading it imports none of the back office."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.support.plugin_run import ROOT, run_pytest

OURS = ("core", "gateway", "mocks", "world", "transport", "console")


def _ours(modules) -> list[str]:
    return sorted(
        m
        for m in modules
        if m.removeprefix("claro_backoffice.").split(".")[0] in OURS
        or (m.startswith("claro_backoffice.testing.") and m != "claro_backoffice.testing.plugin")
    )


def test_importing_the_plugin_imports_none_of_the_back_office():
    code = "import sys, claro_backoffice.testing.plugin; print(' '.join(sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert _ours(run.stdout.split()) == []


def test_a_run_that_uses_no_fixture_of_it_builds_nothing(tmp_path):
    (tmp_path / "test_plain.py").write_text(
        textwrap.dedent(
            """
            import sys

            def test_plain():
                print("LOADED", " ".join(sys.modules))
            """
        )
    )
    run = run_pytest(tmp_path, "-s")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    [loaded] = [line.split("LOADED ", 1)[1].split() for line in run.stdout.splitlines() if "LOADED " in line]
    assert "claro_backoffice.testing.plugin" in loaded  # it was loaded...
    assert _ours(loaded) == []  # ...and imported nothing else
