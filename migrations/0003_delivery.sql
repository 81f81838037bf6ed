-- Where a subscriber's beans go (docs/storage.md#the-subscription-record): the customer's shipping
-- name and address (Stripe's customer.shipping) as last read by the sync. All NULL when there is
-- none (a digital subscription). The phone Checkout collects stays in Stripe: nothing here needs it.
ALTER TABLE subscriptions ADD COLUMN delivery_name TEXT;
ALTER TABLE subscriptions ADD COLUMN delivery_postal_code TEXT;
ALTER TABLE subscriptions ADD COLUMN delivery_state TEXT;
ALTER TABLE subscriptions ADD COLUMN delivery_city TEXT;
ALTER TABLE subscriptions ADD COLUMN delivery_line1 TEXT;
ALTER TABLE subscriptions ADD COLUMN delivery_line2 TEXT;
ALTER TABLE subscriptions ADD COLUMN delivery_country TEXT;
