-- Practice mode (gateway/practice/): the scripted customer of this sandbox, one at a time, and what it says.
CREATE TABLE IF NOT EXISTS practice (
    id INTEGER PRIMARY KEY CHECK (id = 1),  -- one scripted customer per sandbox
    scenario TEXT NOT NULL,
    wa_id TEXT NOT NULL,                    -- the scenario customer's WhatsApp id (57 + mobile)
    script TEXT NOT NULL,                   -- the scenario's practice section, placeholders filled (JSON)
    started_at TEXT NOT NULL,
    message_cursor INTEGER NOT NULL,        -- rowid of the last outbound message looked at
    timeline_cursor INTEGER NOT NULL        -- seq of the last case timeline row looked at
);

-- Each line the customer says or will say, in the order scheduled; due at a moment of the sandbox's virtual time.
CREATE TABLE IF NOT EXISTS practice_lines (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    rule TEXT NOT NULL,                     -- the rule's id, or opening / otherwise
    answering TEXT,                         -- what it answers ("advisor: ¿me das tu documento?")
    conversation_id TEXT,                   -- the conversation of what it answers (NULL: an opening line)
    text TEXT NOT NULL,
    due_at TEXT NOT NULL,
    state TEXT NOT NULL,                    -- pending | sending | said | dropped (its chat ended first)
    said_at TEXT,
    wamid TEXT,                             -- Meta's id of the message the customer sent
    delivery_status INTEGER                 -- what the gateway's webhook answered Meta (NULL: not reached)
);
CREATE INDEX IF NOT EXISTS practice_lines_due ON practice_lines (state, due_at, seq);

-- How many times each rule has answered (for `once` and `after`).
CREATE TABLE IF NOT EXISTS practice_fired (rule TEXT PRIMARY KEY, times INTEGER NOT NULL);
