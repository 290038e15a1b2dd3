-- Training sessions (gateway/training/): kept in the registry, so a sandbox's reset never touches a class's record,
-- and each attempt's evidence is frozen here when it ends (a later reset or the journals' limit changes nothing).
CREATE TABLE IF NOT EXISTS training_sessions (
    id TEXT PRIMARY KEY,                 -- TRS-000001
    class TEXT NOT NULL,                 -- the class: its sandboxes are <class>--<trainee>-<n>
    state TEXT NOT NULL,                 -- planned, running, finished
    time_limit_minutes INTEGER NOT NULL, -- virtual minutes, each attempt's sandbox clock
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,            -- wall clock, UTC
    started_at TEXT,
    finished_at TEXT,
    finished_by TEXT                     -- the trainer, or 'timeLimit'
);
CREATE TABLE IF NOT EXISTS training_attempts (
    id TEXT PRIMARY KEY,                 -- TRA-000001
    session_id TEXT NOT NULL,
    trainee TEXT NOT NULL,               -- the trainee's login (the class's own name for them)
    scenario TEXT NOT NULL,
    position INTEGER NOT NULL,           -- the scenario's place in the session, from 1
    sandbox TEXT NOT NULL,
    advisor TEXT NOT NULL,               -- the Almabi asesor the trainee's token acts as
    advisor_first_name TEXT NOT NULL,
    token_id TEXT NOT NULL,
    state TEXT NOT NULL,                 -- planned, running, finished
    started_at TEXT,                     -- the sandbox's virtual time
    deadline TEXT,
    finished_at TEXT,
    evidence TEXT,                       -- JSON, frozen when the attempt finished
    manual TEXT NOT NULL DEFAULT '{}',   -- JSON: item id -> {met, comment, by, at}
    disputes TEXT NOT NULL DEFAULT '[]'  -- JSON: [{id, item, text, by, at, answer}]
);
CREATE INDEX IF NOT EXISTS training_attempts_session ON training_attempts (session_id, trainee, position);
CREATE INDEX IF NOT EXISTS training_attempts_trainee ON training_attempts (trainee, finished_at);
