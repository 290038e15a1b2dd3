-- Adjustment requests made for a case: the request itself lives in RR (home) or AC (mobile), under its id there
-- (AJR… / AJC…); this row ties it to the case and keeps the last status the gateway saw.
CREATE TABLE IF NOT EXISTS case_adjustments (
    id TEXT PRIMARY KEY,                 -- the system's adjustment id
    case_id TEXT NOT NULL REFERENCES cases (id),
    system TEXT NOT NULL,                -- rr | ac
    account_id TEXT NOT NULL,
    amount INTEGER NOT NULL,             -- COP
    reason TEXT NOT NULL,
    invoice_id TEXT,
    status TEXT NOT NULL,                -- pending | approved | rejected
    requested_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by TEXT
);
CREATE INDEX IF NOT EXISTS case_adjustments_case ON case_adjustments (case_id);
