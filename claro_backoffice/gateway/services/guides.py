"""The advisor's guide (world/data/guides.yaml): per symptom and product, the systems to consult in order, the
gateway operation behind each step, and the typification codes that may follow. The procedure defers the
step-by-step to T&D and UCC, which we do not have: the order and the conditions are ours, and each step cites where
the system's use is stated (or says UNVERIFIED). Read-only; the same in every sandbox.

The codes are joined with the typification catalogue the gateway was built with (category, description)."""

from __future__ import annotations

import threading
from importlib import resources

from claro_backoffice.core.yamlload import safe_load
from claro_backoffice.gateway.domain_errors import NotFound

UNVERIFIED = "UNVERIFIED"


def catalogue() -> list[dict]:
    """The guide as written in the data file, read when asked (a small file; nothing at import time)."""
    text = resources.files("claro_backoffice.world").joinpath("data", "guides.yaml").read_text(encoding="utf-8")
    return safe_load(text)


class GuideBook:
    """One gateway's guide, parsed on first use and kept: parsing it took ~30 ms, a third of a whole case flow when
    every close read it again (issue 18). Callers read the parsed guides and never change them."""

    def __init__(self) -> None:
        self._guides: list[dict] | None = None
        self._lock = threading.Lock()

    def guides(self) -> list[dict]:
        with self._lock:
            if self._guides is None:
                self._guides = catalogue()
            return self._guides


def follow_up_types(book: GuideBook, code: str) -> list[str]:
    """The follow-up types the guide closes a case typified `code` with (its order; [] when it names none)."""
    found = [t.get("followUpType") for g in book.guides() for t in g.get("typifications") or [] if t["code"] == code]
    return list(dict.fromkeys(f for f in found if f))


def find(book: GuideBook, typifications: dict, product: str | None = None, symptom: str | None = None) -> list[dict]:
    """The guides serving `product` (every one without it); with `symptom`, that one guide, or a 404 that says
    which symptoms (or which products) there are."""
    guides = book.guides()
    if symptom is not None:
        guide = _by_symptom(guides, symptom)
        if product is not None and product not in guide["products"]:
            raise NotFound(
                f"the guide '{symptom}' is for {', '.join(guide['products'])}, not {product} "
                f"(GET /guides?product={product} lists the guides for {product})",
                "guide-not-found",
            )
        return [view(guide, typifications)]
    return [view(g, typifications) for g in guides if product is None or product in g["products"]]


def one(book: GuideBook, typifications: dict, symptom: str) -> dict:
    return view(_by_symptom(book.guides(), symptom), typifications)


def _by_symptom(guides: list[dict], symptom: str) -> dict:
    for guide in guides:
        if guide["symptom"] == symptom:
            return guide
    known = ", ".join(g["symptom"] for g in guides)
    raise NotFound(f"there is no guide for the symptom '{symptom}'; the symptoms are: {known}", "guide-not-found")


def operation(text: str | None) -> dict | None:
    """`GET /serviceProblem?accountId={accountId}` -> {method, path, query (or null)}. The path is a template
    relative to the API's base URL (`serviceProblem`, against `…/api/v1/`): a leading slash would read as a URL of
    this server, and a client that follows URLs found in bodies (schemathesis's stateful run does) would call
    `/billingAccounts/{accountId}` with the braces in it."""
    if text is None:
        return None
    method, target = text.split(" ", 1)
    path, _, query = target.partition("?")
    return {"method": method, "path": path.lstrip("/"), "query": query or None}


def view(guide: dict, typifications: dict) -> dict:
    steps = [
        {
            "order": n,
            "system": step["system"],
            "action": step["action"],
            "operation": operation(step.get("operation")),
            "line": step.get("line"),
            "when": step.get("when"),
            "area": step.get("area"),
            "source": step["source"],
            "verified": not step["source"].startswith(UNVERIFIED),
        }
        for n, step in enumerate(guide["steps"], start=1)
    ]
    options = [
        {
            "code": option["code"],
            "category": typifications[option["code"]]["category"],
            "description": typifications[option["code"]]["description"],
            "when": option["when"],
            "outcome": "followUp" if option["followUpType"] else "closed",
            "followUpType": option["followUpType"],
        }
        for option in guide["typifications"]
    ]
    return {
        "symptom": guide["symptom"],
        "label": guide["label"],
        "category": guide["category"],
        "line": guide["line"],
        "products": list(guide["products"]),
        "systems": list(dict.fromkeys(s["system"] for s in steps)),
        "steps": steps,
        "typifications": options,
    }
