"""The README's in-process example ("In-process, in your own tests") runs as written, from a folder that is not the
checkout: its imports name the installed package, not the repository's old top-level folders."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.plugin_run import ROOT


def test_the_readmes_in_process_example_runs(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### In-process, in your own tests", 1)[1]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert "create_app" in example
    # The example's one free name is a test's `tmp_path`: a folder of its own here too.
    script = f"import pathlib\ntmp_path = pathlib.Path({str(tmp_path / 'var')!r})\n{example}print('ran')\n"
    (tmp_path / "example.py").write_text(script, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "example.py"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},  # this checkout's package, as an installed one would be
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0 and run.stdout.strip() == "ran", run.stderr[-3000:]
