/**
 * Reads and validates the site's variables once per isolate (the table is settings.ts). Nothing
 * here throws: a missing or malformed variable becomes its fallback plus a problem that the route
 * needing it can show.
 */
import { isTestModeKey } from '../stripe/ids.ts';
import { SETTINGS, type Setting, type SettingValues, type VariableName } from './settings.ts';

/** The variables as the Worker's env holds them; every one is optional so a half-configured site still answers. */
export type SiteVariables = { [K in VariableName]?: string };

/** One misconfigured variable, described without ever echoing its value. */
interface ConfigProblem {
  variable: VariableName;
  message: string;
}

export interface SiteConfig extends SettingValues {
  problems: ConfigProblem[];
}

/** Validates the raw variables into a config plus a list of problems. */
export function readConfig(vars: SiteVariables): SiteConfig {
  const problems: ConfigProblem[] = [];
  const values: Record<string, unknown> = {};
  for (const [field, setting] of Object.entries(SETTINGS) as Array<[string, Setting<unknown, VariableName>]>) {
    const raw = vars[setting.variable]?.trim();
    const parsed = raw ? setting.parse(raw) : undefined;
    if (raw && parsed === undefined)
      problems.push({
        variable: setting.variable,
        message: typeof setting.problem === 'function' ? setting.problem(raw) : setting.problem,
      });
    values[field] = parsed ?? setting.fallback;
  }
  const config = { ...(values as SettingValues), problems };

  // Rules between variables.
  if (config.shippingPriceId && config.shippingCountries.length === 0) {
    problems.push({
      variable: 'SHIPPING_PRICE',
      message: 'SHIPPING_PRICE is ignored without SHIPPING_COUNTRIES: nothing is shipped.',
    });
    config.shippingPriceId = undefined;
  }
  // /admin needs both: a token is checked for one team's keys AND one application's audience.
  if (Boolean(config.accessTeamDomain) !== Boolean(config.accessAudience)) {
    const missing = config.accessTeamDomain ? 'ACCESS_AUD' : 'ACCESS_TEAM_DOMAIN';
    problems.push({
      variable: missing,
      message: `${missing} is missing: /admin needs ACCESS_TEAM_DOMAIN and ACCESS_AUD together, and answers 404 until both are set.`,
    });
    config.accessTeamDomain = undefined;
    config.accessAudience = undefined;
  }
  // Workshop mode shows one customer's portal to everyone: never with real customers' data.
  if (config.sharedCustomerMode && config.stripeApiKey && !isTestModeKey(config.stripeApiKey)) {
    problems.push({
      variable: 'MYPAGE_SHARED_CUSTOMER',
      message:
        'MYPAGE_SHARED_CUSTOMER=true is ignored with a live-mode key: it would show one customer’s portal to every visitor.',
    });
    config.sharedCustomerMode = false;
  }
  return config;
}
