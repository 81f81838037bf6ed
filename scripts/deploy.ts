/**
 * `npm run deploy`: the path to production in order, without hand edits.
 *
 * 1. `astro build` (the adapter writes dist/server/wrangler.json, which `wrangler deploy` reads through
 *    .wrangler/deploy/config.json);
 * 2. rate-limit namespace ids derived from the worker's name into that generated file
 *    (src/lib/setup/rate-limit-ids.ts), so two shops in one account never share counters;
 * 3. the D1 database `storefront` created near the customers (`--d1-location`, default apac) if the
 *    account has none: wrangler's automatic provisioning would create it where the deploy runs, and
 *    `d1 migrations apply --remote` cannot find a database that does not exist yet;
 * 4. `wrangler d1 migrations apply DB --remote`, before the code that needs the schema;
 * 5. `wrangler deploy` (it links the database by name and provisions the KV namespace).
 *
 * `--dry-run` builds, writes the ids, says what it would do with D1, and runs `wrangler deploy --dry-run`
 * (validates and bundles, no account, no network).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, stripVTControlCharacters } from 'node:util';
import { withDerivedRateLimitIds } from '../src/lib/setup/rate-limit-ids.ts';

const ROOT = resolve(import.meta.dirname, '..');
const GENERATED_CONFIG = join(ROOT, 'dist/server/wrangler.json');
const LOCATIONS = ['wnam', 'enam', 'weur', 'eeur', 'apac', 'oc'];
const USAGE = 'Usage: npm run deploy -- [--dry-run] [--d1-location apac|oc|wnam|enam|weur|eeur]';

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

function parseFlags() {
  try {
    return parseArgs({
      options: { 'dry-run': { type: 'boolean' }, 'd1-location': { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    }).values;
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`, 2);
  }
}

const flags = parseFlags();
if (flags.help) fail(USAGE, 0);
const dryRun = flags['dry-run'] === true;
const location = flags['d1-location'] ?? 'apac';
if (!LOCATIONS.includes(location)) fail(`--d1-location is one of ${LOCATIONS.join(', ')}`, 2);

const bin = join(ROOT, 'node_modules/.bin');
const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, ASTRO_TELEMETRY_DISABLED: '1' };

/** Runs a step with its output on the terminal; stops the deploy when it fails. */
function step(title: string, command: string, args: string[]): void {
  console.log(`\n==> ${title}`);
  const run = spawnSync(join(bin, command), args, { cwd: ROOT, env, stdio: ['inherit', 'inherit', 'inherit'] });
  if (run.status !== 0) fail(`npm run deploy stopped: ${title} failed.`, run.status ?? 1);
}

/** Runs wrangler quietly and answers its output (for the questions the deploy asks it). */
function ask(args: string[]): { ok: boolean; output: string } {
  const run = spawnSync(join(bin, 'wrangler'), args, {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { ok: run.status === 0, output: stripVTControlCharacters(`${run.stdout}${run.stderr}`) };
}

step('astro build', 'astro', ['build']);

console.log('\n==> rate-limit namespace ids from the worker’s name (dist/server/wrangler.json)');
const generated = JSON.parse(readFileSync(GENERATED_CONFIG, 'utf8')) as {
  name: string;
  ratelimits?: Array<{ name: string; namespace_id: string }>;
  d1_databases?: Array<{ binding: string; database_name?: string }>;
};
generated.ratelimits = withDerivedRateLimitIds(generated.name, generated.ratelimits ?? []);
writeFileSync(GENERATED_CONFIG, JSON.stringify(generated));
for (const { name, namespace_id } of generated.ratelimits) console.log(`    ${name}: ${namespace_id}`);

const databaseName =
  generated.d1_databases?.find((database) => database.binding === 'DB')?.database_name ?? 'storefront';
const migrations = readdirSync(join(ROOT, 'migrations')).filter((file) => file.endsWith('.sql'));

if (dryRun) {
  console.log(`\n==> D1 (skipped in a dry run: it needs your Cloudflare account)`);
  console.log(`    would create the database ${databaseName} in ${location} if the account has none`);
  console.log(`    would apply what is not yet applied of: ${migrations.join(', ')}`);
  step('wrangler deploy --dry-run', 'wrangler', ['deploy', '--dry-run']);
  console.log('\nDry run done: nothing was uploaded.');
  process.exit(0);
}

console.log(`\n==> the D1 database ${databaseName}`);
const listed = ask(['d1', 'list', '--json']);
if (!listed.ok) fail(`wrangler d1 list failed (npx wrangler login first?):\n${listed.output}`);
const existing = (JSON.parse(listed.output.slice(listed.output.indexOf('['))) as Array<{ name: string }>).some(
  (database) => database.name === databaseName,
);
if (existing) console.log(`    exists`);
else
  step(`create ${databaseName} in ${location}`, 'wrangler', [
    'd1',
    'create',
    databaseName,
    '--location',
    location,
    '--update-config=false',
  ]);

step('apply D1 migrations (remote)', 'wrangler', ['d1', 'migrations', 'apply', 'DB', '--remote']);
step('wrangler deploy', 'wrangler', ['deploy']);

console.log(`
Deployed. ${existing ? '' : 'First deploy: '}set up Stripe for the live site (its webhook needs the URL above):
    npm run setup -- --live --site-url https://<the URL above or your domain>
then check everything with the production values:
    STRIPE_API_KEY=rk_live_… SITE_URL=https://… STRIPE_SETUP_KEY=… npm run doctor`);
