-- Who did a step that has no column of its own: the user of the token (or the body's name with a token
-- without one) who closed a case with the customer or answered a PQR.
CREATE TABLE IF NOT EXISTS acted_by (
    subject TEXT NOT NULL,               -- CAS-000001 | PQR-000001
    action TEXT NOT NULL,                -- closed | answered
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (subject, action)
);
