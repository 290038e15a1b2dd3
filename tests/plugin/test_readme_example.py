"""The README's example of the plugin ("Use it from your repository") runs as written, in a user's pytest run."""

from __future__ import annotations

from tests.support.plugin_run import ROOT, run_pytest


def test_the_readmes_example_passes(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use it from your repository", 1)[1]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert "def test_" in example
    (tmp_path / "test_readme.py").write_text(example)
    run = run_pytest(tmp_path)
    assert run.returncode == 0 and "1 passed" in run.stdout, run.stdout[-4000:] + run.stderr[-2000:]
