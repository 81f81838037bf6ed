/**
 * Runs the setup and doctor CLIs as an owner would, against an emulator: the setup key in the
 * environment, STRIPE_API_BASE pointing at the emulator, `.dev.vars` in a temporary directory.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Emulator } from '../../dev/stripe-emulator/server.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node scripts/<script>.ts args` with `env` added to this environment; resolves when it exits. */
export function runCli(script: string, args: string[], env: Record<string, string>): Promise<CliRun> {
  // The developer's own site variables must not leak in.
  const childEnv = { ...process.env };
  for (const name of Object.keys(childEnv))
    if (/^(STRIPE_|PUBLIC_|SITE_URL|SHIPPING_|SIGN_IN_|ACCESS_)/.test(name)) delete childEnv[name];
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts', `${script}.ts`), ...args], {
      cwd: ROOT,
      env: Object.assign(childEnv, env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** A temporary directory with a `.dev.vars` holding `text`; answers the file's path. */
export function tempDevVars(text = ''): string {
  const file = join(mkdtempSync(join(tmpdir(), 'setup-test-')), '.dev.vars');
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

/** A temporary copy of a JSON file, changed by `edit`; answers its path. */
export function tempJson(source: string, edit: (data: never) => void): string {
  const data = JSON.parse(readFileSync(join(ROOT, source), 'utf8')) as never;
  edit(data);
  const file = join(mkdtempSync(join(tmpdir(), 'setup-test-')), 'file.json');
  writeFileSync(file, JSON.stringify(data));
  return file;
}

/** The environment the CLIs get on this emulator. */
export function emulatorEnv(emulator: Emulator, extra: Record<string, string> = {}): Record<string, string> {
  return { STRIPE_SETUP_KEY: emulator.apiKey, STRIPE_API_BASE: emulator.url, ...extra };
}
