-- The owner's side (docs/owner.md, docs/storage.md#d1-db). Times are epoch milliseconds.

-- One parcel per paid subscription invoice (create or cycle): the primary key makes it exactly once,
-- whatever the number, order and concurrency of the invoice's events. The plan, the ship-to name,
-- address and phone are as they were at payment (the invoice's customer_shipping, frozen by Stripe).
-- Personal data (name, address, phone, e-mail): expires_at is set 180 days after the parcel was
-- shipped or called off; a parcel still to ship never expires.
CREATE TABLE shipments (
  invoice_id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL,
  subscription_id TEXT NOT NULL,
  product_id TEXT NOT NULL,
  price_id TEXT NOT NULL,
  plan_name_ja TEXT NOT NULL,
  plan_name_en TEXT NOT NULL,
  per_delivery_ja TEXT,
  per_delivery_en TEXT,
  quantity INTEGER NOT NULL,
  ship_to_name TEXT NOT NULL,
  postal_code TEXT,
  state TEXT,
  city TEXT,
  line1 TEXT,
  line2 TEXT,
  country TEXT,
  phone TEXT,
  email TEXT,
  -- The subscriber's language (ja or en), for the shipping notice.
  language TEXT NOT NULL,
  paid_at INTEGER NOT NULL,
  -- YYYY-MM-DD in the shop's time zone.
  ship_by TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('to_ship', 'shipped', 'cancelled')),
  shipped_at INTEGER,
  carrier TEXT,
  tracking_number TEXT,
  cancelled_at INTEGER,
  -- Money given back after payment (minor units), noted beside a parcel that stands.
  refund_amount INTEGER,
  refund_currency TEXT,
  refund_full INTEGER,
  -- When the shipping notice was claimed for sending (once per shipment).
  notified_at INTEGER,
  expires_at INTEGER
) STRICT;
-- The packing list (to ship, by ship-by date) and the history (shipped, newest first).
CREATE INDEX shipments_by_status ON shipments (status, ship_by);
-- The storefront's latest parcel of a customer, read with the page's one statement.
CREATE INDEX shipments_by_customer ON shipments (customer_id, paid_at);

-- The number of live subscribers each day (written by the hourly run), for the owner's weekly chart.
CREATE TABLE daily_counts (
  day TEXT PRIMARY KEY,
  live_subscribers INTEGER NOT NULL
) STRICT;
