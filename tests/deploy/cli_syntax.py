"""The `claro-backoffice` command lines the deployment files run, checked against the syntax agreed for the CLI
(ROUND6 / README "The command"): a misspelt option in a manifest or a CI example fails here, not in a user's
pipeline."""

from __future__ import annotations

import re
import shlex

# subcommand -> option -> whether it takes a value
AGREED = {
    "serve": {
        "--host": True,
        "--port": True,
        "--split": False,
        "--var-dir": True,
        "--world-seed": True,
        "--world-size": True,
        "--world-date": True,
        "--replica-id": True,
        "--peers": True,
    },
    "wait": {"--url": True, "--token": True, "--timeout": True},
    "contract": {"--sandbox": True, "--profile": True, "--url": True, "--token": True},
}
REQUIRED = {"wait": {"--url"}}
_SHELL = re.compile(r"^(\d*>.*|&&?|\|\|?|;)$")  # where a command's own words end: a redirection, &, |, ;


def invocations(script: str) -> list[tuple[list[str], bool]]:
    """Every `claro-backoffice ...` in a shell script: (its words after the program, whether it runs in the
    background)."""
    found = []
    for line in script.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        for start in [n for n, word in enumerate(words) if word == "claro-backoffice"]:
            end = next((n for n in range(start + 1, len(words)) if _SHELL.match(words[n])), len(words))
            found.append((words[start + 1 : end], "&" in words[end:]))
    return found


def check(words: list[str]) -> dict[str, str | None]:
    """`words` (a subcommand and its options) as the agreed CLI reads them -> {option: value}; an AssertionError
    names what is not agreed."""
    command, rest = words[0], words[1:]
    assert command in AGREED, f"claro-backoffice {command}: not an agreed subcommand"
    options: dict[str, str | None] = {}
    while rest:
        option = rest.pop(0)
        assert option in AGREED[command], f"claro-backoffice {command}: {option} is not one of its options"
        options[option] = rest.pop(0) if AGREED[command][option] else None
    missing = REQUIRED.get(command, set()) - set(options)
    assert not missing, f"claro-backoffice {command} needs {', '.join(sorted(missing))}"
    return options
