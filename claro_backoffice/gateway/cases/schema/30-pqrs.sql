-- PQRs (peticiones, quejas y reclamos): one per case, a TMF621 complaint whose externalId is the CUN.
-- Status, overdue and silencio administrativo positivo are evaluated against the sandbox clock when read.
CREATE TABLE IF NOT EXISTS pqrs (
    id TEXT PRIMARY KEY,                 -- PQR-000001
    case_id TEXT NOT NULL UNIQUE REFERENCES cases (id),
    customer_id TEXT NOT NULL,
    cun TEXT NOT NULL UNIQUE,            -- from the registry: never reused
    description TEXT NOT NULL,
    requested_by TEXT,                   -- who files it, when not the customer themself
    filed_by TEXT,                       -- the gateway role that filed it
    filed_at TEXT NOT NULL,
    due_at TEXT NOT NULL,                -- 15 business days after filing, 23:59:59 Bogotá
    evidence_declared_at TEXT,           -- evidence gathering ("pruebas") declared before due_at
    evidence_reason TEXT,
    extended_due_at TEXT,                -- +15 business days from due_at
    answer TEXT,
    favourable INTEGER,
    answered_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pqrs_customer ON pqrs (customer_id, filed_at);

-- Recursos over the same CUN: reposición (to the provider), then apelación (to the SIC).
CREATE TABLE IF NOT EXISTS pqr_appeals (
    pqr_id TEXT NOT NULL REFERENCES pqrs (id),
    type TEXT NOT NULL,                  -- reposicion | apelacion
    reason TEXT NOT NULL,
    filed_at TEXT NOT NULL,
    PRIMARY KEY (pqr_id, type)
);
