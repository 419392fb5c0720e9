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
