/** D1 `declared_emails`: the e-mail a browser declared above an embed, to prefill its Checkout. */
import type { ExpiringRows } from '../storage/tables.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A declared e-mail waits this long for an embed purchase. */
export const DECLARED_EMAIL_TTL_MS = 30 * DAY_MS;

export class DeclaredEmails implements ExpiringRows {
  private readonly db: D1Database;
  private readonly now: () => number;

  constructor(db: D1Database, now: () => number = Date.now) {
    this.db = db;
    this.now = now;
  }

  async get(visitorRef: string): Promise<string | null> {
    const row = await this.db
      .prepare('SELECT email FROM declared_emails WHERE visitor_ref = ? AND expires_at > ?')
      .bind(visitorRef, this.now())
      .first<{ email: string }>();
    return row?.email ?? null;
  }

  /** Declares (or renews) the e-mail; no write when the same one is still current. */
  async declare(visitorRef: string, email: string): Promise<void> {
    const now = this.now();
    await this.db
      .prepare(
        `INSERT INTO declared_emails (visitor_ref, email, expires_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (visitor_ref) DO UPDATE SET email = excluded.email, expires_at = excluded.expires_at
         WHERE declared_emails.email <> excluded.email OR declared_emails.expires_at <= ?4`,
      )
      .bind(visitorRef, email, now + DECLARED_EMAIL_TTL_MS, now)
      .run();
  }

  deleteExpired(nowMs: number): D1PreparedStatement {
    return this.db.prepare('DELETE FROM declared_emails WHERE expires_at <= ?').bind(nowMs);
  }
}
