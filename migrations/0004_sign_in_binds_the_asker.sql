-- Sign-in links bind the browser that asked for them, or say who is signing in (docs/security.md,
-- decision 007). Times are epoch milliseconds.

-- The visitor reference of the browser that asked for the link; NULL for links sent before this
-- migration, which count as opened elsewhere (the stricter case: the page says whose account it is).
ALTER TABLE sign_in_tokens ADD COLUMN requester_ref TEXT;

-- How a browser proved its customer: 'checkout' (a Checkout this site started for it, paid with the
-- e-mail it declared) or 'sign-in' (a sign-in link). Rows from before count as 'sign-in', the stricter:
-- Checkout then shows whose account it is before charging anyone.
ALTER TABLE bindings ADD COLUMN via TEXT NOT NULL DEFAULT 'sign-in';
-- The e-mail address that proof was for (lower-cased), shown masked when the browser is about to
-- leave the account or subscribe on it. NULL for rows from before.
ALTER TABLE bindings ADD COLUMN email TEXT;
