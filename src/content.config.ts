/**
 * Content collections: the shop profile the legal pages are built from (src/lib/legal/). Astro
 * validates it against the schema at build time, so a profile missing an item fails the build.
 */
import { defineCollection } from 'astro:content';
import { file } from 'astro/loaders';
import { shopProfileSchema } from './lib/legal/profile.ts';

const shop = defineCollection({
  loader: file('src/content/shop/profile.json'),
  schema: shopProfileSchema,
});

export const collections = { shop };
