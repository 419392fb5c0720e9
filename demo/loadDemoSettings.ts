import { z } from 'zod';
import { boolSetting, intSetting, type AppConfig } from '../src/config';
import { ConfigError } from '../src/errors';
import { DEMO_EVENTS, type DemoEvent } from './demoEvents';
import { DEMO_SCENARIOS, type DemoScenario } from './demoScenarios';

/** The demo entry's own settings (`.env.example` documents them): the demo tenant and the Playground. */
export interface DemoSettings {
  /**
   * Size of the demo fleet the demo tenant generates, its seed, the bad states it starts in, the
   * Jamf simulator's response time per record and section (`DEMO_JAMF_RECORD_COST_MS`), and the
   * share of the fleet that changes per hour (`DEMO_CHURN_PER_HOUR`, demo/fleetChurn.ts).
   */
  fleet: {
    size: number;
    seed: number;
    scenarios: DemoScenario[];
    jamfRecordCostMs: number;
    churnPerHour: number;
  };
  /** What happens while the demo runs: `DEMO_SCENARIO`'s events (demo/demoEvents.ts). */
  events: DemoEvent[];
  /**
   * The Playground story (demo/playgroundStory.ts): seconds after the Playground's user first
   * chats until their Mac is fixed (`DEMO_STORY_SECONDS`); 0 = off, their Mac stays compliant.
   */
  storySeconds: number;
  playground: { enabled: boolean; port: number };
}

/** A decimal setting within bounds (fractions of a millisecond, shares of the fleet). */
const decimal = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** Default churn: 2 % of the fleet an hour — about one change every 6 minutes in the 500-Mac demo. */
export const DEFAULT_DEMO_CHURN_PER_HOUR = 0.02;

/** The Playground's user sees their Mac fixed a minute after they first chat. */
export const DEFAULT_DEMO_STORY_SECONDS = 60;

const schema = z.object({
  PLAYGROUND: boolSetting.optional(),
  // 0 = any free port (tests).
  PLAYGROUND_PORT: intSetting(0, 65535).default(56150),
  DEMO_FLEET_SIZE: intSetting(10, 50000).default(500),
  DEMO_SEED: intSetting(0, 2 ** 31).default(42),
  DEMO_SCENARIO: z.string().default(''),
  DEMO_JAMF_RECORD_COST_MS: decimal(0, 100).default(0),
  DEMO_CHURN_PER_HOUR: decimal(0, 1).default(DEFAULT_DEMO_CHURN_PER_HOUR),
  DEMO_STORY_SECONDS: intSetting(0, 3600).default(DEFAULT_DEMO_STORY_SECONDS),
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
  const names = e.DEMO_SCENARIO.split(/[\s,;]+/).filter(Boolean);
  const isEvent = (name: string) => (DEMO_EVENTS as readonly string[]).includes(name);
  const scenarios = names.filter((name) => !isEvent(name));
  const known = [...DEMO_SCENARIOS, ...DEMO_EVENTS];
  const unknown = scenarios.filter((name) => !(DEMO_SCENARIOS as readonly string[]).includes(name));
  if (unknown.length) {
    throw new ConfigError(
      unknown.map(
        (name) => `DEMO_SCENARIO: "${name}" is not a demo scenario — use any of ${known.join(', ')}`,
      ),
    );
  }
  return {
    fleet: {
      size: e.DEMO_FLEET_SIZE,
      seed: e.DEMO_SEED,
      scenarios: scenarios as DemoScenario[],
      jamfRecordCostMs: e.DEMO_JAMF_RECORD_COST_MS,
      churnPerHour: e.DEMO_CHURN_PER_HOUR,
    },
    events: [...new Set(names.filter(isEvent))] as DemoEvent[],
    storySeconds: e.DEMO_STORY_SECONDS,
    playground: { enabled: e.PLAYGROUND ?? mode === 'demo', port: e.PLAYGROUND_PORT },
  };
}
