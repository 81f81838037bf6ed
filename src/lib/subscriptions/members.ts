import type { Viewer } from './viewer.ts';

/** The page every members-only route shows (with status 403) to everyone else. */
export const MEMBERS_ONLY_PAGE = '/members-only';

/**
 * True when this browser's customer may see members-only pages (see hasMemberAccess: trialing,
 * active or past_due, and not past its period end plus the grace). Gate a page with one line in
 * its frontmatter:
 *   if (!isMember(await Astro.locals.viewer())) return Astro.rewrite(MEMBERS_ONLY_PAGE);
 */
export function isMember(viewer: Viewer): boolean {
  return viewer.member;
}
