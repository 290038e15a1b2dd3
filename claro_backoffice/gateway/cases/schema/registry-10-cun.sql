-- The registry database (shared by every sandbox, never emptied by a reset): the CUN sequence and every CUN
-- issued, so a CUN is never given twice (not across resets, not across sandboxes).
CREATE TABLE IF NOT EXISTS cun_sequence (
    name TEXT PRIMARY KEY,               -- 'cun': one sequence for every year and sandbox
    value INTEGER NOT NULL               -- the last sequence number handed out
);
CREATE TABLE IF NOT EXISTS cun_issued (
    cun TEXT PRIMARY KEY,
    sequence INTEGER NOT NULL UNIQUE,
    sandbox TEXT,
    issued_at TEXT NOT NULL
);
