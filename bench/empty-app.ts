/**
 * The empty Astro app the bench compares this site's startup and upload with (bench/README.md,
 * "Startup against an empty Astro app"): one server-rendered page, this site's own astro.config.mjs
 * (the same @astrojs/cloudflare adapter and options), the compatibility date and flags of this site's
 * build, and this project's node_modules through a symlink, so the only difference is the site's
 * own code. Generated into a temp dir on every run; only this generator is committed.
 */
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the empty app takes from this site's built wrangler config (`dist/server/wrangler.json`). */
interface Compatibility {
  compatibility_date: string;
  compatibility_flags?: string[];
}

const PAGE = `<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Empty</title>
  </head>
  <body>
    <h1>Empty</h1>
  </body>
</html>
`;

/**
 * Writes the empty app into `dir` (an empty directory) from the project at `root`, whose `dist/`
 * must be built; `astro build` in `dir` then builds it, and wrangler run there finds its build.
 */
export function writeEmptyApp(dir: string, root: string): void {
  const built = JSON.parse(readFileSync(join(root, 'dist/server/wrangler.json'), 'utf8')) as Compatibility;
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  copyFileSync(join(root, 'astro.config.mjs'), join(dir, 'astro.config.mjs'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'empty-astro-app', private: true, type: 'module' }));
  // No `main`: the adapter's own entry, which this site wraps in src/worker.ts (part of what is compared).
  writeFileSync(
    join(dir, 'wrangler.json'),
    JSON.stringify({
      name: 'empty-astro-app',
      compatibility_date: built.compatibility_date,
      compatibility_flags: built.compatibility_flags ?? [],
      assets: { directory: './dist/client', binding: 'ASSETS' },
    }),
  );
  mkdirSync(join(dir, 'src/pages'), { recursive: true });
  writeFileSync(join(dir, 'src/pages/index.astro'), PAGE);
}
