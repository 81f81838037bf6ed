// @ts-check
import { defineConfig } from 'astro/config';
import cloudflare from '@astrojs/cloudflare';

export default defineConfig({
  output: 'server',
  // No trailing-slash redirects (Stripe does not follow them); src/middleware.ts answers 404 to "/path/".
  trailingSlash: 'ignore',
  // No Astro sessions and no Cloudflare Images: nothing here uses them, so no SESSION/IMAGES bindings.
  session: false,
  adapter: cloudflare({ imageService: 'passthrough' }),
  // An external, immutable stylesheet keeps the CSP free of 'unsafe-inline'.
  build: { inlineStylesheets: 'never' },
});
