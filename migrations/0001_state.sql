-- State that must be right (docs/storage.md). Times are epoch milliseconds unless named *_s
-- (Stripe's Unix seconds). Applied with `wrangler d1 migrations apply DB` (--local by npm start,
-- npm test and CI; --remote before npm run deploy).

-- One row per webhook event applied: the primary key decides, atomically, which delivery applies it.
-- done = 0 while a delivery is applying it (claimed_at); a claim older than the lease is taken over.
CREATE TABLE processed_events (
  event_id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  claimed_at INTEGER NOT NULL,
  done INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER NOT NULL
) STRICT;

-- One row per customer: the subscription as last read from Stripe. read_at guards every upsert,
-- so an older read never overwrites a newer one.
CREATE TABLE subscriptions (
  customer_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  subscription_id TEXT,
  price_id TEXT,
  product_id TEXT,
  currency TEXT,
  current_period_end_s INTEGER,
  cancel_at_period_end INTEGER NOT NULL,
  cancel_at_s INTEGER,
  trial_end_s INTEGER,
  card_brand TEXT,
  card_last4 TEXT,
  ever_subscribed INTEGER NOT NULL,
  read_at INTEGER NOT NULL
) STRICT;
-- The reconciliation run picks the oldest reads first.
CREATE INDEX subscriptions_by_read_at ON subscriptions (read_at);

-- A browser bound to a customer (an earlier, KV-only version kept these under visitor: and customer-visitor: keys).
CREATE TABLE bindings (
  visitor_ref TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL,
  bound_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX bindings_by_customer ON bindings (customer_id);

-- The e-mail a browser declared above an embed (the KV-only version's declared-email: keys).
CREATE TABLE declared_emails (
  visitor_ref TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;

-- A Checkout Session this site started: who started it and which e-mail they declared (the KV-only version's checkout:).
CREATE TABLE pending_checkouts (
  session_id TEXT PRIMARY KEY,
  visitor_ref TEXT NOT NULL,
  email TEXT,
  customer_id TEXT,
  expires_at INTEGER NOT NULL
) STRICT;

-- Small facts about the database itself (e.g. that the keys an older, KV-only version left were deleted).
CREATE TABLE meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
