import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'test/unit/**/*.test.ts',
            'test/emulator/**/*.test.ts',
            'test/dev/**/*.test.ts',
            'test/setup/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/support/fresh-connections.ts', 'test/support/secret-guard.ts'],
          // Each file starts its own workerd and emulator on free ports: two files at a time fit two
          // cores. Files share a worker's module cache (wrangler alone takes ~1.7 s to import).
          fileParallelism: true,
          maxWorkers: 2,
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
