/**
 * Registers Vitest hooks that start the emulator + built site (and a KV inspector on its local
 * KV) before the tests of the current file or describe block, and stop them afterwards.
 */
import { afterAll, beforeAll } from 'vitest';
import { inspectKv, type KvInspector } from './kv-inspector.ts';
import { startStack, type Stack, type StackOptions } from './stack.ts';
import type { WorkerVars } from './worker.ts';

export interface StackContext {
  readonly stack: Stack;
  readonly kv: KvInspector;
}

export function useStack(vars: WorkerVars = {}, options: StackOptions = {}): StackContext {
  let stack: Stack | undefined;
  let kv: KvInspector | undefined;
  beforeAll(async () => {
    stack = await startStack(vars, options);
    kv = inspectKv(await stack.worker.kv());
  });
  afterAll(async () => {
    await stack?.close();
  });
  return {
    get stack() {
      if (!stack) throw new Error('the stack is not started yet (use it inside a test or hook)');
      return stack;
    },
    get kv() {
      if (!kv) throw new Error('the stack is not started yet (use it inside a test or hook)');
      return kv;
    },
  };
}
