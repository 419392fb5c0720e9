import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../src/config';
import { applyDemoScenarios, makeNotOnboarded, type DemoScenario } from './demoScenarios';
import { createDemoTls, type DemoTls } from './demoTls';
import { generateFleet, type GeneratedFleet } from './generateFleet';
import { startGraphSimulator, type GraphSimulator } from './graphSimulator';
import { startJamfSimulator, type JamfSimulator } from './jamfSimulator';
import { DEMO_BOT_ID } from './demoIdentities';
import { FleetChurn, type ChurnSummary } from './fleetChurn';
import type { WebhookDeliveryKnobs } from './jamfWebhookSender';
import { webhookingJamf, type WebhookingJamf } from './webhookingJamf';
import { TeamsAppInstallations } from './teamsAppInstallations';
import { withDemoIdentities } from './withDemoIdentities';

/** The built-in demo tenant: a generated fleet served by HTTPS simulators of Jamf Pro and Graph. */
export interface DemoTenant {
  fleet: GeneratedFleet;
  tls: DemoTls;
  jamf: JamfSimulator;
  graph: GraphSimulator;
  /**
   * The bot's app in the tenant's catalog and who has it installed: served by the Graph
   * simulator, and handed to the Bot Connector simulator (`appInstalls`) so both agree.
   */
  teamsApps: TeamsAppInstallations;
  /**
   * The fleet's churn (`churnPerHour`; running when above 0, stopped on close). Its Jamf changes
   * raise Jamf Pro's webhooks to those stored in the simulator; `applyChanges(n)` applies n now.
   */
  churn: FleetChurn;
  /**
   * The Jamf simulator's mutations that raise webhooks as Jamf Pro would (the churn writes
   * through them; so do the demo's scripted stories). `settled()` waits for their deliveries.
   */
  jamfWithWebhooks: WebhookingJamf;
  /**
   * The app config pointed at the simulators, with this run's throw-away credentials and the
   * demo's identities (withDemoIdentities.ts).
   */
  configure(config: AppConfig): AppConfig;
  close(): Promise<void>;
}

export interface DemoTenantOptions {
  size?: number;
  seed?: number;
  now?: Date;
  /** Simulated latency per request, for benchmarks. */
  latencyMs?: number;
  /**
   * The Jamf simulator's response time per record per section of an inventory answer, on top of
   * `latencyMs` (`DEMO_JAMF_RECORD_COST_MS`): a bigger page or more sections take longer. Default 0.
   */
  jamfRecordCostMs?: number;
  /** Bad states to start in (`DEMO_SCENARIO`), applied in order after the fleet is generated. */
  scenarios?: readonly DemoScenario[];
  /**
   * Start as a tenant where the integration was never set up (no connector group, no macOS
   * assignment, no Applicable/Compliance smart groups), for `onboard group`. Default: set up.
   */
  fresh?: boolean;
  /** The bot's Teams app manifest id as the catalog lists it (default: the demo bot's, as `config.bot.manifestId`). */
  teamsAppId?: string;
  /** Share of the fleet changing per hour (`DEMO_CHURN_PER_HOUR`); 0 (default) = still. */
  churnPerHour?: number;
  /** How often the churn applies its changes. Default one minute. */
  churnTickMs?: number;
  /** Told after each churn tick that changed something (the demo logs it). */
  onChurn?: (summary: ChurnSummary) => void;
  /** Duplicates and reordering of the simulator's webhook deliveries. Default: none. */
  webhookDelivery?: Partial<WebhookDeliveryKnobs>;
  /** Where a failed webhook send is reported (a delivery the receiver refused is not one). Default: ignored. */
  onWebhookError?: (err: unknown) => void;
}

/**
 * Starts the demo tenant. Credentials are random per run (never committed, never logged) and
 * the simulators trust only them, so the clients take the same authenticated path as against
 * a real tenant.
 */
export async function startDemoTenant(opts: DemoTenantOptions = {}): Promise<DemoTenant> {
  const fleet = generateFleet({ size: opts.size, seed: opts.seed, now: opts.now });
  if (opts.fresh) makeNotOnboarded(fleet, opts.now);
  applyDemoScenarios(fleet, opts.scenarios ?? [], opts.now);
  const tls = await createDemoTls(opts.now);
  const secret = () => randomBytes(24).toString('base64url');
  const jamfCreds = { clientId: 'demo-jamf-client', clientSecret: secret() };
  const graphCreds = { clientId: 'demo-graph-app', clientSecret: secret() };
  const teamsApps = new TeamsAppInstallations(opts.teamsAppId ?? DEMO_BOT_ID);
  const [jamf, graph] = await Promise.all([
    startJamfSimulator({
      fleet,
      tls,
      ...jamfCreds,
      latencyMs: opts.latencyMs,
      recordCostMs: opts.jamfRecordCostMs,
      now: opts.now ? () => opts.now!.getTime() : undefined,
      webhookSender: opts.webhookDelivery,
    }),
    startGraphSimulator({
      fleet,
      tls,
      tenantId: fleet.tenantId,
      ...graphCreds,
      latencyMs: opts.latencyMs,
      teamsApps,
    }),
  ]);
  const jamfWithWebhooks = webhookingJamf(jamf, opts.onWebhookError ?? (() => undefined));
  const churn = new FleetChurn({
    jamf: jamfWithWebhooks,
    graph,
    fleet,
    perHour: opts.churnPerHour ?? 0,
    seed: (opts.seed ?? 42) + 1,
    tickMs: opts.churnTickMs,
    onChanges: opts.onChurn,
  });
  churn.start();
  return {
    fleet,
    tls,
    jamf,
    graph,
    teamsApps,
    churn,
    jamfWithWebhooks,
    configure: (base) => {
      const config = withDemoIdentities(base);
      // The catalog lists the bot this config runs as.
      teamsApps.app.externalId = config.bot.manifestId;
      return {
        ...config,
        tenantId: fleet.tenantId,
        graph: {
          ...config.graph,
          baseUrl: graph.url,
          authorityHost: graph.authorityHost,
          ...graphCreds,
          ca: tls.caCert,
        },
        jamf: { ...config.jamf, baseUrl: jamf.url, ...jamfCreds, ca: tls.caCert },
      };
    },
    close: async () => {
      churn.stop();
      await Promise.all([jamf.close(), graph.close()]);
    },
  };
}
