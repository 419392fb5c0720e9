import { randomBytes } from 'node:crypto';
import { configSecrets, type AppConfig } from '../src/config';
import type { Logger } from '../src/log';
import type { RunningBot } from '../src/startBot';
import { diagnoseFleetSnapshot } from '../src/lookup/diagnoseFleetSnapshot';
import { rolloutCounts, utcDay } from '../src/rollout/takeRolloutSnapshot';
import { dropCompliance } from './complianceDrop';
import { cancellableSleeps } from './cancellableSleeps';
import { startConnectorSimulator } from './connectorSimulator';
import type { DemoSettings } from './loadDemoSettings';
import { PlaygroundStory } from './playgroundStory';
import { fleetPeople, seedPastCampaign } from './seedPastCampaign';
import { DEMO_HISTORY_DAYS, seedRolloutHistory } from './seedRolloutHistory';
import { startDemoTenant } from './startDemoTenant';
import { storeDemoWebhooks } from './storeDemoWebhooks';
import { withDemoServiceUrl } from './withDemoServiceUrl';

/** Duplicates and reordering of the demo Jamf Pro's webhook deliveries: a modest share, as in life. */
export const DEMO_WEBHOOK_DELIVERY = { duplicateShare: 0.05, reorderWindow: 4 } as const;
/** The drop happens this long after the bot has a fleet picture and knows its admin channel. */
const DROP_AFTER_MS = 30_000;
const POLL_MS = 2_000;

export interface DemoSimulators {
  /** The config pointed at the simulators, with this run's throw-away credentials. */
  config: AppConfig;
  /** The secrets the simulators added to the config, for the logger to blank. */
  secrets: string[];
  /**
   * Once the bot listens: the demo Jamf Pro's webhooks point at it, the Playground story and
   * `DEMO_SCENARIO`'s events are scheduled.
   */
  botStarted(bot: Pick<RunningBot, 'url' | 'app'>): Promise<void>;
  close(): Promise<void>;
}

/**
 * The demo tenant (Jamf Pro and Graph simulators over HTTPS, with their own CA, and the fleet's
 * churn posting Jamf's webhooks) and a Bot Connector stand-in for reminders, with the bot's
 * config pointed at them.
 */
export async function startDemoSimulators(
  base: AppConfig,
  settings: Pick<DemoSettings, 'fleet'> &
    Partial<Pick<DemoSettings, 'events' | 'storySeconds' | 'playground'>>,
  logger: Logger,
): Promise<DemoSimulators> {
  const log = logger.child({ component: 'demo' });
  const demo = await startDemoTenant({
    ...settings.fleet,
    webhookDelivery: DEMO_WEBHOOK_DELIVERY,
    onWebhookError: (err) => log.warn({ err }, 'demo Jamf Pro: a webhook could not be sent'),
    onChurn: (summary) => log.debug({ churn: summary }, 'demo tenant: the fleet changed'),
  });
  let config = demo.configure(base);
  // Webhooks work out of the box: a secret for this run unless one is set (never logged: it is
  // among `secrets`, which the logger blanks).
  if (!config.jamfWebhooks.secret)
    config = {
      ...config,
      jamfWebhooks: { ...config.jamfWebhooks, secret: randomBytes(32).toString('base64url') },
    };
  // `setup webhooks` and `setup check` in the demo see the webhooks the demo stored (pointing at
  // the bot on loopback) as right: the demo's public address is its listening one, as for its
  // CSV links. Unknown before listening on PORT=0 (tests), and an explicit PUBLIC_URL wins.
  if (!config.broadcast.publicUrl && config.http.port !== 0)
    config = {
      ...config,
      broadcast: { ...config.broadcast, publicUrl: `http://127.0.0.1:${config.http.port}` },
    };
  // Reminders to demo users who never chatted go to a Bot Connector stand-in whose inbox page
  // shows what each of them received (the Playground only shows its own user's chat) — unless
  // BOT_SERVICE_URL is set explicitly, which wins. The stand-in is as strict as Teams: the demo's
  // tenant, its users' 1:1s (either id), no token asked for (the demo bot has no credentials).
  const names = new Map(
    demo.fleet.graph.users.map((u) => [u.id.toLowerCase(), `${u.displayName} (${u.userPrincipalName})`]),
  );
  const inbox = await startConnectorSimulator({
    inboxPage: { names: (id) => names.get(id.toLowerCase()) ?? null },
    appInstalls: demo.teamsApps,
    tenantId: demo.fleet.tenantId,
    botAppId: demo.teamsApps.botAppId,
  });
  if (settings.events?.includes('lost-answers')) {
    inbox.fault({ operation: 'send', status: 502, code: 'BadGateway', afterDelivery: true, every: 5 });
    log.info('demo: every fifth reminder is delivered, then answered 502 (DEMO_SCENARIO=lost-answers)');
  }
  const serviceUrl = withDemoServiceUrl(config, inbox.serviceUrl);
  config = serviceUrl.config;
  logger.info({ serviceUrl: config.broadcast.serviceUrl, used: serviceUrl.used }, serviceUrl.note);
  if (serviceUrl.used === 'stand-in') {
    logger.info(
      { url: `${inbox.serviceUrl}demo/inbox` },
      `demo inbox (what reminded users received): ${inbox.serviceUrl}demo/inbox`,
    );
  }
  logger.info(
    {
      macs: demo.fleet.jamf.computers.length,
      jamf: demo.jamf.url,
      graph: demo.graph.url,
      churnPerHour: settings.fleet.churnPerHour,
    },
    'demo tenant: Jamf Pro and Microsoft Graph simulators started',
  );

  const storySeconds = settings.storySeconds ?? 0;
  const story =
    storySeconds > 0
      ? new PlaygroundStory({
          fleet: demo.fleet,
          jamf: demo.jamf,
          jamfWithWebhooks: demo.jamfWithWebhooks,
          graph: demo.graph,
          fixAfterMs: storySeconds * 1000,
          onStep: (step, facts) =>
            log.info(
              facts,
              step === 'fixed'
                ? `demo story: ${facts.macName} now has FileVault on all disks and sent inventory (Jamf posts its webhooks)`
                : `demo story: Entra ID now reports ${facts.macName} compliant; the thank-you follows at the bot's next re-check`,
            ),
        })
      : null;
  // Before the bot's first build: the story's Mac starts not compliant.
  story?.prepare();

  let closed = false;
  const { sleep, cancelAll } = cancellableSleeps();
  /** Polls until `ready` holds; false when the demo closed first. */
  const until = async (ready: () => Promise<boolean>): Promise<boolean> => {
    while (!closed) {
      if (await ready()) return true;
      await sleep(POLL_MS);
    }
    return false;
  };
  const background = (what: string, run: () => Promise<void>) =>
    void run().catch((err: unknown) => log.error({ err }, `demo: ${what} failed`));

  return {
    config,
    secrets: configSecrets(config),
    async botStarted(bot) {
      const { app } = bot;
      const stored = await storeDemoWebhooks({ jamf: app.jamf, config, botUrl: bot.url });
      log.info(
        { url: stored.url, webhooks: stored.actions },
        `demo Jamf Pro posts its webhooks to ${stored.url} (churn, duplicates and reordering included)`,
      );
      const snapshotReady = async () => (await app.store.getFleetSnapshotMeta()) !== null;
      const readyFleet = async () => {
        const fleet = await app.fleetReader.read();
        if (fleet.state !== 'ready') throw new Error('the fleet snapshot is not ready');
        return fleet;
      };
      // Weeks of rollout history for the trend and the forecast, ending at today's figures —
      // only in a store without any (a restart keeps what the first start or the bot stored).
      background('the rollout history', async () => {
        if (!(await until(snapshotReady))) return;
        const now = new Date();
        const result = await seedRolloutHistory({
          store: app.store,
          now,
          days: DEMO_HISTORY_DAYS,
          seed: settings.fleet.seed,
          snapshotHourUtc: config.rollout.snapshotHourUtc,
          today: async () => {
            const stored = await app.store.getSnapshot(utcDay(now));
            if (stored) return stored;
            return rolloutCounts(
              { diagnose: diagnoseFleetSnapshot(config.criteria) },
              await readyFleet(),
              now,
            );
          },
        });
        log.info(
          { rolloutHistoryDays: result.seeded },
          'kept' in result
            ? 'demo: the store already has rollout history; none added'
            : `demo: ${result.seeded} days of rollout history stored before today, for the trend and the forecast`,
        );
      });
      // A finished campaign from ten days ago with its outcomes, for the funnel — only in a store
      // without any campaign.
      background('the past campaign', async () => {
        if (!(await until(snapshotReady))) return;
        const now = new Date();
        const result = await seedPastCampaign({
          store: app.store,
          now,
          people: async () => fleetPeople(diagnoseFleetSnapshot(config.criteria)(await readyFleet(), now)),
        });
        if (result.seeded)
          log.info(
            { campaignId: result.campaignId, startedAt: result.startedAt },
            `demo: a past campaign with its outcomes stored (\`campaign ${result.campaignId}\` shows its funnel)`,
          );
        else if ('kept' in result) log.info('demo: the store already has campaigns; no past campaign added');
        else log.warn(`demo: no past campaign: ${result.reason}`);
      });
      if (story) {
        const who = story.person;
        const playground = settings.playground?.enabled ?? false;
        const when = playground
          ? `${storySeconds} s after ${who.givenName} first chats in the Playground`
          : `in ${storySeconds} s`;
        log.info(
          { mac: story.mac.general.name, person: who.name },
          `demo story: ${story.mac.general.name} (${who.name}, the Playground's user) is not compliant: FileVault on the boot disk only. ` +
            `It gets fixed ${when} — ask \`status\`, then wait a few minutes for the thank-you card`,
        );
        background('the Playground story', async () => {
          const started = await until(
            async () =>
              (await snapshotReady()) &&
              (!playground || (await app.store.findPersonalConversation(who.aadObjectId)) !== null),
          );
          if (started) story.start();
        });
      }
      if (settings.events?.includes('compliance-drop')) {
        background('the compliance drop', async () => {
          const { adminChannelId } = config.alerts;
          const channelKnown = async () =>
            (adminChannelId
              ? await app.store.getConversation(adminChannelId)
              : await app.store.firstChannel()) !== null;
          if (!(await until(async () => (await snapshotReady()) && (await channelKnown())))) return;
          await sleep(DROP_AFTER_MS);
          if (closed) return;
          const count = Math.max(10, Math.ceil(config.liveUpdates.dropAlertMacs * 1.5));
          const { removed, deliveries } = await dropCompliance({
            fleet: demo.fleet,
            jamf: demo.jamf,
            webhooks: demo.jamf.webhooks,
            count,
          });
          log.info(
            { macs: removed.length, deliveries: deliveries.length },
            `demo: ${removed.length} Macs just left the Compliance group at once (DEMO_SCENARIO=compliance-drop)`,
          );
        });
      }
    },
    close: async () => {
      closed = true;
      story?.stop();
      cancelAll();
      await demo.close();
      await inbox.close();
    },
  };
}
