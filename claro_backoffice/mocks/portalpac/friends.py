"""Familia y Amigos: the numbers a line calls at preferential rates, up to the plan's maximum. A mixin of
PortalPACBackend; numbers arrive already normalised to 10 national digits (world.phones.normalise_phone)."""

from __future__ import annotations

from claro_backoffice.mocks.kit.problems import conflict, not_found, unprocessable


class FriendsAndFamily:
    def _numbers(self, msisdn: str) -> list[dict]:
        cursor = self.db.execute(
            "SELECT slot, number, added_at FROM friends_and_family WHERE msisdn = ? ORDER BY slot", [msisdn]
        )
        return [dict(zip(("slot", "number", "added_at"), r, strict=True)) for r in cursor.fetchall()]

    def _friends_view(self, line: dict) -> dict:
        numbers = self._numbers(line["msisdn"])
        maximum = line["plan"]["friends_and_family_max"]
        return {
            "msisdn": line["msisdn"],
            "account_number": line["account_number"],
            "plan_code": line["plan_code"],
            "plan_name": line["plan"]["name"],
            "max_numbers": maximum,
            "available_slots": max(0, maximum - len(numbers)),
            "numbers": numbers,
        }

    def friends_and_family(self, msisdn: str) -> dict:
        return self._friends_view(self._line(msisdn))

    def _changed(self, line: dict, operation: str, parameters: dict, detail: str) -> dict:
        self._log(line, operation, parameters, "completed", detail)
        self.db.conn.commit()
        view = self._friends_view(line)
        self.s.emit(
            "friends_and_family.changed",
            line["msisdn"],
            dict(
                parameters, msisdn=line["msisdn"], operation=operation, numbers=[n["number"] for n in view["numbers"]]
            ),
        )
        return view

    def _check_new_number(self, line: dict, operation: str, parameters: dict, number: str) -> None:
        plan, msisdn = line["plan"], line["msisdn"]
        if plan["friends_and_family_max"] == 0:
            raise self._reject(
                line,
                operation,
                parameters,
                unprocessable(
                    f"plan {plan['plan_code']} ({plan['name']}) of line {msisdn} has no Familia y Amigos",
                    "plan-without-friends-and-family",
                    plan_code=plan["plan_code"],
                ),
            )
        if number == msisdn:
            raise self._reject(
                line,
                operation,
                parameters,
                unprocessable(
                    f"{number} is line {msisdn} itself: a line can't be in its own Familia y Amigos list", "own-number"
                ),
            )
        if any(n["number"] == number for n in self._numbers(msisdn)):
            raise self._reject(
                line,
                operation,
                parameters,
                conflict(f"{number} is already in the Familia y Amigos list of line {msisdn}", "number-already-listed"),
            )

    def add_friends_and_family(self, msisdn: str, number: str) -> dict:
        line = self._line(msisdn)
        parameters = {"number": number}
        self._begin()
        self._refuse_if_suspended(line, "friends_and_family_add", parameters)
        self._check_new_number(line, "friends_and_family_add", parameters, number)
        maximum = line["plan"]["friends_and_family_max"]
        taken = {n["slot"] for n in self._numbers(msisdn)}
        if len(taken) >= maximum:
            raise self._reject(
                line,
                "friends_and_family_add",
                parameters,
                unprocessable(
                    f"line {msisdn} already has {len(taken)} Familia y Amigos numbers and plan {line['plan_code']} "
                    f"allows at most {maximum}: remove or change one instead",
                    "friends-and-family-full",
                    max_numbers=maximum,
                ),
            )
        slot = min(s for s in range(1, maximum + 1) if s not in taken)
        self.db.execute(
            "INSERT INTO friends_and_family (msisdn, slot, number, added_at) VALUES (?, ?, ?, ?)",
            [msisdn, slot, number, self._stamp()],
        )
        return self._changed(
            line,
            "friends_and_family_add",
            dict(parameters, slot=slot),
            f"{number} added to Familia y Amigos in slot {slot}",
        )

    def _listed_slot(self, line: dict, operation: str, parameters: dict, number: str) -> int:
        found = [n["slot"] for n in self._numbers(line["msisdn"]) if n["number"] == number]
        if not found:
            raise self._reject(
                line,
                operation,
                parameters,
                not_found(
                    f"{number} is not in the Familia y Amigos list of line {line['msisdn']}", "number-not-listed"
                ),
            )
        return found[0]

    def remove_friends_and_family(self, msisdn: str, number: str) -> dict:
        line = self._line(msisdn)
        parameters = {"number": number}
        self._begin()
        self._refuse_if_suspended(line, "friends_and_family_remove", parameters)
        slot = self._listed_slot(line, "friends_and_family_remove", parameters, number)
        self.db.execute("DELETE FROM friends_and_family WHERE msisdn = ? AND slot = ?", [msisdn, slot])
        return self._changed(
            line,
            "friends_and_family_remove",
            dict(parameters, slot=slot),
            f"{number} removed from Familia y Amigos (slot {slot} is free)",
        )

    def change_friends_and_family(self, msisdn: str, number: str, new_number: str) -> dict:
        line = self._line(msisdn)
        parameters = {"number": number, "new_number": new_number}
        operation = "friends_and_family_change"
        self._begin()
        self._refuse_if_suspended(line, operation, parameters)
        slot = self._listed_slot(line, operation, parameters, number)
        if new_number == number:
            raise self._reject(
                line,
                operation,
                parameters,
                unprocessable(
                    f"the new number is the same as the current one ({number}) on line {msisdn}", "same-number"
                ),
            )
        self._check_new_number(line, operation, parameters, new_number)
        self.db.execute(
            "UPDATE friends_and_family SET number = ?, added_at = ? WHERE msisdn = ? AND slot = ?",
            [new_number, self._stamp(), msisdn, slot],
        )
        return self._changed(
            line,
            operation,
            dict(parameters, slot=slot),
            f"{number} replaced by {new_number} in Familia y Amigos slot {slot}",
        )
