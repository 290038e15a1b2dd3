"""A class's cohort data: trainees x rubric items coloured by mastery, per scenario how many pass, certifications.

Mastery of an item = the mean of its marks over the trainee's last `mastery.attempts` (3) finished attempts where
it applied (automatic items, and manual ones once marked); mastered at >= `mastery.mastered` (0.8); null when it
never applied. A scenario's `passed` counts trainees whose latest attempt at it passed. A certification (the
rubric's `certifications`) is held by a trainee who passed each of its scenarios at least once. The rubric is the copy
kept by the class's latest session (`rubricVersion`); each attempt's marks are those of its own session's copy."""

from __future__ import annotations


def cohort(rubric: dict, klass: str, attempts: list[dict]) -> dict:
    """`attempts`: the class's finished attempts, oldest first, each {trainee, scenario, finishedAt, result}."""
    keep, mastered = rubric["mastery"]["attempts"], rubric["mastery"]["mastered"]
    trainees = list(dict.fromkeys(a["trainee"] for a in attempts))
    rows = []
    for trainee in trainees:
        mine = [a for a in attempts if a["trainee"] == trainee]
        items = {}
        for item in rubric["items"]:
            marks = [m for m in (_mark(a, item["id"]) for a in mine) if m is not None][-keep:]
            value = round(sum(marks) / len(marks), 4) if marks else None
            items[item["id"]] = {
                "mastery": value,
                "attempts": len(marks),
                "mastered": value is not None and value >= mastered,
            }
        passed = {a["scenario"] for a in mine if a["result"]["passed"]}
        rows.append(
            {
                "trainee": trainee,
                "items": items,
                "scenariosPassed": sorted(passed),
                "certifications": [c["id"] for c in rubric["certifications"] if set(c["scenarios"]) <= passed],
            }
        )
    scenarios = []
    for name in dict.fromkeys(a["scenario"] for a in attempts):
        latest = {a["trainee"]: a for a in attempts if a["scenario"] == name}  # oldest first: the last one stays
        scenarios.append(
            {
                "scenario": name,
                "trainees": len(latest),
                "passed": sum(1 for a in latest.values() if a["result"]["passed"]),
            }
        )
    return {
        "class": klass,
        "rubricVersion": rubric["version"],
        "items": [{"id": i["id"], "title": i["title"], "steps": i["steps"]} for i in rubric["items"]],
        "mastery": rubric["mastery"],
        "trainees": rows,
        "scenarios": scenarios,
        "certifications": rubric["certifications"],
    }


def _mark(attempt: dict, item_id: str) -> int | None:
    return next((i["mark"] for i in attempt["result"]["items"] if i["id"] == item_id), None)
