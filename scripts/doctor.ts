/**
 * `npm run doctor`: the site's configuration checked, ✓ / ✗ with the fix for each (src/lib/setup/doctor.ts
 * decides; this file gathers and prints). It reads the site's variables as wrangler does (.dev.vars,
 * overridden by the environment: run it as `STRIPE_API_KEY=rk_live_… SITE_URL=https://… npm run doctor`
 * for production), the shop profile, wrangler.jsonc's bindings and the remote D1 migrations (through
 * wrangler, logged in). With STRIPE_SETUP_KEY it also checks what the site's restricted key may not read:
 * the webhook endpoint, the portal configuration, the tax ID. Exits 1 on any ✗; `--json` for scripts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, parseEnv, stripVTControlCharacters } from 'node:util';
import { readConfig } from '../src/lib/config/read.ts';
import { parseShopProfile } from '../src/lib/legal/profile.ts';
import { allPassed, runDoctor, type Check, type CloudflareFacts } from '../src/lib/setup/doctor.ts';
import { createStripeClient } from '../src/lib/stripe/client.ts';

const ROOT = resolve(import.meta.dirname, '..');
const USAGE = `Usage: npm run doctor -- [--json] [--skip-cloudflare] [--dev-vars FILE] [--profile FILE]
STRIPE_SETUP_KEY (optional) lets it check the webhook endpoint, the portal configuration and the tax ID.`;

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

function parseFlags() {
  try {
    return parseArgs({
      options: {
        json: { type: 'boolean' },
        'skip-cloudflare': { type: 'boolean' },
        'dev-vars': { type: 'string' },
        profile: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`, 2);
  }
}

const flags = parseFlags();
if (flags.help) fail(USAGE, 0);

/** .dev.vars (or --dev-vars), overridden by the process environment, as wrangler reads them. */
function siteVariables(): Record<string, string | undefined> {
  const file = resolve(flags['dev-vars'] ?? join(ROOT, '.dev.vars'));
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...process.env };
}

const wranglerBin = join(ROOT, 'node_modules/.bin/wrangler');

/** Runs wrangler (the project's, on the project's Node) without a terminal. */
function wrangler(args: string[]) {
  return spawnSync(wranglerBin, args, {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}` },
  });
}

/** The bindings wrangler.jsonc declares, and the migrations not yet applied to the remote D1. */
async function cloudflareFacts(): Promise<CloudflareFacts> {
  // TypeScript's JSON reader takes wrangler.jsonc's comments and trailing commas.
  const { default: ts } = await import('typescript');
  const file = join(ROOT, 'wrangler.jsonc');
  const config = ts.parseConfigFileTextToJson(file, readFileSync(file, 'utf8')).config as {
    kv_namespaces?: Array<{ binding: string }>;
    d1_databases?: Array<{ binding: string }>;
  };
  const facts: CloudflareFacts = {
    kvBound: (config.kv_namespaces ?? []).some((namespace) => namespace.binding === 'WSDEMO'),
    d1Bound: (config.d1_databases ?? []).some((database) => database.binding === 'DB'),
  };
  const listed = wrangler(['d1', 'migrations', 'list', 'DB', '--remote']);
  const output = stripVTControlCharacters(`${listed.stdout}\n${listed.stderr}`);
  if (listed.status !== 0) {
    const reason = /\[ERROR\]\s*(.+)/.exec(output)?.[1]?.trim() ?? 'wrangler d1 migrations list failed';
    return { ...facts, why: `${reason} (npx wrangler login, then npm run deploy)` };
  }
  // wrangler prints "No migrations to apply" or a table of the pending files' names.
  return { ...facts, pendingMigrations: [...output.matchAll(/\b\d{4}_[\w-]+\.sql\b/g)].map((match) => match[0]) };
}

const variables = siteVariables();
const config = readConfig(variables);
const profileFile = resolve(flags.profile ?? join(ROOT, 'src/content/shop/profile.json'));
const parsedProfile = parseShopProfile(
  (JSON.parse(readFileSync(profileFile, 'utf8')) as { profile?: unknown }).profile,
);
if (!parsedProfile.ok) fail(`${parsedProfile.error} (${profileFile})`, 1);
const setupKey = variables.STRIPE_SETUP_KEY?.trim();

const checks = await runDoctor({
  config,
  profile: parsedProfile.profile,
  site: config.stripeApiKey ? createStripeClient({ apiKey: config.stripeApiKey, apiBase: config.apiBase }) : undefined,
  setup: setupKey ? createStripeClient({ apiKey: setupKey, apiBase: config.apiBase }) : undefined,
  cloudflare: flags['skip-cloudflare'] ? undefined : await cloudflareFacts(),
});
const passed = allPassed(checks);

const MARKS: Record<Check['status'], string> = { ok: '✓', fail: '✗', skip: '–' };
if (flags.json) console.log(JSON.stringify({ ok: passed, checks }, null, 2));
else {
  let area = '';
  for (const check of checks) {
    if (check.area !== area) console.log(`\n${(area = check.area)}`);
    console.log(`  ${MARKS[check.status]} ${check.label}`);
    if (check.fix) console.log(`      ${check.fix}`);
  }
  const failed = checks.filter((check) => check.status === 'fail').length;
  console.log(passed ? '\nAll checks pass.' : `\n${failed} to fix.`);
}
process.exit(passed ? 0 : 1);
