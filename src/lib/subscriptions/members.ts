import { isMemberStatus } from './record';
import type { Viewer } from './viewer';

/** The page every members-only route shows (with status 403) to everyone else. */
export const MEMBERS_ONLY_PAGE = '/members-only';

/**
 * True when this browser's customer may see members-only pages: a subscription that is trialing,
 * active or past_due (a failed renewal keeps access while Stripe retries the payment). Gate a page
 * with one line in its frontmatter:
 *   if (!isMember(await Astro.locals.viewer())) return Astro.rewrite(MEMBERS_ONLY_PAGE);
 */
export function isMember(viewer: Viewer): boolean {
  return viewer.subscription !== null && isMemberStatus(viewer.subscription.status);
}
