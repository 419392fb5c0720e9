import { createApp, type App, type AppDeps } from '../../src/app';
import { loadConfig, type AppConfig } from '../../src/config';
import { startConnectorSimulator, type ConnectorSimulator } from '../../demo/connectorSimulator';
import { silentLogger } from '../../src/log';
import { startDemoTenant, type DemoTenant, type DemoTenantOptions } from '../../demo/startDemoTenant';

export interface BotHarness {
  app: App;
  config: AppConfig;
  demo: DemoTenant;
  url: string;
  connector: ConnectorSimulator;
  /** POSTs an activity to /api/messages over real HTTP; returns status and parsed body. */
  post(activity: unknown): Promise<{ status: number; body: unknown }>;
  /** Stops the app and starts a new one on the same config (and database file), as a restart would. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the real app on a free loopback port, with a Bot Connector stand-in to receive replies.
 * The database is in memory unless `env.DATABASE_PATH` names a file.
 */
export async function startBot(
  env: Record<string, string> = {},
  demoOptions: DemoTenantOptions = {},
  /** What the composition root takes besides the config (e.g. an injected fleet snapshot). */
  appDeps: Omit<AppDeps, 'logger'> = {},
): Promise<BotHarness> {
  const demo = await startDemoTenant({ size: 300, ...demoOptions });
  const config = demo.configure(
    loadConfig({
      PORT: '0',
      PLAYGROUND: 'false',
      LOG_LEVEL: 'silent',
      DATABASE_PATH: ':memory:',
      // Tests send many commands as one person in seconds; the per-user limit has its own tests.
      RATE_LIMIT_COMMANDS: '10000',
      ...env,
    }),
  );
  const app = createApp(config, { ...appDeps, logger: silentLogger() });
  const { url } = await app.listen();
  // As strict as Teams: unknown conversations 404, the tenant must match (the activities this
  // harness posts are the conversations Teams knows: `post` tells the stand-in).
  const connector = await startConnectorSimulator({
    appInstalls: demo.teamsApps,
    tenantId: demo.fleet.tenantId,
    botAppId: demo.teamsApps.botAppId,
  });
  const harness: BotHarness = {
    app,
    config,
    demo,
    url,
    connector,
    async post(activity) {
      connector.learn(activity);
      const res = await fetch(`${harness.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // not JSON
      }
      return { status: res.status, body };
    },
    async restart() {
      await harness.app.close();
      harness.app = createApp(config, { ...appDeps, logger: silentLogger() });
      harness.url = (await harness.app.listen()).url;
    },
    async close() {
      await Promise.all([harness.app.close(), connector.close(), demo.close()]);
    },
  };
  return harness;
}

/** The Adaptive Card in a sent activity, or undefined. */
export function cardOf(activity: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const atts = activity?.attachments as
    { contentType: string; content: Record<string, unknown> }[] | undefined;
  return atts?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** Every string in a card, joined: handy for "the card mentions X" assertions. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(card);
  return out.join('\n');
}

/** Every card the bot sent since the last reset must be one a Teams client can show. */
export function expectSentCardsValid(bot: BotHarness): void {
  // Imported here so tests that never validate cards do not load jsdom.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { checkCard } = require('./validateCard') as typeof import('./validateCard');
  for (const activity of bot.connector.sent()) {
    const card = cardOf(activity);
    if (card) expect(checkCard(card).problems).toEqual([]);
  }
}

/** Sends a message as `from` and returns the card of the bot's (first) answer. */
export async function askCard(
  bot: BotHarness,
  text: string,
  from: import('../../demo/demoIdentities').DemoPerson,
): Promise<Record<string, unknown> | undefined> {
  const { messageActivity } = await import('./activities');
  const res = await bot.post(messageActivity(text, { from, serviceUrl: bot.connector.serviceUrl }));
  expect(res.status).toBe(200);
  const [sent] = await bot.connector.waitForSent(1);
  return cardOf(sent);
}

/** Polls `check` every 50 ms until it holds; fails after `ms`. */
export async function waitUntil(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * An admin in a team channel: `say` posts a message and resolves to the card the bot answered
 * with; `press` presses a card button and resolves to the invoke response's value.
 */
export function adminInChannel(bot: () => BotHarness): {
  say(text: string): Promise<Record<string, unknown> | undefined>;
  press(verb: string, data: Record<string, unknown>): Promise<unknown>;
} {
  const channel = async () => {
    const { ADMIN } = await import('./activities');
    return { scope: 'channel' as const, from: ADMIN, serviceUrl: bot().connector.serviceUrl };
  };
  return {
    async say(text) {
      const { messageActivity } = await import('./activities');
      const before = bot().connector.sent().length;
      const res = await bot().post(messageActivity(text, await channel()));
      expect(res.status).toBe(200);
      const sent = await bot().connector.waitForSent(before + 1);
      return cardOf(sent[before]);
    },
    async press(verb, data) {
      const { cardActionActivity } = await import('./activities');
      const res = await bot().post(cardActionActivity(verb, data, await channel()));
      expect(res.status).toBe(200);
      return (res.body as { value: unknown }).value;
    },
  };
}

/** A JAMF_WEBHOOK_SECRET for tests (≥ 32 characters). */
export const TEST_WEBHOOK_SECRET = 'demo-tenant-webhook-secret-for-e2e-tests-0123456789';

/**
 * Points the demo Jamf Pro's webhooks at this bot, as `npm start` does (demo/storeDemoWebhooks.ts):
 * start the harness with `JAMF_WEBHOOK_SECRET` set (e.g. `TEST_WEBHOOK_SECRET`).
 */
export async function pointJamfWebhooksAtBot(
  bot: BotHarness,
): Promise<import('../../demo/storeDemoWebhooks').StoredDemoWebhooks> {
  const { storeDemoWebhooks } = await import('../../demo/storeDemoWebhooks');
  return storeDemoWebhooks({ jamf: bot.app.jamf, config: bot.config, botUrl: bot.url });
}

/**
 * Every action of a card, in the body and at the end, in order — not its Universal Actions
 * `refresh`, which is no button.
 */
export function cardActions(card: unknown): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Action.')) out.push(o);
      for (const [k, x] of Object.entries(o)) if (k !== 'refresh') walk(x);
    }
  };
  walk(card);
  return out;
}
