-- Management practices held by the leaders (procedure, section 7): one row per practice held.
CREATE TABLE IF NOT EXISTS practices (
    id TEXT PRIMARY KEY,                 -- PRA-000001
    practice_code TEXT NOT NULL,         -- world/data/practices.yaml
    led_by TEXT NOT NULL,                -- the leader's Almabi username
    leader_role TEXT NOT NULL,           -- supervisor | coordinador | gerente (as Almabi said when recorded)
    team_id TEXT,                        -- Almabi team (a supervisor's own team; optional for the others)
    held_at TEXT NOT NULL,               -- Bogotá date-time
    held_on TEXT NOT NULL,               -- Bogotá date (YYYY-MM-DD)
    week TEXT NOT NULL,                  -- ISO week of held_on, 2026-W45
    duration_minutes INTEGER NOT NULL,
    attendees INTEGER,
    notes TEXT,
    recorded_by TEXT,                    -- the token's role
    recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS practices_held_on ON practices (held_on);
CREATE INDEX IF NOT EXISTS practices_week ON practices (week, led_by);
