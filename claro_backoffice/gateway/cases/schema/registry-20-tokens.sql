-- Tokens issued by POST /admin/tokens (the tokens themselves are never stored: they are signed, gateway/tokens.py).
-- A revoked token's id is refused by every replica that shares this registry, until the token would have expired.
CREATE TABLE IF NOT EXISTS issued_tokens (
    id TEXT PRIMARY KEY,                 -- TOK-<hex>: the token's jti
    role TEXT NOT NULL,
    user TEXT,                           -- the Almabi login (or an admin's name) it acts as
    sandbox TEXT,                        -- the sandbox it is pinned to; NULL: any
    issued_by TEXT NOT NULL,             -- the admin token's user, or its role
    issued_at TEXT NOT NULL,             -- RFC 3339, UTC
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    revoked_by TEXT
);
