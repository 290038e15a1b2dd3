-- The rubric each training session is scored with, copied when the session was created: a later change to
-- world/data/rubric.yaml reaches new sessions only, so a report never changes after the fact. A session without a
-- row here (created before copies were kept) is scored with the current rubric.
CREATE TABLE IF NOT EXISTS training_rubrics (
    session_id TEXT PRIMARY KEY,         -- TRS-000001
    version TEXT NOT NULL,               -- the rubric's own `version`
    rubric TEXT NOT NULL                 -- JSON: the whole rubric as it was read
);
