"""Street addresses as a Colombian advisor reads them: `Calle 45 # 8-15`, `Carrera 7 Este # 12-30 Sur`.

Faker's es_CO shapes are kept (its draws also keep the world's names where they were), with two local rules:
the plate after the dash has two digits or more (metres from the corner: `8-05`, never `8-5`), and the
quadrant words (`Sur`, `Este`, ...) appear only where the municipality's grid has them (`quadrants` in
`world/data/municipalities.yaml`), each at most once.
"""

from __future__ import annotations

import random
import re

QUADRANT_WORDS = ("Sur", "Este", "Norte", "Oeste")
# "... # <cross street>-<plate>": the cross street may carry letters (12A, 1M), the plate is digits only.
PLATE = re.compile(r"# (?P<cross>[0-9]+[A-Z]?)-(?P<plate>[0-9]+)")


def localise(address: str, municipality: dict, rng: random.Random) -> str:
    """`address` with a plate of two digits or more and only the quadrant words the municipality uses."""
    allowed = set(municipality.get("quadrants") or ())
    kept: list[str] = []
    seen: set[str] = set()
    for word in address.split(" "):
        if word in QUADRANT_WORDS and (word not in allowed or word in seen):
            continue
        seen.add(word)
        kept.append(word)
    text = " ".join(kept)
    match = PLATE.search(text)
    if match and len(match["plate"]) < 2:
        plate = f"{rng.randrange(2, 100):02d}"
        text = text[: match.start("plate")] + plate + text[match.end("plate") :]
    return text


def quadrant_words(address: str) -> list[str]:
    return [word for word in address.split(" ") if word in QUADRANT_WORDS]


def plate(address: str) -> str | None:
    match = PLATE.search(address)
    return match["plate"] if match else None
