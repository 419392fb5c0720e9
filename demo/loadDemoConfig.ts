import { loadConfig, type AppConfig } from '../src/config';
import { ConfigError } from '../src/errors';
import { loadDemoSettings, type DemoSettings } from './loadDemoSettings';

/**
 * The bot's configuration and the demo entry's own settings, read together so that start-up
 * fails once, with every wrong setting of both listed in one `ConfigError`.
 */
export function loadDemoConfig(env: NodeJS.ProcessEnv): { config: AppConfig; demo: DemoSettings } {
  const problems: string[] = [];
  const attempt = <T>(read: () => T): T | null => {
    try {
      return read();
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(...e.problems);
      return null;
    }
  };
  const config = attempt(() => loadConfig(env));
  // Without a valid config, assume demo mode: only the Playground's default depends on it.
  const demo = attempt(() => loadDemoSettings(env, config?.mode ?? 'demo'));
  if (!config || !demo) throw new ConfigError(problems);
  return { config, demo };
}
