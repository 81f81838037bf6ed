/**
 * Who may open /admin: the owner, as Cloudflare Access vouches for them on every request
 * (access.ts), or, in the offline demo only, the local stand-in (local-access.ts). Without Access
 * configured and outside the demo, /admin does not exist (404): it fails closed.
 */
import { isLoopbackHost } from '../http/origin.ts';
import { isTestModeKey } from '../stripe/ids.ts';
import { ACCESS_JWT_HEADER, accessKeys, verifyAccessToken, type AccessFailure } from './access.ts';
import { LOCAL_ACCESS, localAccessKeys, mintLocalOwnerToken } from './local-access.ts';

/** What decides how the owner is recognised (from SiteConfig). */
export interface OwnerSettings {
  accessTeamDomain?: string;
  accessAudience?: string;
  demoMode: boolean;
  stripeApiKey?: string;
  siteOrigin?: string;
}

export type OwnerCheck =
  /** `demo`: the local stand-in vouched, not Cloudflare Access (the pages say so). */
  | { ok: true; email: string; demo: boolean }
  | { ok: false; status: 404; reason: 'not_configured' }
  | { ok: false; status: 403; reason: AccessFailure };

/**
 * The demo's stand-in answers only when all of these hold: DEMO_MODE, Access not configured, the
 * request on a loopback host (a deployed worker is never reached as localhost), SITE_URL unset or
 * itself loopback, and no live Stripe key (with one there are real customers to protect).
 */
export function standInAllowed(settings: OwnerSettings, requestUrl: URL): boolean {
  if (!settings.demoMode || settings.accessTeamDomain || settings.accessAudience) return false;
  if (!isLoopbackHost(requestUrl.hostname)) return false;
  if (settings.siteOrigin && !isLoopbackHost(new URL(settings.siteOrigin).hostname)) return false;
  return settings.stripeApiKey === undefined || isTestModeKey(settings.stripeApiKey);
}

/**
 * Checks the `Cf-Access-Jwt-Assertion` header of an /admin request. With Access configured, the
 * token must verify against the team's keys (RS256, issuer, audience, lifetime); in the demo, the
 * stand-in signs a token for a request that has none and verifies it the same way, so a bad
 * token is refused there too.
 */
export async function checkOwner(request: Request, settings: OwnerSettings): Promise<OwnerCheck> {
  const url = new URL(request.url);
  const token = request.headers.get(ACCESS_JWT_HEADER);
  const { accessTeamDomain: teamDomain, accessAudience: audience } = settings;
  if (teamDomain && audience) {
    const result = await verifyAccessToken(token, { teamDomain, audience, keys: accessKeys(teamDomain) });
    return result.ok
      ? { ok: true, email: result.email, demo: false }
      : { ok: false, status: 403, reason: result.reason };
  }
  if (!standInAllowed(settings, url)) return { ok: false, status: 404, reason: 'not_configured' };
  const result = await verifyAccessToken(token ?? (await mintLocalOwnerToken()), {
    ...LOCAL_ACCESS,
    keys: await localAccessKeys(),
  });
  return result.ok ? { ok: true, email: result.email, demo: true } : { ok: false, status: 403, reason: result.reason };
}
