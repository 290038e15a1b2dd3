"""Datos Compartidos: how a family plan's data pool is split among the lines of the account. A mixin of
PortalPACBackend; the pool is the plan's `shared_data_gb`, the account's plan is `accounts.plan_code`."""

from __future__ import annotations

from claro_backoffice.mocks.kit.problems import not_found, unprocessable


class SharedData:
    def _account(self, account_number: str) -> dict:
        row = self.db.execute(
            "SELECT account_number, customer_id, billing_type, plan_code FROM accounts WHERE account_number = ?",
            [account_number],
        ).fetchone()
        if row is None:
            raise not_found(
                f"account {account_number} is not a Claro mobile account known to PortalPAC", "account-not-found"
            )
        account = dict(zip(("account_number", "customer_id", "billing_type", "plan_code"), row, strict=True))
        account["plan"] = self._plan(account["plan_code"]) if account["plan_code"] else None
        return account

    @staticmethod
    def _no_pool(account: dict) -> str | None:
        plan = account["plan"]
        if plan and plan["shared_data_gb"]:
            return None
        what = f"plan {plan['plan_code']} ({plan['name']})" if plan else "no plan"
        return (
            f"account {account['account_number']} has {what}, which has no Datos Compartidos pool; only "
            "family plans share data among lines"
        )

    def _quota_rows(self, account_number: str) -> list[dict]:
        cursor = self.db.execute(
            "SELECT l.msisdn, l.status, COALESCE(s.quota_gb, 0), s.updated_at FROM lines l LEFT JOIN shared_data s "
            "ON s.account_number = l.account_number AND s.msisdn = l.msisdn WHERE l.account_number = ? "
            "ORDER BY l.msisdn",
            [account_number],
        )
        return [
            dict(zip(("msisdn", "line_status", "quota_gb", "updated_at"), r, strict=True)) for r in cursor.fetchall()
        ]

    def _shared_view(self, account: dict) -> dict:
        lines = self._quota_rows(account["account_number"])
        pool = account["plan"]["shared_data_gb"]
        assigned = sum(r["quota_gb"] for r in lines)
        return {
            "account_number": account["account_number"],
            "customer_id": account["customer_id"],
            "plan_code": account["plan_code"],
            "plan_name": account["plan"]["name"],
            "pool_gb": pool,
            "assigned_gb": assigned,
            "unassigned_gb": pool - assigned,
            "lines": lines,
        }

    def shared_data(self, account_number: str) -> dict:
        account = self._account(account_number)
        problem = self._no_pool(account)
        if problem:
            raise not_found(problem, "no-shared-data")
        return self._shared_view(account)

    def set_shared_data(self, account_number: str, quotas: list[dict]) -> dict:
        self._begin()
        account = self._account(account_number)
        current = {r["msisdn"]: r for r in self._quota_rows(account_number)}
        lines = [self._line(m) for m in sorted(current)]
        requested = {q["msisdn"]: q["quota_gb"] for q in quotas}
        parameters = {"quotas": requested}

        def refuse(detail: str, kind: str, **ext):
            problem = unprocessable(detail, kind, **ext)
            for line in lines:
                self._log(line, "shared_data_quota", parameters, "rejected", problem.detail)
            self.db.conn.commit()
            return problem

        no_pool = self._no_pool(account)
        if no_pool:
            raise refuse(no_pool, "plan-without-shared-data")
        seen = set()
        for q in quotas:
            if q["msisdn"] in seen:
                raise refuse(
                    f"line {q['msisdn']} appears twice in the quotas for account {account_number}", "duplicate-line"
                )
            seen.add(q["msisdn"])
        foreign = sorted(seen - set(current))
        if foreign:
            where = []
            for msisdn in foreign:
                row = self.db.execute("SELECT account_number FROM lines WHERE msisdn = ?", [msisdn]).fetchone()
                where.append(f"{msisdn} ({'account ' + row[0] if row else 'unknown to PortalPAC'})")
            raise refuse(
                f"line(s) {', '.join(where)} do not belong to account {account_number}; its lines are "
                f"{', '.join(sorted(current))}",
                "line-not-in-account",
            )
        missing = sorted(set(current) - seen)
        if missing:
            raise refuse(
                f"the quotas must list every line of account {account_number}; missing {', '.join(missing)}",
                "line-missing",
            )
        total, pool = sum(requested.values()), account["plan"]["shared_data_gb"]
        if total > pool:
            raise refuse(
                f"the quotas add up to {total} GB but the pool of plan {account['plan_code']} on account "
                f"{account_number} is {pool} GB",
                "pool-exceeded",
                total_gb=total,
                pool_gb=pool,
            )
        now = self._stamp()
        changes = {}
        for line in lines:
            before, after = current[line["msisdn"]]["quota_gb"], requested[line["msisdn"]]
            if before == after:
                continue
            self.db.execute(
                "INSERT INTO shared_data (account_number, msisdn, quota_gb, updated_at) VALUES "
                "(?, ?, ?, ?) ON CONFLICT (account_number, msisdn) DO UPDATE SET quota_gb = "
                "excluded.quota_gb, updated_at = excluded.updated_at",
                [account_number, line["msisdn"], after, now],
            )
            self._log(
                line,
                "shared_data_quota",
                {"from_gb": before, "to_gb": after},
                "completed",
                f"Datos Compartidos quota changed from {before} GB to {after} GB "
                f"(account {account_number}: {total} of {pool} GB assigned)",
            )
            changes[line["msisdn"]] = {"from_gb": before, "to_gb": after}
        self.db.conn.commit()
        if changes:
            self.s.emit(
                "shared_data.changed",
                account_number,
                {"account_number": account_number, "pool_gb": pool, "changes": changes},
            )
        return self._shared_view(account)
