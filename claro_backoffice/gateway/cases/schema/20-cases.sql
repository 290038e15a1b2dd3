-- Cases: one request of a customer in a conversation (several per conversation), a state machine:
-- open -> typified -> closed | followUp -> closed (cierre posterior).
CREATE TABLE IF NOT EXISTS cases (
    id TEXT PRIMARY KEY,                 -- CAS-000001
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    customer_id TEXT NOT NULL,
    account_id TEXT,                     -- RR (home) or AC (mobile) account
    account_system TEXT NOT NULL,        -- rr | ac
    msisdn TEXT,
    category TEXT NOT NULL,              -- SAC | SOPORTE | PQR | VENTAS
    product TEXT NOT NULL,               -- internet | tv | telefonia | aplicaciones | voz | datos
    description TEXT NOT NULL,
    advisor TEXT,
    status TEXT NOT NULL,                -- open | typified | followUp | closed
    typification_code TEXT,
    typification_notes TEXT,
    resolved_first_contact INTEGER,
    typified_at TEXT,
    repeat_of TEXT,                      -- the earlier case with the same customer and typification in the window
    outcome TEXT,                        -- closed | followUp
    follow_up_type TEXT,                 -- SOPORTE | VISITAS | PQR | ESCALAMIENTOS
    callback_at TEXT,
    closed_at TEXT,                      -- when the advisor closed it in the chat
    closed_out_at TEXT,                  -- the later close-out of a follow-up (cierre posterior)
    survey_requested_at TEXT,
    survey_score INTEGER,
    survey_channel TEXT,                 -- whatsapp | api
    survey_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS cases_customer ON cases (customer_id, created_at);
CREATE INDEX IF NOT EXISTS cases_status ON cases (status, follow_up_type, callback_at);
CREATE INDEX IF NOT EXISTS cases_conversation ON cases (conversation_id);

-- What was done for a case: every back-office call made with X-Case-Id, and the case's own steps.
CREATE TABLE IF NOT EXISTS case_timeline (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id TEXT NOT NULL REFERENCES cases (id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,                  -- call | step
    system TEXT,                         -- the system called (kind call)
    action TEXT NOT NULL,                -- "GET /accounts/46271064" or "typified"
    outcome TEXT NOT NULL,               -- the status answered, a failure kind, or the step's result
    detail TEXT
);
CREATE INDEX IF NOT EXISTS case_timeline_case ON case_timeline (case_id, seq);

-- The typification's steps in the systems (RR marking, AC tickler, ESTRATEGICOS folder and note), each recorded
-- when it succeeded, so a retry after a partial failure finishes the job without repeating a step.
CREATE TABLE IF NOT EXISTS typification_steps (
    case_id TEXT NOT NULL REFERENCES cases (id),
    step TEXT NOT NULL,
    system TEXT NOT NULL,
    reference TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (case_id, step)
);

-- Callbacks of a follow-up (reached or not) and the later close-out with the customer.
CREATE TABLE IF NOT EXISTS callbacks (
    id TEXT PRIMARY KEY,                 -- CBK-000001
    case_id TEXT NOT NULL REFERENCES cases (id),
    at TEXT NOT NULL,
    reached INTEGER NOT NULL,
    outcome TEXT NOT NULL,               -- solved | pending | noAnswer | ...
    notes TEXT,
    next_callback_at TEXT,
    closed_out INTEGER NOT NULL DEFAULT 0,
    advisor TEXT
);
CREATE INDEX IF NOT EXISTS callbacks_case ON callbacks (case_id, at);

-- Idempotency-Key: the answer given to the first request with a key, replayed for a repeat with the same body.
CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT NOT NULL,
    operation TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER,
    body TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (operation, key)
);

-- Per-table sequences for readable ids (CNV-000001, CAS-000001, ...).
CREATE TABLE IF NOT EXISTS sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
