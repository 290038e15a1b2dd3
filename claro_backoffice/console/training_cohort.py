"""A class's cohort (`/formacion/clases/<class>/cohorte`): trainees x rubric items, each cell the item's mastery
(the gateway's formula, `GET /training/classes/{class}/cohort`, said on the page), coloured and written as a percent
with its band's word; per scenario how many trainees' latest attempt passed; each trainee's certifications.
The trainer's screen: a token that may not read the cohort gets the gateway's refusal in Spanish."""

from __future__ import annotations

import re

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from claro_backoffice.console import training_wording as words
from claro_backoffice.console.client import ApiError
from claro_backoffice.console.training_report import explain
from claro_backoffice.console.web import gateway, signed_in

blueprint = Blueprint("training_cohort", __name__)
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PROGRESS = 0.5  # the display's own middle band (not the gateway's rule): below it an item is "por reforzar"


def band(cell: dict, mastered: float) -> dict:
    """A cell as the page shows it: its band (class and word) and its percent."""
    value = cell.get("mastery")
    if value is None:
        return {"band": "none", "word": "sin datos", "text": "—"}
    if value >= mastered:
        kind, word = "mastered", "dominado"
    elif value >= PROGRESS:
        kind, word = "progress", "en progreso"
    else:
        kind, word = "weak", "por reforzar"
    return {"band": kind, "word": word, "text": words.percent(round(100 * value, 2))}


@blueprint.get("/formacion/clases/<klass>/cohorte")
@signed_in
def show(klass: str) -> ResponseReturnValue:
    if not NAME.match(klass):
        return render_template("error.html", message="Esta página no existe."), 404
    try:
        cohort = gateway().get(f"/training/classes/{klass}/cohort")
    except ApiError as exc:
        status = exc.status if 400 <= exc.status < 500 else 502
        return render_template("error.html", message=explain("No fue posible leer la cohorte", exc)), status
    mastered = cohort["mastery"]["mastered"]
    titles = {c["id"]: c["title"] for c in cohort["certifications"]}
    rows = [
        {
            "trainee": r["trainee"],
            "cells": [r["items"][i["id"]] | band(r["items"][i["id"]], mastered) for i in cohort["items"]],
            "certifications": [titles.get(c, c) for c in r["certifications"]],
            "passed": r["scenariosPassed"],
        }
        for r in cohort["trainees"]
    ]
    return render_template(
        "training_cohort.html",
        klass=klass,
        cohort=cohort,
        rows=rows,
        holders={cid: [r["trainee"] for r in cohort["trainees"] if cid in r["certifications"]] for cid in titles},
        mastered=words.percent(100 * mastered),
        progress=words.percent(100 * PROGRESS),
    )
