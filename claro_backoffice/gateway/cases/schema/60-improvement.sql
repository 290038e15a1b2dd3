-- Continuous improvement (procedure, section 7): ideas raised by advisors and supervisors, reviewed in the
-- improvement meetings, delivered to the client in the improvement circuit and tracked there.
-- raised -> accepted | rejected; accepted -> delivered; delivered -> inProgress | discarded;
-- inProgress -> implemented | discarded.
CREATE TABLE IF NOT EXISTS ideas (
    id TEXT PRIMARY KEY,                 -- IDEA-000001
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    raised_by TEXT NOT NULL,             -- Almabi username (asesor or supervisor)
    raiser_role TEXT NOT NULL,
    team_id TEXT,
    status TEXT NOT NULL,
    reason TEXT,                         -- why it was rejected
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ideas_status ON ideas (status);
CREATE TABLE IF NOT EXISTS idea_events (
    idea_id TEXT NOT NULL REFERENCES ideas (id),
    seq INTEGER NOT NULL,
    status TEXT NOT NULL,                -- the state entered
    by TEXT NOT NULL,                    -- Almabi username
    note TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (idea_id, seq)
);

-- Barómetro: a team's climate-survey results, its worst-rated questions and the action plans agreed.
CREATE TABLE IF NOT EXISTS barometers (
    id TEXT PRIMARY KEY,                 -- BAR-000001
    team_id TEXT NOT NULL,
    period TEXT NOT NULL,                -- 2026-S2
    respondents INTEGER,
    recorded_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (team_id, period)
);
CREATE TABLE IF NOT EXISTS barometer_questions (
    barometer_id TEXT NOT NULL REFERENCES barometers (id),
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    text TEXT NOT NULL,
    score REAL NOT NULL,                 -- average 1..5
    PRIMARY KEY (barometer_id, code)
);
CREATE TABLE IF NOT EXISTS barometer_actions (
    id TEXT PRIMARY KEY,                 -- ACT-000001
    barometer_id TEXT NOT NULL REFERENCES barometers (id),
    question_code TEXT,
    description TEXT NOT NULL,
    owner TEXT NOT NULL,                 -- Almabi username
    due_date TEXT NOT NULL,
    status TEXT NOT NULL,                -- agreed | inProgress | done | cancelled
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS barometer_follow_ups (
    action_id TEXT NOT NULL REFERENCES barometer_actions (id),
    seq INTEGER NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    by TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (action_id, seq)
);
