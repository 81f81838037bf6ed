/** Where the emulator listens and which key it accepts: loopback and one key per run unless told otherwise. */
import { spawn } from 'node:child_process';
import { fakeStripeSecret } from '../support/fake-secrets.ts';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../dev/stripe-emulator/server.ts';
import { isLoopbackHost } from '../../dev/stripe-emulator/transport.ts';

describe('loopback addresses', () => {
  it.each([
    '127.0.0.1',
    '127.10.20.30',
    'localhost',
    'LocalHost',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
  ])('%s is loopback', (host) => expect(isLoopbackHost(host)).toBe(true));
  it.each([
    '0.0.0.0',
    '::',
    '',
    '192.168.1.10',
    '10.0.0.1',
    '::2',
    '1::1',
    '::ffff:10.0.0.1',
    'example.com',
    '127.0.0.1.nip.io',
    'localhost.example',
  ])('%j is not', (host) => expect(isLoopbackHost(host)).toBe(false));
});

describe('startEmulator', () => {
  it('binds 127.0.0.1 by default and makes up a fresh rk_test_ key per run', async () => {
    const [first, second] = await Promise.all([startEmulator({ log: false }), startEmulator({ log: false })]);
    try {
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(first.apiKey).toMatch(/^rk_test_[A-Za-z0-9]{24}$/);
      expect(second.apiKey).toMatch(/^rk_test_[A-Za-z0-9]{24}$/);
      expect(first.apiKey).not.toBe(second.apiKey);
      const client = (key: string) => new Stripe(key, { host: '127.0.0.1', port: first.port, protocol: 'http' });
      await expect(client(first.apiKey).prices.list({ limit: 1 })).resolves.toBeDefined();
      await expect(client(second.apiKey).prices.list({ limit: 1 })).rejects.toBeInstanceOf(
        Stripe.errors.StripeAuthenticationError,
      );
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('accepts the key it is given, and only a test-mode one', async () => {
    const apiKey = fakeStripeSecret('rk_test');
    const emulator = await startEmulator({ log: false, apiKey, host: 'localhost' });
    try {
      expect(emulator.apiKey).toBe(apiKey);
      const response = await fetch(`${emulator.url}/v1/prices`, { headers: { authorization: `Bearer ${apiKey}` } });
      expect(response.status).toBe(200);
    } finally {
      await emulator.close();
    }
    await expect(startEmulator({ log: false, apiKey: 'sk_live_0123456789abcdef' })).rejects.toThrow(/test-mode key/);
  });

  it.each(['0.0.0.0', '::', '192.0.2.1'])('refuses to listen on %s without allowNonLoopback', async (host) => {
    await expect(startEmulator({ log: false, host })).rejects.toThrow(/not a loopback address.*allowNonLoopback/);
  });

  it('listens beyond loopback when allowNonLoopback is passed', async () => {
    const emulator = await startEmulator({ log: false, host: '0.0.0.0', allowNonLoopback: true });
    try {
      const response = await fetch(`http://127.0.0.1:${emulator.port}/health`);
      expect(await response.text()).toBe('ok');
    } finally {
      await emulator.close();
    }
  });
});

describe('the CLI', () => {
  const cli = fileURLToPath(new URL('../../dev/stripe-emulator/cli.ts', import.meta.url));

  /** Runs the CLI until it prints `until` (then stops it with SIGTERM) or exits. */
  function run(args: string[], until?: RegExp): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve, reject) => {
      const env = { ...process.env };
      delete env['EMULATOR_HOST'];
      delete env['EMULATOR_API_KEY'];
      const child = spawn(process.execPath, [cli, '--port', '0', '--quiet', ...args], { env });
      let output = '';
      const collect = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (until?.test(output)) child.kill('SIGTERM');
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, output }));
    });
  }

  it('refuses --host 0.0.0.0 without --allow-non-loopback', async () => {
    const { code, output } = await run(['--host', '0.0.0.0']);
    expect(code).toBe(2);
    expect(output).toMatch(/not a loopback address/);
    expect(output).not.toMatch(/listening/);
  });

  it('listens on 0.0.0.0 with --allow-non-loopback and prints the key it made up', async () => {
    const { output } = await run(['--host', '0.0.0.0', '--allow-non-loopback'], /API key.*rk_test_[A-Za-z0-9]{24}/);
    expect(output).toMatch(/Stripe emulator listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(output).toMatch(/API key \(set STRIPE_API_KEY to it\): rk_test_[A-Za-z0-9]{24}/);
  });
});
