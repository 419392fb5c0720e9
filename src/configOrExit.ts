import { loadConfig, type AppConfig } from './config';
import { ConfigError } from './errors';

/**
 * Reads the configuration with `read`; a `ConfigError` ends the process (exit 1) with every
 * problem and its fix, instead of a stack trace.
 */
export function configOrExit<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`${e.message}\n\nSee .env.example for every setting.`);
      process.exit(1);
    }
    throw e;
  }
}

/** Without tenant credentials there is nothing to talk to: the demo tenant is `npm start` (demo/main.ts), not part of the build. */
export const NO_TENANT =
  'No tenant credentials: set TENANT_ID, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET (or GRAPH_AUTH for a managed identity or a certificate), JAMF_URL, JAMF_CLIENT_ID and JAMF_CLIENT_SECRET in .env (or the environment), or run `npm start` for the demo tenant';

/**
 * The configuration of a real tenant, as the production entry and the setup doctor read it: any
 * mistake, or no tenant credentials at all, ends the process with the fix (`configOrExit`).
 */
export function tenantConfigOrExit(env: NodeJS.ProcessEnv): AppConfig {
  return configOrExit(() => {
    const c = loadConfig(env);
    if (c.mode === 'demo') throw new ConfigError([NO_TENANT]);
    return c;
  });
}
