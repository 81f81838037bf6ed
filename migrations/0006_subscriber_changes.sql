-- A subscriber's own changes (docs/changes.md), as last read from Stripe by the sync: the billing cycle (to date
-- the coming deliveries), a collection pause (skip, pause) and a frequency change a schedule holds for a
-- renewal. NULL when there is none. Kept with the record, as long as it is.
ALTER TABLE subscriptions ADD COLUMN billing_anchor_s INTEGER;
ALTER TABLE subscriptions ADD COLUMN price_interval TEXT;
ALTER TABLE subscriptions ADD COLUMN price_interval_count INTEGER;
ALTER TABLE subscriptions ADD COLUMN pause_behavior TEXT;
ALTER TABLE subscriptions ADD COLUMN pause_resumes_at_s INTEGER;
ALTER TABLE subscriptions ADD COLUMN next_price_id TEXT;
ALTER TABLE subscriptions ADD COLUMN next_price_at_s INTEGER;
