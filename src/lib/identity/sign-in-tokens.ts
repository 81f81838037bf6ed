/** D1 `sign_in_tokens`: sign-in links, kept as the SHA-256 of their token only, used once (docs/security.md). */
import type { ExpiringRows } from '../storage/tables.ts';

/** A link is valid this long, and used once (the pages and the e-mail say so from this constant). */
export const SIGN_IN_TTL_MS = 15 * 60 * 1000;

/** A sign-in link not used yet, as its confirmation page sees it. */
export interface PendingSignIn {
  email: string;
  next: string;
  /** The browser that asked for the link; null for links from before migrations/0004. */
  requesterRef: string | null;
}

export class SignInTokens implements ExpiringRows {
  private readonly db: D1Database;
  private readonly now: () => number;

  constructor(db: D1Database, now: () => number = Date.now) {
    this.db = db;
    this.now = now;
  }

  /** Keeps a link's token (its SHA-256 only) for the e-mail it was sent to and the browser that asked. */
  async put(tokenHash: string, link: { email: string; next: string; requesterRef: string }, ttlMs: number) {
    await this.db
      .prepare('INSERT INTO sign_in_tokens (token_hash, email, next, expires_at, requester_ref) VALUES (?, ?, ?, ?, ?)')
      .bind(tokenHash, link.email, link.next, this.now() + ttlMs, link.requesterRef)
      .run();
  }

  /** A token that may still be used, for its confirmation page (uses nothing); null otherwise. */
  async peek(tokenHash: string): Promise<PendingSignIn | null> {
    const row = await this.db
      .prepare(
        `SELECT email, next, requester_ref FROM sign_in_tokens
         WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`,
      )
      .bind(tokenHash, this.now())
      .first<{ email: string; next: string; requester_ref: string | null }>();
    return row && { email: row.email, next: row.next, requesterRef: row.requester_ref };
  }

  /** Uses a token: one atomic update, so of two openings at once exactly one gets the e-mail. */
  async use(tokenHash: string): Promise<{ email: string; next: string } | null> {
    const now = this.now();
    return this.db
      .prepare(
        `UPDATE sign_in_tokens SET used_at = ?1 WHERE token_hash = ?2 AND used_at IS NULL AND expires_at > ?1
         RETURNING email, next`,
      )
      .bind(now, tokenHash)
      .first<{ email: string; next: string }>();
  }

  deleteExpired(nowMs: number): D1PreparedStatement {
    return this.db.prepare('DELETE FROM sign_in_tokens WHERE expires_at <= ?').bind(nowMs);
  }
}
