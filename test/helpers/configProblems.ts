import { loadConfig } from '../../src/config';
import { ConfigError } from '../../src/errors';

/** The problems `loadConfig` reports for `env` (none when it loads). */
export function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}
