"""A case planted straight into the gateway's CRM, for tests of operations that only need one to exist
(the flow tests open theirs through WhatsApp and the API)."""

from __future__ import annotations

from claro_backoffice.gateway.cases.ids import next_id


def plant_case(
    runtime,
    sandbox: str = "default",
    customer_id: str = "CUS00000003",
    account_id: str = "46271064",
    system: str = "rr",
    category: str = "SOPORTE",
    product: str = "internet",
    status: str = "open",
) -> str:
    now = runtime.clocks.now(sandbox).isoformat()
    with runtime.crm.write(sandbox) as db:
        conversation = next_id(db, "CNV")
        db["conversations"].insert(
            {
                "id": conversation,
                "wa_id": "573130568954",
                "phone_number_id": "106540352242922",
                "customer_id": customer_id,
                "entry": "base",
                "status": "assigned",
                "consent_given": 1,
                "consent_at": now,
                "advisor": "asesor.premium01",
                "assigned_at": now,
                "document_validated_at": now,
                "created_at": now,
            }
        )
        case_id = next_id(db, "CAS")
        db["cases"].insert(
            {
                "id": case_id,
                "conversation_id": conversation,
                "customer_id": customer_id,
                "account_id": account_id,
                "account_system": system,
                "category": category,
                "product": product,
                "description": "Caso sembrado para una prueba",
                "advisor": "asesor.premium01",
                "status": status,
                "created_at": now,
                "updated_at": now,
            }
        )
    return case_id


def plant_contract_state(runtime, sandbox: str = "default") -> None:
    """What the spec's examples act on, for the contract run: CNV-000001 (assigned, document validated, window
    open), CNV-000002 (queued), CAS-000001 open, CAS-000002 typified, CAS-000003 in follow-up, CAS-000004 closed
    with its survey pending, CNV-000003 (assigned, no case: the customer only asked something; window open)."""
    now = runtime.clocks.now(sandbox).isoformat()
    first = plant_case(runtime, sandbox)  # CNV-000001 + CAS-000001
    with runtime.crm.write(sandbox) as db:
        db.execute(
            "UPDATE conversations SET last_customer_message_at = ?, document_type = 'CC', "
            "document_number = '39392601' WHERE id = 'CNV-000001'",
            [now],
        )
        conversation = next_id(db, "CNV")
        db["conversations"].insert(
            {
                "id": conversation,
                "wa_id": "573231282870",
                "phone_number_id": "106540352242922",
                "entry": "base",
                "status": "queued",
                "consent_given": 1,
                "consent_at": now,
                "profile_name": "Cliente Premium",
                "advisor_requested_at": now,
                "last_customer_message_at": now,
                "created_at": now,
            }
        )
        for status, extra in (
            ("typified", {"typification_code": "SOP-INT-02", "resolved_first_contact": 0, "typified_at": now}),
            (
                "followUp",
                {
                    "typification_code": "SOP-INT-02",
                    "outcome": "followUp",
                    "follow_up_type": "SOPORTE",
                    "callback_at": now,
                },
            ),
            (
                "closed",
                {"typification_code": "SAC-FAC-01", "outcome": "closed", "closed_at": now, "survey_requested_at": now},
            ),
        ):
            db["cases"].insert(
                {
                    "id": next_id(db, "CAS"),
                    "conversation_id": "CNV-000001",
                    "customer_id": "CUS00000003",
                    "account_id": "46271064",
                    "account_system": "rr",
                    "category": "SOPORTE",
                    "product": "internet",
                    "description": "Caso del contrato",
                    "advisor": "asesor.premium01",
                    "status": status,
                    "created_at": now,
                    "updated_at": now,
                    **extra,
                }
            )
        db["conversations"].insert(
            {
                "id": next_id(db, "CNV"),
                "wa_id": "573001112233",
                "phone_number_id": "106540352242922",
                "entry": "base",
                "status": "assigned",
                "consent_given": 1,
                "consent_at": now,
                "profile_name": "Cliente Consulta",
                "advisor_requested_at": now,
                "advisor": "asesor.premium01",
                "assigned_at": now,
                "first_advisor_message_at": now,
                "last_customer_message_at": now,
                "created_at": now,
            }
        )
    assert first == "CAS-000001"
    plant_training_session(runtime)
    with runtime.crm.registry() as db:  # the token GET / DELETE /admin/tokens/{tokenId} name in their example
        db.execute(
            "INSERT OR REPLACE INTO issued_tokens (id, role, user, sandbox, issued_by, issued_at, expires_at) "
            "VALUES ('TOK-0123456789abcdef', 'asesor', 'asesor.premium01', NULL, 'admin', ?, ?)",
            ["2026-11-04T13:00:00Z", "2026-11-04T21:00:00Z"],
        )


def escalation(
    case_id: str,
    customer_id: str = "CUS00000003",
    account_id: str = "46271064",
    area: str = "SOPN2",
    typification: str = "SOP-INT-01",
    description: str = "Módem sin sincronía tras reinicio; se requiere nivel 2.",
) -> dict:
    """A POST /troubleTicket body escalating a case to a DIME area (what an ESCALAMIENTOS follow-up waits on)."""
    return {
        "@type": "Escalation",
        "description": description,
        "areaCode": area,
        "typificationCode": typification,
        "relatedEntity": [
            {"id": case_id, "role": "case", "@referredType": "Case"},
            {"id": account_id, "role": "account", "@referredType": "BillingAccount"},
        ],
        "relatedParty": [
            {"id": customer_id, "role": "customer", "@referredType": "Customer"},
            {"id": "asesor.premium01", "role": "advisor", "@referredType": "Individual"},
        ],
    }


def plant_training_session(runtime) -> None:
    """TRS-000001 (class aula-1: trainee ana on digital-invoice-request, planned) with attempt TRA-000001, what the
    /training/... examples name: the contract run, in the spec's order, starts it, finishes it, reads its reports,
    marks a manual item, disputes a mark and answers the dispute. Made through the service (its sandbox
    aula-1--ana-1 really prepared), then given the examples' ids."""
    from claro_backoffice.gateway.services import scenarios
    from claro_backoffice.gateway.training import rubric
    from claro_backoffice.gateway.training.classroom import Classroom
    from claro_backoffice.gateway.training.sessions import Training

    with runtime.crm.registry() as db:
        old = [r[0] for r in db.execute("SELECT id FROM training_sessions WHERE class = 'aula-1' OR id = 'TRS-000001'")]
        for session in old:
            db.execute("DELETE FROM training_attempts WHERE session_id = ?", [session])
            db.execute("DELETE FROM training_rubrics WHERE session_id = ?", [session])
            db.execute("DELETE FROM training_sessions WHERE id = ?", [session])
        db.execute("DELETE FROM training_attempts WHERE id = 'TRA-000001'")
    training = Training(
        runtime.crm,
        Classroom(runtime, "http://testserver"),
        rubric.load(),
        runtime.settings.training_silence_minutes,
        runtime.wall_clock,
        scenarios.names(),
    )
    made = training.create(
        {"class": "aula-1", "trainees": ["ana"], "scenarios": ["digital-invoice-request"]}, "formador"
    )
    with runtime.crm.registry() as db:
        db.execute("UPDATE training_sessions SET id = 'TRS-000001' WHERE id = ?", [made["id"]])
        db.execute("UPDATE training_rubrics SET session_id = 'TRS-000001' WHERE session_id = ?", [made["id"]])
        db.execute(
            "UPDATE training_attempts SET id = 'TRA-000001', session_id = 'TRS-000001' WHERE id = ?",
            [made["attempts"][0]["id"]],
        )
