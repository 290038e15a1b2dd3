"""The CI job examples for users' repositories (issue 17): valid against GitHub's and GitLab's published workflow
schemas (check-jsonschema's vendored copies, so no network), and doing what README "CI jobs" says, in order: start
`serve` in the background on loopback, wait for it, run the contract command, then the user's tests through the
pytest plugin on that server."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from claro_backoffice import serve
from tests.deploy.cli_syntax import check, invocations
from tests.deploy.kube import ROOT

EXAMPLES = ROOT / "examples" / "ci"
SCHEMAS = {"github-actions.yml": "vendor.github-workflows", "gitlab-ci.yml": "vendor.gitlab-ci"}


def scripts(name: str) -> list[str]:
    """The shell the job runs, in order: each step's `run` (GitHub) or each `script` line (GitLab)."""
    document = yaml.safe_load((EXAMPLES / name).read_text())
    if name == "github-actions.yml":
        (job,) = document["jobs"].values()
        return [step["run"] for step in job["steps"] if "run" in step and "if" not in step]
    (job,) = [value for key, value in document.items() if isinstance(value, dict) and "script" in value]
    return job["script"]


def job_variables(name: str) -> dict:
    document = yaml.safe_load((EXAMPLES / name).read_text())
    if name == "github-actions.yml":
        (job,) = document["jobs"].values()
        return job["env"]
    (job,) = [value for key, value in document.items() if isinstance(value, dict) and "script" in value]
    return job["variables"]


@pytest.mark.parametrize("name", SCHEMAS)
def test_valid_against_the_public_workflow_schema(name):
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", SCHEMAS[name], str(EXAMPLES / name)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("name", SCHEMAS)
def test_serves_waits_runs_the_contract_then_the_users_tests(name):
    lines = [line for script in scripts(name) for line in script.replace("\\\n", " ").splitlines() if line.strip()]
    install = next(n for n, line in enumerate(lines) if "pip install" in line and "claro-backoffice" in line)
    assert "claro-backoffice[pytest,contract]" in lines[install]
    runs = [(n, words, background) for n, line in enumerate(lines) for words, background in invocations(line)]
    assert [words[0] for _, words, _ in runs] == ["serve", "wait", "contract"]
    (at_serve, serve_words, in_background), (at_wait, wait_words, _), (at_contract, _, _) = runs
    assert install < at_serve < at_wait < at_contract
    assert in_background  # the job goes on while it serves
    options = {words[0]: check(words) for _, words, _ in runs}
    # Loopback: the development tokens are the defaults there (and serve refuses them anywhere else).
    assert serve.is_loopback(options["serve"]["--host"])
    url = f"http://{options['serve']['--host']}:{options['serve']['--port']}"
    assert job_variables(name)["CLARO_BACKOFFICE_URL"] == url
    assert options["wait"]["--url"] == "$CLARO_BACKOFFICE_URL"
    tests = [n for n, line in enumerate(lines) if "pytest" in line and "pip" not in line]
    assert tests and tests[0] > at_contract
    assert '--backoffice-url "$CLARO_BACKOFFICE_URL"' in lines[tests[0]]
