-- WhatsApp conversations (SMCC): the bot's dialogue, the queue, the advisor's assignment, consent (Ley 1581).
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,                 -- CNV-000001
    wa_id TEXT NOT NULL,                 -- 57 + the customer's mobile; '' once consent was declined
    phone_number_id TEXT NOT NULL,       -- the business number written to
    profile_name TEXT,                   -- WhatsApp profile name, kept only once consent is given
    customer_id TEXT,                    -- known from the premium base, or from the validated document
    entry TEXT NOT NULL,                 -- base | hashtag | refused
    status TEXT NOT NULL,                -- consent | advisorQuestion | queued | assigned | closed | abandoned
    close_reason TEXT,                   -- notPremium | consentDeclined | advisorDeclined | abandoned | finished
    consent_given INTEGER,               -- NULL: not asked yet / unanswered
    consent_at TEXT, consent_channel TEXT, consent_purpose TEXT,
    advisor_requested_at TEXT,
    assigned_at TEXT, advisor TEXT,
    first_advisor_message_at TEXT,
    document_type TEXT, document_number TEXT, document_validated_at TEXT,  -- type known from RR/AC on a base entry
    last_customer_message_at TEXT,
    created_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE INDEX IF NOT EXISTS conversations_wa_id ON conversations (wa_id, created_at);
CREATE INDEX IF NOT EXISTS conversations_status ON conversations (status);

-- Every message in and out (TMF681 communicationMessage for outbound ones); wamid is unique: a repeated
-- delivery of the same inbound message is ignored.
CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY,                 -- MSG-000001
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    wamid TEXT UNIQUE,
    direction TEXT NOT NULL,             -- inbound | outbound
    author TEXT NOT NULL,                -- customer | bot | advisor
    kind TEXT NOT NULL,                  -- text | button | template | interactive
    text TEXT,
    template TEXT,
    case_id TEXT,
    state TEXT NOT NULL,                 -- TMF681: initial | inProgress | completed | failed (outbound); completed (inbound)
    whatsapp_status TEXT,                -- accepted | sent | delivered | read | failed
    error TEXT,
    sent_at TEXT NOT NULL,
    status_at TEXT
);
CREATE INDEX IF NOT EXISTS messages_conversation ON messages (conversation_id, sent_at);

-- The id of the button a customer tapped (the message's text is the button's title, what the customer saw): the
-- bot decides on the id. A table of its own so that files written before it keep working.
CREATE TABLE IF NOT EXISTS button_replies (
    message_id TEXT PRIMARY KEY REFERENCES messages (id),
    button_id TEXT NOT NULL
);

-- Status webhooks as they came (any order); a wamid's status is the furthest one seen.
CREATE TABLE IF NOT EXISTS message_statuses (
    wamid TEXT NOT NULL, status TEXT NOT NULL, at TEXT NOT NULL, error TEXT,
    PRIMARY KEY (wamid, status)
);

-- Webhook deliveries seen (a repeated wamid is ignored: Meta redelivers the same message).
CREATE TABLE IF NOT EXISTS inbound_seen (wamid TEXT PRIMARY KEY, at TEXT NOT NULL);

-- Meta's ids of the messages of customers who declined consent (Ley 1581): nothing else of them is kept; these
-- opaque ids let the gateway hide Meta's own record of those messages (GET /admin/journal).
CREATE TABLE IF NOT EXISTS erased_wamids (wamid TEXT PRIMARY KEY);
