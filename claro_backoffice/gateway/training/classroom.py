"""The sandbox side of a training attempt: preparing the trainee's sandbox (created if needed, reset, the scenario
loaded, a token issued for the asesor the trainee acts as), starting the scenario's practice customer, reading the
sandbox's virtual clock, and freezing the evidence the scorer reads (the conversation with its messages, the case
with its timeline, the systems' journal) up to the moment the attempt ended.

Who the trainee acts as: an active Almabi asesor of the sandbox (the trainee's position in the class picks which),
because taking a conversation, typifying and closing need a real asesor and the welcome names them; the session
records which trainee acted as whom."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from concurrent.futures import ThreadPoolExecutor

from claro_backoffice.core.systems import SYSTEMS
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.cases.cases import Cases
from claro_backoffice.gateway.cases.conversations import Conversations
from claro_backoffice.gateway.cases.ending import Timers
from claro_backoffice.gateway.domain_errors import NotFound, RuleBroken
from claro_backoffice.gateway.practice.customer import PracticeCustomer
from claro_backoffice.gateway.runtime import GatewayRuntime
from claro_backoffice.gateway.services import admin, scenarios
from claro_backoffice.gateway.services.tokens import TokenService
from claro_backoffice.gateway.services.workforce import agents

JOURNAL_LIMIT = 500  # what each system keeps (MOCK_JOURNAL_LIMIT's default): all of a fresh sandbox's attempt


@dataclasses.dataclass
class Classroom:
    runtime: GatewayRuntime
    base: str  # where the API is mounted (the views' hrefs)

    def _ctx(self, sandbox: str) -> CallContext:
        rt = self.runtime
        return CallContext(sandbox, uuid.uuid4().hex, None, rt.backoffice.clock() + rt.settings.deadline)

    @property
    def _executor(self) -> ThreadPoolExecutor:
        return self.runtime.executor

    def exists(self, sandbox: str) -> bool:
        return any(s["name"] == sandbox for s in self.runtime.backoffice.meta.list_sandboxes(CallContext()))

    def create(self, sandbox: str) -> None:
        admin.create_sandbox(self.runtime.backoffice, self._executor, self._ctx("default"), sandbox, None)
        self.runtime.sandboxes.forget(sandbox)  # a cached "unknown" must not outlive its creation

    def remove(self, sandbox: str) -> None:
        """Delete the sandbox everywhere (absent systems tolerated), the gateway's state for it with it."""
        rt = self.runtime
        try:
            admin.delete_sandbox(rt.backoffice, self._executor, self._ctx("default"), sandbox)
        except NotFound:  # in no system: nothing to delete there
            pass
        finally:
            rt.clocks.forget(sandbox)
            rt.sandboxes.forget(sandbox)
            rt.crm.delete(sandbox)
            scenarios.forget_sandbox(rt.settings.var_dir, sandbox)

    def prepare(self, sandbox: str, scenario: str, position: int, issued_by: str, minutes: int) -> dict:
        """Reset the (existing) sandbox, load the scenario; the asesor and a token pinned to the sandbox."""
        rt, ctx = self.runtime, self._ctx(sandbox)
        try:
            admin.reset_sandbox(rt.backoffice, self._executor, ctx, sandbox)
        finally:
            rt.clocks.forget(sandbox)
            if rt.crm.exists(sandbox):
                rt.crm.reset(sandbox)
        extra = scenarios.trainer_dirs(rt.settings.var_dir, sandbox)
        scenarios.load(rt.backoffice, self._executor, ctx, scenario, extra=extra)
        asesores = agents(rt.backoffice, ctx, status="active", role="asesor")
        if not asesores:
            raise RuleBroken(f"sandbox '{sandbox}' has no active asesor in Almabi to act as", "no-asesor")
        advisor = asesores[(position - 1) % len(asesores)]
        token = self.issue(advisor["username"], sandbox, minutes, issued_by)
        return {"advisor": advisor["username"], "firstName": advisor["firstName"], "token": token}

    def _tokens(self) -> TokenService:
        rt = self.runtime
        return TokenService(rt.crm, rt.settings.token_secret, rt.wall_clock)

    def issue(self, advisor: str, sandbox: str, minutes: int, issued_by: str) -> dict:
        """A token acting as the asesor, pinned to the sandbox (the trainee's access card)."""
        return self._tokens().issue("asesor", advisor, sandbox, minutes, issued_by)

    def revoke(self, token_id: str, revoked_by: str) -> None:
        self._tokens().revoke(token_id, revoked_by)

    def begin(self, sandbox: str, scenario: str) -> dt.datetime:
        """The scenario's customer starts writing now (the sandbox's virtual time)."""
        rt, ctx = self.runtime, self._ctx(sandbox)
        read = scenarios.read(scenario, extra=scenarios.trainer_dirs(rt.settings.var_dir, sandbox))
        PracticeCustomer(rt.crm, rt.clocks, rt.backoffice.meta, ctx, rt.numbers.of(sandbox)).start(read)
        return rt.clocks.now(sandbox)

    def now(self, sandbox: str) -> dt.datetime:
        return self.runtime.clocks.now(sandbox)

    def freeze(self, sandbox: str, scenario: str, advisor: dict, until: dt.datetime) -> dict:
        """The evidence of the attempt, cut at `until` (what happened after the time limit is not the attempt's);
        the practice customer stops."""
        return self.evidence(sandbox, scenario, advisor, until, stop=True)

    def evidence(self, sandbox: str, scenario: str, advisor: dict, until: dt.datetime, stop: bool = False) -> dict:
        """The attempt's evidence as it stands (the live view), the practice customer having said what is due."""
        rt, ctx = self.runtime, self._ctx(sandbox)
        read = scenarios.read(scenario, extra=scenarios.trainer_dirs(rt.settings.var_dir, sandbox))
        customer = PracticeCustomer(rt.crm, rt.clocks, rt.backoffice.meta, ctx, rt.numbers.of(sandbox))
        customer.catch_up()
        if stop:
            customer.stop()
        s = rt.settings
        chats = Conversations(
            ctx,
            self.base,
            crm=rt.crm,
            clocks=rt.clocks,
            backoffice=rt.backoffice,
            executor=self._executor,
            business_number=rt.numbers.of(sandbox),
            abandon_minutes=s.abandon_minutes,
            timers=Timers(s.closing_question_minutes, s.inactivity_minutes),
        )
        wa_id = "57" + str(read["customer"]["phone"])
        listed = [c for c in chats.list(None, None, 50, 0)["conversations"] if c["waId"] == wa_id]
        conversation = chats.get(listed[0]["id"]) if listed else None
        case = None
        if conversation and conversation["cases"]:
            cases = Cases(
                ctx,
                self.base,
                crm=rt.crm,
                clocks=rt.clocks,
                backoffice=rt.backoffice,
                executor=self._executor,
                typifications=rt.typifications,
                repeat_window_days=s.repeat_window_days,
            )
            case = cases.get(conversation["cases"][0])
        journal = []
        for system in SYSTEMS:  # one by one: Meta's traffic (the chat itself) must not crowd the systems' calls out
            if system != "meta":
                entries = admin.journal(rt.backoffice, self._executor, ctx, system, JOURNAL_LIMIT)["entries"]
                journal += [
                    {k: e.get(k) for k in ("system", "at", "method", "path", "status")} for e in reversed(entries)
                ]
        journal.sort(key=lambda e: dt.datetime.fromisoformat(e["at"]))  # stable: each system keeps its oldest first
        return cut(
            {
                "scenario": {"name": scenario, "expected": read["expected"], "customer": read["customer"]},
                "advisor": advisor,
                "conversation": conversation,
                "case": case,
                "journal": journal,
                "endedAt": until.isoformat(),
            },
            until,
        )


def cut(evidence: dict, until: dt.datetime) -> dict:
    """Leave out what happened after `until`."""

    def before(text: str | None) -> bool:
        return text is None or dt.datetime.fromisoformat(text) <= until

    if evidence["conversation"]:
        messages = evidence["conversation"].get("messages", [])
        evidence["conversation"]["messages"] = [m for m in messages if before(m["sendTime"])]
    if evidence["case"]:
        evidence["case"]["timeline"] = [t for t in evidence["case"].get("timeline", []) if before(t["at"])]
    evidence["journal"] = [j for j in evidence["journal"] if before(j["at"])]
    return evidence
