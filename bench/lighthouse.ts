/**
 * Runs the Lighthouse CLI (mobile preset, its default) on one URL in the system Chromium and
 * reads the four category scores from its JSON report. Lighthouse (about 90 MB with its
 * dependencies) is not in the default install: `npm exec` fetches this pinned version into npm's
 * cache the first time the benchmark audits a page.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The Lighthouse release the scores were calibrated with. */
const LIGHTHOUSE_PACKAGE = 'lighthouse@13.5.0';
// --accept-lang=ja: the audited page is the shop's own `/` (Japanese), not the first-visit redirect an English
// browser gets to /en/.
const CHROME_FLAGS =
  '--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run --accept-lang=ja';
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;

/** Category id → score 0-100. */
type LighthouseScores = Record<(typeof CATEGORIES)[number], number>;

/** Either the scores or why there are none. */
export type LighthouseOutcome =
  { ok: true; scores: LighthouseScores; warnings: string[] } | { ok: false; reason: string };

interface LighthouseReport {
  runtimeError?: { code?: string; message?: string };
  runWarnings?: string[];
  categories?: Partial<Record<string, { score: number | null }>>;
}

export interface LighthouseOptions {
  /** Working directory for the run. */
  root: string;
  chromePath: string;
  timeoutMs?: number;
  /** Called with the child as soon as it exists, so a Ctrl-C handler can end it. */
  onSpawn?: (child: ChildProcess) => void;
}

/** Audits `url`; never throws: every failure becomes `{ ok: false, reason }`. */
export async function runLighthouse(url: string, options: LighthouseOptions): Promise<LighthouseOutcome> {
  if (!existsSync(options.chromePath))
    return { ok: false, reason: `no Chromium at ${options.chromePath} (set CHROME_PATH)` };
  const args = [
    'exec',
    '--yes',
    `--package=${LIGHTHOUSE_PACKAGE}`,
    '--',
    'lighthouse',
    url,
    `--chrome-flags=${CHROME_FLAGS}`,
    '--output=json',
    '--output-path=stdout',
    '--quiet',
    `--only-categories=${CATEGORIES.join(',')}`,
  ];
  const child = spawn('npm', args, {
    cwd: options.root,
    env: { ...process.env, CHROME_PATH: options.chromePath },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.onSpawn?.(child);
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  let timedOut = false;
  // SIGINT, not SIGKILL: Lighthouse's Chrome launcher closes Chromium on SIGINT.
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGINT');
  }, options.timeoutMs ?? 240_000);
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', (exitCode) => resolve(exitCode));
  });
  clearTimeout(timer);
  if (timedOut) return { ok: false, reason: `timed out after ${Math.round((options.timeoutMs ?? 240_000) / 1000)} s` };
  if (code !== 0) return { ok: false, reason: `exit code ${code}: ${lastLines(stderr)}` };

  let report: LighthouseReport;
  try {
    report = JSON.parse(Buffer.concat(stdout).toString('utf8')) as LighthouseReport;
  } catch {
    return { ok: false, reason: `the report is not JSON: ${lastLines(stderr)}` };
  }
  if (report.runtimeError?.code && report.runtimeError.code !== 'NO_ERROR') {
    return { ok: false, reason: `${report.runtimeError.code}: ${report.runtimeError.message ?? ''}` };
  }
  const scores = {} as LighthouseScores;
  for (const id of CATEGORIES) {
    const score = report.categories?.[id]?.score;
    if (typeof score !== 'number') return { ok: false, reason: `no ${id} score in the report` };
    scores[id] = Math.round(score * 100);
  }
  return { ok: true, scores, warnings: report.runWarnings ?? [] };
}

function lastLines(text: string): string {
  const lines = text.trim().split('\n').filter(Boolean);
  return lines.slice(-3).join(' | ') || '(no output)';
}
