/** Structured one-line JSON logs with secrets and e-mail addresses scrubbed from every string. */

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(fields: LogFields): void;
  warn(fields: LogFields): void;
  error(fields: LogFields): void;
}

const SECRET_PATTERN = /\b(?:sk|rk)_(?:test|live)_[A-Za-z0-9*]+|\bwhsec_[A-Za-z0-9+/=]+/g;
/**
 * Any `local@domain.tld` of non-space characters, in any script (пётр@почта.рф too), not only ASCII
 * ones. The lookbehind starts a match only after a delimiter, which keeps a long run without an @ linear.
 */
const EMAIL_PATTERN = /(?<![^\s@"'<>()[\],;:])[^\s@"'<>()[\],;:]+@[^\s@"'<>()[\],;:]+\.[^\s@"'<>()[\],;:]+/gu;
const SIGNATURE_PATTERN = /\bv[01]=[0-9a-f]{16,}/g;

/** Removes anything that looks like a Stripe secret, a signature or an e-mail address. */
export function redact(text: string): string {
  return text
    .replace(SECRET_PATTERN, '[redacted]')
    .replace(SIGNATURE_PATTERN, '[redacted]')
    .replace(EMAIL_PATTERN, '[email]');
}

/** A logger writing one JSON object per line to the given sink (console by default). */
export function createLogger(sink: (line: string) => void = (line) => console.log(line)): Logger {
  const write = (level: string, fields: LogFields) => {
    const clean: LogFields = { level };
    for (const [key, value] of Object.entries(fields)) clean[key] = typeof value === 'string' ? redact(value) : value;
    sink(JSON.stringify(clean));
  };
  return {
    info: (fields) => write('info', fields),
    warn: (fields) => write('warn', fields),
    error: (fields) => write('error', fields),
  };
}

/** A short, secret-free description of an error for a log line. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return redact(`${error.name}: ${error.message}`).slice(0, 300);
  return 'unknown error';
}

/** A short id shown on an error page and written to the log line that explains it (8 hex characters). */
export function errorReference(): string {
  return [...crypto.getRandomValues(new Uint8Array(4))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
