import { z } from 'zod';
import { boolSetting, intSetting, type AppConfig } from '../src/config';
import { ConfigError } from '../src/errors';
import { DEMO_SCENARIOS, type DemoScenario } from './demoScenarios';

/** The demo entry's own settings (`.env.example` documents them): the demo tenant and the Playground. */
export interface DemoSettings {
  /** Size of the demo fleet the demo tenant generates, its seed, and the bad states it starts in. */
  fleet: { size: number; seed: number; scenarios: DemoScenario[] };
  playground: { enabled: boolean; port: number };
}

const schema = z.object({
  PLAYGROUND: boolSetting.optional(),
  // 0 = any free port (tests).
  PLAYGROUND_PORT: intSetting(0, 65535).default(56150),
  DEMO_FLEET_SIZE: intSetting(10, 50000).default(500),
  DEMO_SEED: intSetting(0, 2 ** 31).default(42),
  DEMO_SCENARIO: z.string().default(''),
});

/**
 * Reads the demo settings; the Playground is on by default in demo mode (no tenant credentials).
 * Throws a `ConfigError` naming each wrong setting, as `loadConfig` does.
 */
export function loadDemoSettings(env: NodeJS.ProcessEnv, mode: AppConfig['mode']): DemoSettings {
  const parsed = schema.safeParse(
    Object.fromEntries(
      Object.entries(env).filter(([k, v]) => k in schema.shape && v !== undefined && v !== ''),
    ),
  );
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0] ?? '')}: ${i.message}`));
  }
  const e = parsed.data;
  const scenarios = e.DEMO_SCENARIO.split(/[\s,;]+/).filter(Boolean);
  const unknown = scenarios.filter((name) => !(DEMO_SCENARIOS as readonly string[]).includes(name));
  if (unknown.length) {
    throw new ConfigError(
      unknown.map(
        (name) => `DEMO_SCENARIO: "${name}" is not a demo scenario — use any of ${DEMO_SCENARIOS.join(', ')}`,
      ),
    );
  }
  return {
    fleet: { size: e.DEMO_FLEET_SIZE, seed: e.DEMO_SEED, scenarios: scenarios as DemoScenario[] },
    playground: { enabled: e.PLAYGROUND ?? mode === 'demo', port: e.PLAYGROUND_PORT },
  };
}
