"""The command's shape: --help for every command and subcommand (exit 0), usage errors (exit 2), a server that
can't be reached (exit 3, one line naming the URL), a problem the server answered (exit 1, its title and detail)."""

from __future__ import annotations

import pytest

from tests.cli.fake import fake_server

COMMANDS = [
    (),
    ("serve",),
    ("wait",),
    ("sandbox",),
    ("sandbox", "create"),
    ("sandbox", "reset"),
    ("sandbox", "delete"),
    ("sandbox", "list"),
    ("scenario",),
    ("scenario", "list"),
    ("scenario", "load"),
    ("contract",),
    ("journal",),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "claro-backoffice")
def test_every_command_has_help(run, command):
    ran = run(*command, "--help")
    assert ran.code == 0 and ran.err == ""
    assert ran.out.startswith(f"usage: {' '.join(('claro-backoffice', *command))} ")


def test_the_help_names_every_command_and_the_exit_codes(run):
    out = run("--help").out
    for command in ("serve", "wait", "sandbox", "scenario", "contract", "journal"):
        assert f"    {command} " in out
    assert "Exit codes: 0 ok, 1 the operation failed, 2 usage error, 3 the server could" in out


@pytest.mark.parametrize(
    "argv, says",
    [
        ((), "the following arguments are required: COMMAND"),
        (("deploy",), "invalid choice: 'deploy'"),
        (("sandbox",), "the following arguments are required: ACTION"),
        (("sandbox", "create"), "the following arguments are required: NAME"),
        (("scenario", "load", "modem-without-sync"), "the following arguments are required: --sandbox"),
        (("journal", "crm"), "argument SYSTEM: invalid choice: 'crm'"),
        (("journal", "rr", "--limit", "0"), "argument --limit: must be between 1 and 1000, not 0"),
        (("journal", "rr", "--method", "TRACE"), "argument --method: invalid choice: 'TRACE'"),
        (("serve", "--world-date", "2026-02-30"), "argument --world-date: not a date as YYYY-MM-DD: '2026-02-30'"),
        (("serve", "--port", "70000"), "argument --port: a port is 0-65535, not 70000"),
        (("serve", "--world-size", "0"), "argument --world-size: must be 1 or more, not 0"),
        (("contract", "--profile", "slow"), "argument --profile: invalid choice: 'slow'"),
        (("wait", "--timeout", "soon"), "argument --timeout: invalid float value: 'soon'"),
    ],
)
def test_a_usage_error_exits_2_saying_what_is_wrong(run, argv, says):
    ran = run(*argv)
    assert ran.code == 2 and ran.out == ""
    assert says in ran.err and ran.err.startswith("usage: claro-backoffice")


@pytest.mark.parametrize(
    "argv",
    [
        ("sandbox", "list"),
        ("sandbox", "create", "somewhere"),
        ("sandbox", "reset", "somewhere"),
        ("sandbox", "delete", "somewhere"),
        ("scenario", "list"),
        ("scenario", "load", "modem-without-sync", "--sandbox", "somewhere"),
        ("journal", "rr"),
        ("contract",),
    ],
    ids=" ".join,
)
def test_an_unreachable_server_exits_3_with_one_line_naming_the_url(run, refused_url, argv):
    ran = run(*argv, "--url", refused_url, "--token", "dev-admin")
    assert ran.code == 3 and ran.out == ""
    assert ran.err.count("\n") == 1 and "Traceback" not in ran.err
    assert ran.err == (
        f"claro-backoffice {argv[0]}: cannot reach the back office at {refused_url} "
        "(connection refused or host unknown)\n"
    )


def test_a_problem_exits_1_with_its_status_title_and_detail(cli):
    ran = cli("sandbox", "delete", "default")
    assert ran.code == 1 and ran.out == ""
    assert ran.err.startswith("claro-backoffice sandbox: 409 Conflict: ") and "default" in ran.err
    assert ran.err.count("\n") == 1 and "Traceback" not in ran.err


def test_without_a_token_the_401_says_how_to_give_one(run, server, monkeypatch):
    monkeypatch.delenv("CLARO_BACKOFFICE_TOKEN", raising=False)
    ran = run("sandbox", "list", "--url", server.base)
    assert ran.code == 1
    assert ran.err.startswith("claro-backoffice sandbox: 401 Unauthorized: ")
    assert ran.err.endswith("(give an admin token: --token or CLARO_BACKOFFICE_TOKEN)\n")


def test_url_and_token_come_from_the_environment(run, server, monkeypatch):
    monkeypatch.setenv("CLARO_BACKOFFICE_URL", server.base + "/")
    monkeypatch.setenv("CLARO_BACKOFFICE_TOKEN", "dev-admin")
    ran = run("sandbox", "list")
    assert ran.code == 0 and ran.out.splitlines()[0].split() == ["NAME", "SEED", "SYSTEMS", "MISSING", "IN"]


def test_another_kind_of_server_is_exit_1_saying_so(run):
    with fake_server(lambda *request: (200, "<html>It works!</html>")) as fake:
        ran = run("sandbox", "list", "--url", fake.url, "--token", "dev-admin")
    assert ran.code == 1 and "Traceback" not in ran.err
    assert ran.err == (
        f"claro-backoffice sandbox: 200 with a body that is not JSON: is {fake.url} a claro-backoffice server?\n"
    )


def test_ctrl_c_is_exit_1_without_a_traceback(run, monkeypatch):
    """Interrupted while waiting (the sleep between two polls): said in one line."""

    def interrupted(seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr("claro_backoffice.cli.serving.time.sleep", interrupted)
    with fake_server(lambda *request: (503, {"systems": []})) as fake:
        ran = run("wait", "--url", fake.url, "--timeout", "600")
    assert ran.code == 1 and ran.err == "claro-backoffice wait: interrupted\n"


def test_the_entry_point_is_this_main():
    """pyproject's [project.scripts] is what `pip install` turns into the `claro-backoffice` executable."""
    import importlib
    import tomllib
    from pathlib import Path

    from claro_backoffice.cli import main

    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    module, function = pyproject["project"]["scripts"]["claro-backoffice"].split(":")
    assert getattr(importlib.import_module(module), function) is main
