-- Sign-in links and Customer Sessions (docs/security.md). Times are epoch milliseconds.

-- A sign-in link sent to an e-mail address: only the SHA-256 of its token is kept; used once.
CREATE TABLE sign_in_tokens (
  token_hash TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  -- Where the browser goes once signed in: 'mypage' or 'members'.
  next TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
) STRICT;

-- The one Customer Session an embed page gives a bound visitor, reused for its 30-minute life.
CREATE TABLE customer_sessions (
  visitor_ref TEXT NOT NULL,
  component TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  client_secret TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (visitor_ref, component)
) STRICT;
