import { Cron } from 'croner';
import { z } from 'zod';
import { ConfigError } from './errors';
import { LOG_FORMATS, type LogFormat } from './log';
import { readClientCertificate, type ClientCertificate } from './readClientCertificate';
import { withToolkitSettings } from './toolkitSettings';
import { DEFAULT_CRITERIA } from './compliance/defaultCriteria';
import type { ComplianceCriteria, FileVaultStatus } from './compliance/types';

/**
 * Everything the bot can be told, read once from the environment (and `.env`) by the
 * composition root. No other module reads `process.env`. `.env.example` documents each setting.
 */
export interface AppConfig {
  /**
   * `tenant`: a real tenant's credentials are set. `demo`: none are; only the demo entry
   * (demo/main.ts, `npm start`) runs like that, pointing the bot at its simulators.
   */
  mode: 'demo' | 'tenant';
  http: { host: string; port: number; maxBodyBytes: number };
  /**
   * Who may read `GET /metrics` (issue 21). On loopback it is open; beyond loopback only with
   * `token` (a bearer token) on the bot's port, or on `port`, a separate listener on 127.0.0.1
   * only (0 = any free port, tests). Neither set beyond loopback: /metrics answers 404.
   */
  metrics: { token: string | null; port: number | null };
  bot: {
    appId: string;
    appPassword: string;
    appType: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
    appTenantId: string;
    /** Without app credentials JWT checks are off: local use only, bound to loopback. */
    localMode: boolean;
    /** Where the bot lives in the Teams app catalog (manifest id); empty when neither id is set (the demo supplies its own). */
    manifestId: string;
    /**
     * botbuilder's Bot Framework endpoints, for sovereign clouds and tests (which point them at a
     * local stand-in). Empty = the public cloud. Keys are botbuilder's own setting names
     * (`ToBotFromChannelOpenIdMetadataUrl`, `ToChannelFromBotLoginUrl`, …).
     */
    authOverrides: Record<string, string>;
    /** Extra CA (PEM) trusted for the bot's own token requests to a custom login URL (tests). */
    authCa?: string;
  };
  /** The Entra tenant whose users may talk to the bot; empty in demo mode until the demo tenant fills it in. */
  tenantId: string;
  access: {
    /** Entra object ids of admins (in addition to the admin group, when configured). */
    adminUserIds: string[];
    adminGroupId: string | null;
    /** Speaking in a channel of this team (`channelData.team.id`) makes the caller an admin. */
    adminTeamId: string | null;
    /** Narrows `adminTeamId` to one channel of that team. */
    adminTeamChannelId: string | null;
    /**
     * Signs shared device cards' refresh data, shared by all instances (`CARD_SIGNING_KEY`);
     * null = derived from the bot's app password, random per process when there is none.
     */
    cardSigningKey?: string | null;
  };
  /** Per-user command rate limit, to protect Jamf and Graph. */
  rateLimit: { commands: number; windowSeconds: number };
  /** A command that takes longer than this is answered with the error card (Teams waits 15 s). */
  commandDeadlineMs: number;
  /** On SIGTERM: how long in-flight turns may take to finish before connections are cut. */
  shutdownGraceMs: number;
  graph: {
    baseUrl: string;
    authorityHost: string;
    clientId: string;
    clientSecret: string;
    /**
     * How the bot gets its Graph token: the app registration's client secret or certificate; the
     * managed identity's own token (`managed-identity`: the identity holds the Graph permissions);
     * or the app registration trusting the managed identity (`federated`: its token is the client
     * assertion). The last two leave no Microsoft secret to rotate.
     */
    auth: GraphAuth;
    /** `certificate`: read from GRAPH_CLIENT_CERTIFICATE_PATH at start-up. */
    clientCertificate?: ClientCertificate;
    /** A user-assigned managed identity's client id; null = the system-assigned one. */
    managedIdentityClientId: string | null;
    /** `federated`: the audience of the managed identity's token (Entra's token exchange). */
    federatedAudience: string;
    /** Extra CA to trust (PEM): the demo tenant's; unset against Microsoft. */
    ca?: string;
  };
  jamf: {
    baseUrl: string;
    clientId: string;
    clientSecret: string;
    maxConcurrency: number;
    /** Extra CA to trust (PEM): the demo tenant's; unset against a real Jamf Pro. */
    ca?: string;
  };
  criteria: ComplianceCriteria;
  /** The Intune partner connector and the Entra apps `connector status` and `ca audit` check. */
  connector: {
    /** Matched loosely against the compliance partners' display names (the exact name is unconfirmed). */
    name: string;
    /** A heartbeat older than this makes the connector *degraded*. */
    heartbeatStaleAfterMinutes: number;
    /** App id of the *User registration app for Device Compliance* (commercial cloud default). */
    registrationAppId: string;
  };
  /** `format`: `auto` = readable on a terminal, JSON otherwise (`LOG_FORMAT`). */
  log: { level: string; format: LogFormat };
  /**
   * Where the bot's state lives: the embedded SQLite file (created if missing; `:memory:` in
   * tests), unless `databaseUrl` names a PostgreSQL database shared by several instances.
   */
  store: { path: string; databaseUrl: string | null; poolMax: number };
  /** Channel alerts: where they go and how often the connector is checked. */
  alerts: {
    /** Teams channel conversation id; null = the first team channel the bot saw. */
    adminChannelId: string | null;
    connectorCheckMinutes: number;
  };
  /**
   * Rollout snapshots (one per UTC day), the trend's length, the optional daily digest, and the
   * share of applicable Macs compliant the card's forecast aims at.
   */
  rollout: { snapshotHourUtc: number; trendDays: number; dailyDigest: boolean; targetPercent: number };
  /** Jamf's inventory kept in memory for `check device`: reloaded every N minutes; 0 = always ask Jamf live. */
  inventory: { refreshMinutes: number };
  /** The fleet snapshot's sync (src/fleet/): how often, and how it reads Jamf. */
  fleetSync: {
    /** An incremental sync (Graph delta, Jamf changed since) every N minutes. */
    intervalMinutes: number;
    /** Cron (UTC) of the full resync, the safety net for what deltas miss; null = never. */
    fullResyncCron: string | null;
    /** Jamf is asked for Macs reported since the last sync minus this much (clock skew between its nodes). */
    jamfOverlapMinutes: number;
    /** Jamf inventory page size for the sync's reads. */
    jamfPageSize: number;
    /** The longest `Retry-After` the sync waits in one go before asking the same page again. */
    maxThrottleWaitSeconds: number;
  };
  /** What end users are told: the deadline and the Self Service policy that registers a Mac. */
  endUsers: {
    /** `YYYY-MM-DD`; null = no date announced (the welcome then says "soon"). */
    deadline: string | null;
    /** The Self Service policy's display name, exactly as users see it in Self Service. */
    selfServicePolicyName: string;
  };
  /** Reminder campaigns: the Teams ceiling, retries, the frequency cap, links. */
  broadcast: {
    /** Bot Connector requests per second per app (Teams: 50 per app per tenant). */
    maxPerSecond: number;
    /** Sends in flight at once. */
    concurrency: number;
    /** Tries for a send that fails transiently (412, 5xx, network). */
    maxAttempts: number;
    /**
     * How long an instance's claim on a recipient holds without renewal (renewed every third of
     * it while the instance lives): with several instances, a dead one's recipients are resumed
     * after this long.
     */
    leaseSeconds: number;
    /** Nobody is reminded more than once in this many days; 0 = no cap. */
    frequencyCapDays: number;
    /** Where 1:1 conversations are created; null = the serviceUrl of a conversation the bot saw. */
    serviceUrl: string | null;
    /**
     * Users Teams refuses a 1:1 with because the app is not installed for them: install it
     * through Graph (`TeamsAppInstallation.ReadWriteSelfForUser.All`) and send; false = they fail.
     */
    proactiveInstall: boolean;
    /** The progress card in the channel is updated at most this often. */
    progressUpdateSeconds: number;
    /** The bot's public https URL, for download links; null = the listening address (local/demo). */
    publicUrl: string | null;
    /**
     * The campaign card's Export CSV button (a signed link to the bot's `/downloads/…`). In tenant
     * mode it needs `publicUrl`; false = no button and nothing served.
     */
    csvExport: boolean;
    downloadLinkMinutes: number;
    /** HMAC key for download links, shared by all instances; null = random per process. */
    downloadSigningKey: string | null;
  };
  /** The rollout card's batch fixes (issue 19): how fast they send to Jamf Pro. */
  remediationBatch: {
    /** Jamf Pro requests per second for a batch, across every instance. */
    perSecond: number;
  };
  /** Jamf Pro webhooks posted to `POST /api/webhooks/jamf` (issue 22). */
  jamfWebhooks: {
    /** The secret Jamf sends in `headerName` (its HEADER authentication); null = the endpoint answers 404. */
    secret: string | null;
    /** The header Jamf's webhook is configured to send. */
    headerName: string;
    /** Larger bodies are refused (413) before they are parsed. */
    maxBodyBytes: number;
  };
  /** What the bot does when the fleet changes (issue 22). */
  liveUpdates: {
    /** Thank a person once their Mac is compliant in Entra (a 1:1 card, once per Mac). */
    thankYou: boolean;
    /** After a Mac enters Jamf's Compliance group, how long Entra is re-checked (with backoff) before giving up. */
    confirmWithinHours: number;
    /** A drop alert fires when at least this many Macs leave the Compliance group within `dropWindowMinutes`; 0 = off. */
    dropAlertMacs: number;
    dropWindowMinutes: number;
  };
}

/** The ways the bot can authenticate to Microsoft Graph (GRAPH_AUTH). */
export const GRAPH_AUTH_METHODS = ['secret', 'certificate', 'managed-identity', 'federated'] as const;
export type GraphAuth = (typeof GRAPH_AUTH_METHODS)[number];

/** Entra's token exchange audience for a federated credential trusting a managed identity (public cloud). */
export const FEDERATED_TOKEN_AUDIENCE = 'api://AzureADTokenExchange';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: 'use true or false' })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));
const int = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
/** The setting parsers, shared with the demo entry's own settings (demo/loadDemoSettings.ts). */
export { bool as boolSetting, int as intSetting };
const url = z.url({ message: 'must be a URL such as https://example.com' });
const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');
const FILEVAULT: [FileVaultStatus, ...FileVaultStatus[]] = [
  'NOT_APPLICABLE',
  'NOT_ENCRYPTED',
  'BOOT_ENCRYPTED',
  'SOME_ENCRYPTED',
  'ALL_ENCRYPTED',
];

/** Whether croner reads `cron` and it fires at least once more (UTC). */
function cronFires(cron: string): boolean {
  try {
    const job = new Cron(cron, { timezone: 'UTC', paused: true });
    const next = job.nextRun();
    job.stop();
    return next !== null;
  } catch {
    return false;
  }
}

/** How each setting is read and what it is for; `.env.example` mirrors this list. */
const schema = z.object({
  PORT: int(0, 65535).default(3978),
  // 0 = any free port (tests); PLAYGROUND_PORT likewise.
  HOST: z.string().min(1).optional(),
  MAX_BODY_BYTES: int(1024, 10 * 1024 * 1024).default(256 * 1024),
  // The message never repeats the value: it is a credential.
  METRICS_TOKEN: z
    .string()
    .trim()
    .min(24, 'must be at least 24 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces (it is sent as a bearer token)')
    .optional(),
  METRICS_PORT: int(0, 65535).optional(),
  MICROSOFT_APP_ID: z.union([z.literal(''), guid]).default(''),
  MICROSOFT_APP_PASSWORD: z.string().default(''),
  // botbuilder compares the type case-insensitively (it knows `UserAssignedMsi`); so do we.
  MICROSOFT_APP_TYPE: z
    .preprocess(
      (v) =>
        typeof v === 'string'
          ? (['SingleTenant', 'MultiTenant', 'UserAssignedMSI'].find(
              (t) => t.toLowerCase() === v.trim().toLowerCase(),
            ) ?? v)
          : v,
      z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI'], {
        message: 'must be SingleTenant, MultiTenant or UserAssignedMSI',
      }),
    )
    .default('SingleTenant'),
  MICROSOFT_APP_TENANT_ID: z.union([z.literal(''), guid]).default(''),
  TEAMS_APP_ID: guid.optional(),
  TENANT_ID: guid.optional(),
  ADMIN_USER_IDS: z.string().default(''),
  ADMIN_GROUP_ID: guid.optional(),
  ADMIN_TEAM_ID: z
    .string()
    .regex(/^19:\S+$/, 'must be a Teams team id (19:…@thread.tacv2)')
    .optional(),
  ADMIN_TEAM_CHANNEL_ID: z
    .string()
    .regex(/^19:\S+$/, 'must be a Teams channel id (19:…@thread.tacv2)')
    .optional(),
  RATE_LIMIT_COMMANDS: int(1, 10_000).default(20),
  RATE_LIMIT_WINDOW_SECONDS: int(1, 3600).default(60),
  COMMAND_DEADLINE_MS: int(1000, 14_000).default(12_000),
  SHUTDOWN_GRACE_MS: int(0, 120_000).default(10_000),
  // Bot Framework endpoints: sovereign clouds and tests only (see BOT_AUTH_SETTINGS).
  BOTFRAMEWORK_OPENID_METADATA_URL: url.optional(),
  BOTFRAMEWORK_TOKEN_ISSUER: z.string().min(1).optional(),
  BOTFRAMEWORK_EMULATOR_OPENID_METADATA_URL: url.optional(),
  BOTFRAMEWORK_LOGIN_URL: url.optional(),
  BOTFRAMEWORK_OAUTH_SCOPE: z.string().min(1).optional(),
  BOTFRAMEWORK_OAUTH_URL: url.optional(),
  BOTFRAMEWORK_CALLER_ID: z.string().min(1).optional(),
  BOTFRAMEWORK_VALIDATE_AUTHORITY: bool.optional(),
  GRAPH_BASE_URL: url.default('https://graph.microsoft.com/v1.0'),
  GRAPH_AUTHORITY_HOST: url.default('https://login.microsoftonline.com'),
  GRAPH_CLIENT_ID: z.string().default(''),
  GRAPH_CLIENT_SECRET: z.string().default(''),
  GRAPH_AUTH: z
    .enum(GRAPH_AUTH_METHODS, { message: `must be one of ${GRAPH_AUTH_METHODS.join(', ')}` })
    .optional(),
  GRAPH_CLIENT_CERTIFICATE_PATH: z.string().trim().min(1).optional(),
  GRAPH_MANAGED_IDENTITY_CLIENT_ID: guid.optional(),
  GRAPH_FEDERATED_AUDIENCE: z.string().trim().min(1).default(FEDERATED_TOKEN_AUDIENCE),
  JAMF_URL: z.union([z.literal(''), url]).default(''),
  JAMF_CLIENT_ID: z.string().default(''),
  JAMF_CLIENT_SECRET: z.string().default(''),
  JAMF_MAX_CONCURRENCY: int(1, 20).default(5),
  APPLICABLE_GROUP: z.string().min(1).default(DEFAULT_CRITERIA.applicableGroup),
  COMPLIANCE_GROUP: z.string().min(1).default(DEFAULT_CRITERIA.complianceGroup),
  INVENTORY_MAX_AGE_DAYS: int(1, 365).default(DEFAULT_CRITERIA.inventoryMaxAgeDays),
  REQUIRED_APP: z.string().default(DEFAULT_CRITERIA.requiredApp ?? ''),
  REQUIRED_FILEVAULT: z.enum([...FILEVAULT, 'NONE']).default(DEFAULT_CRITERIA.requiredFileVault ?? 'NONE'),
  STALE_AFTER_DAYS: int(1, 3650).default(DEFAULT_CRITERIA.staleAfterDays),
  SYNC_DELAY_HOURS: int(1, 24 * 30).default(DEFAULT_CRITERIA.syncDelayHours),
  CONNECTOR_NAME: z.string().trim().min(1).default('Jamf'),
  CONNECTOR_HEARTBEAT_STALE_MINUTES: int(5, 7 * 24 * 60).default(60),
  REGISTRATION_APP_ID: guid.default('b03c10a8-71c7-45f9-b44a-3335ab76e970'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(LOG_FORMATS, { message: 'must be auto, json or pretty' }).default('auto'),
  DATABASE_PATH: z.string().trim().min(1).default('.data/bot.sqlite'),
  // The message never repeats the value: it holds a password.
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\/[^\s]+$/, 'must be a postgres:// URL')
    .optional(),
  DATABASE_POOL_MAX: int(1, 100).default(10),
  ADMIN_CHANNEL_ID: z
    .string()
    .regex(/^19:\S+$/, 'must be a Teams channel id (19:…@thread.tacv2)')
    .optional(),
  CONNECTOR_CHECK_MINUTES: int(1, 24 * 60).default(5),
  ROLLOUT_SNAPSHOT_HOUR: int(0, 23).default(6),
  ROLLOUT_TREND_DAYS: int(2, 90).default(14),
  ROLLOUT_DAILY_DIGEST: bool.default(false),
  ROLLOUT_TARGET_PERCENT: int(1, 100).default(95),
  INVENTORY_REFRESH_MINUTES: int(0, 24 * 60).default(10),
  FLEET_SYNC_INTERVAL_MINUTES: int(1, 24 * 60).default(5),
  // Empty = no scheduled full resync (loadConfig drops empty values, so '' arrives as undefined).
  FLEET_FULL_RESYNC_CRON: z
    .string()
    .trim()
    .max(100, 'is too long for a cron expression')
    .refine(
      (c) => c === '' || cronFires(c),
      'is not a cron expression that fires (five fields: minute hour day month weekday, UTC)',
    )
    .optional(),
  FLEET_JAMF_OVERLAP_MINUTES: int(0, 24 * 60).default(10),
  FLEET_JAMF_PAGE_SIZE: int(100, 2000).default(2000),
  FLEET_MAX_THROTTLE_WAIT_SECONDS: int(1, 3600).default(600),
  ROLLOUT_DEADLINE: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD')
    .refine(
      (d) =>
        !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
      'is not a real date',
    )
    .optional(),
  SELF_SERVICE_POLICY_NAME: z.string().trim().min(1).max(200).default('Register with Microsoft Entra ID'),
  BROADCAST_MAX_PER_SECOND: int(1, 1000).default(50),
  REMEDIATION_BATCH_PER_SECOND: int(1, 100).default(4),
  BROADCAST_CONCURRENCY: int(1, 256).default(32),
  BROADCAST_MAX_ATTEMPTS: int(1, 20).default(5),
  BROADCAST_LEASE_SECONDS: int(3, 3600).default(300),
  REMINDER_FREQUENCY_DAYS: int(0, 365).default(7),
  BOT_SERVICE_URL: url.optional(),
  PROACTIVE_INSTALL: bool.default(true),
  PROGRESS_UPDATE_SECONDS: int(1, 300).default(3),
  PUBLIC_URL: url.optional(),
  CSV_EXPORT: bool.default(true),
  DOWNLOAD_LINK_MINUTES: int(1, 24 * 60).default(15),
  DOWNLOAD_SIGNING_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  CARD_SIGNING_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  JAMF_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JAMF_WEBHOOK_HEADER: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name such as X-Jamf-Webhook-Secret')
    .default('X-Jamf-Webhook-Secret'),
  JAMF_WEBHOOK_MAX_BODY_BYTES: int(1024, 10 * 1024 * 1024).default(1024 * 1024),
  THANK_YOU_CARDS: bool.default(true),
  THANK_YOU_CONFIRM_HOURS: int(1, 7 * 24).default(24),
  COMPLIANCE_DROP_ALERT_MACS: int(0, 1_000_000).default(25),
  COMPLIANCE_DROP_WINDOW_MINUTES: int(1, 24 * 60).default(15),
});

/**
 * Environment names of botbuilder's `ConfigurationBotFrameworkAuthentication` settings. Set only
 * for a sovereign cloud or a test stand-in; when any is set, src/teams/createAdapter.ts fills the
 * others with the public cloud's values (botbuilder would otherwise leave them empty).
 */
export const BOT_AUTH_SETTINGS = {
  BOTFRAMEWORK_OPENID_METADATA_URL: 'ToBotFromChannelOpenIdMetadataUrl',
  BOTFRAMEWORK_TOKEN_ISSUER: 'ToBotFromChannelTokenIssuer',
  BOTFRAMEWORK_EMULATOR_OPENID_METADATA_URL: 'ToBotFromEmulatorOpenIdMetadataUrl',
  BOTFRAMEWORK_LOGIN_URL: 'ToChannelFromBotLoginUrl',
  BOTFRAMEWORK_OAUTH_SCOPE: 'ToChannelFromBotOAuthScope',
  BOTFRAMEWORK_OAUTH_URL: 'OAuthUrl',
  BOTFRAMEWORK_CALLER_ID: 'CallerId',
  BOTFRAMEWORK_VALIDATE_AUTHORITY: 'ValidateAuthority',
} as const;

/** How to fix each setting, shown when it is wrong. */
const HOW_TO_FIX: Record<string, string> = {
  MICROSOFT_APP_ID:
    'the Azure Bot registration\'s "Microsoft App ID" (a GUID), or leave empty for local mode',
  MICROSOFT_APP_TENANT_ID:
    'the Entra tenant id (a GUID) of the Azure Bot registration (SingleTenant) or of its managed identity (UserAssignedMSI)',
  MICROSOFT_APP_TYPE:
    'the Azure Bot registration\'s "App type": SingleTenant, MultiTenant or UserAssignedMSI',
  GRAPH_AUTH:
    'secret (GRAPH_CLIENT_SECRET), certificate (GRAPH_CLIENT_CERTIFICATE_PATH), managed-identity or federated',
  GRAPH_MANAGED_IDENTITY_CLIENT_ID:
    "the user-assigned managed identity's client id (a GUID), or leave it unset for the system-assigned one",
  TENANT_ID: 'the Entra tenant id (a GUID) whose users may talk to the bot',
  ADMIN_GROUP_ID: 'the object id (a GUID) of the Entra group whose members are bot admins',
  ADMIN_TEAM_ID: "the admin team's id as Teams sends it (channelData.team.id, 19:…@thread.tacv2)",
  JAMF_URL: 'your Jamf Pro URL, e.g. https://yourorg.jamfcloud.com',
  GRAPH_BASE_URL: 'normally https://graph.microsoft.com/v1.0',
  DATABASE_URL:
    'postgres://USER:PASSWORD@HOST:5432/DATABASE?sslmode=verify-full (URL-encode special characters in the password), or leave it unset for the embedded SQLite database',
  METRICS_TOKEN:
    'a long random string, e.g. the output of `openssl rand -hex 32`; Prometheus sends it as `Authorization: Bearer <token>`',
  METRICS_PORT: 'a free port for /metrics on 127.0.0.1 only, e.g. 9464 (not PORT)',
  ROLLOUT_DEADLINE: 'the date Macs must be registered by, e.g. 2026-12-31',
  FLEET_FULL_RESYNC_CRON:
    'five cron fields in UTC, e.g. "0 3 * * *" (03:00 daily), or leave it empty for none',
  PUBLIC_URL:
    "the bot's public https address, e.g. https://bot.example.com (the Container App's URL or your custom domain)",
  REGISTRATION_APP_ID:
    "the app id (a GUID) of the tenant's *User registration app for Device Compliance* (Entra › Enterprise applications)",
};

/**
 * Reads the configuration. Throws a `ConfigError` listing every wrong or missing setting with
 * the fix, so start-up fails once with everything a person needs to know.
 */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const toolkit = withToolkitSettings(env);
  const parsed = schema.safeParse(
    Object.fromEntries(
      Object.entries(toolkit.env).filter(([k, v]) => k in schema.shape && v !== undefined && v !== ''),
    ),
  );
  if (!parsed.success) {
    throw new ConfigError([
      ...toolkit.problems,
      ...parsed.error.issues.map((i) => {
        const key = String(i.path[0] ?? '');
        const fix = HOW_TO_FIX[key];
        return `${key}: ${i.message}${fix ? ` — set it to ${fix}` : ''}`;
      }),
    ]);
  }
  const e = parsed.data;
  const problems: string[] = [...toolkit.problems];

  const hasGraph =
    e.GRAPH_CLIENT_ID !== '' ||
    e.GRAPH_CLIENT_SECRET !== '' ||
    e.GRAPH_AUTH !== undefined ||
    e.GRAPH_CLIENT_CERTIFICATE_PATH !== undefined ||
    e.GRAPH_MANAGED_IDENTITY_CLIENT_ID !== undefined;
  const graphAuth: GraphAuth = e.GRAPH_AUTH ?? (e.GRAPH_CLIENT_CERTIFICATE_PATH ? 'certificate' : 'secret');
  const hasJamf = e.JAMF_URL !== '' || e.JAMF_CLIENT_ID !== '' || e.JAMF_CLIENT_SECRET !== '';
  const mode: AppConfig['mode'] = hasGraph || hasJamf ? 'tenant' : 'demo';
  const localMode = e.MICROSOFT_APP_ID === '';

  if (mode === 'tenant') {
    if (!e.TENANT_ID) problems.push(`TENANT_ID: missing — set it to ${HOW_TO_FIX.TENANT_ID}`);
    problems.push(...graphAuthProblems(e, graphAuth));
    if (!e.JAMF_URL) problems.push(`JAMF_URL: missing — set it to ${HOW_TO_FIX.JAMF_URL}`);
    if (!e.JAMF_CLIENT_ID)
      problems.push('JAMF_CLIENT_ID: missing — a Jamf Pro API client id (Settings > API roles and clients)');
    if (!e.JAMF_CLIENT_SECRET) problems.push("JAMF_CLIENT_SECRET: missing — that API client's secret");
    if (e.JAMF_URL && !e.JAMF_URL.startsWith('https://')) problems.push('JAMF_URL: must start with https://');
    // Download links point at PUBLIC_URL; without it they would name the container's own address.
    if (e.CSV_EXPORT && !e.PUBLIC_URL) {
      problems.push(
        `PUBLIC_URL: missing — the campaign CSV export links to it; set it to ${HOW_TO_FIX.PUBLIC_URL}, or set CSV_EXPORT=false to turn the export off`,
      );
    }
    if (e.PUBLIC_URL && !e.PUBLIC_URL.startsWith('https://')) {
      problems.push(`PUBLIC_URL: must start with https:// — set it to ${HOW_TO_FIX.PUBLIC_URL}`);
    }
  }
  // It is the base of every export link posted on a card: a query, a fragment or credentials in
  // it would break the links or publish the credentials.
  if (e.PUBLIC_URL) {
    const u = new URL(e.PUBLIC_URL);
    if (u.search || u.hash || u.username || u.password)
      problems.push(
        `PUBLIC_URL: only scheme, host and path — no query, fragment or user:password@ — set it to ${HOW_TO_FIX.PUBLIC_URL}`,
      );
  }
  if (!localMode && e.MICROSOFT_APP_PASSWORD === '' && e.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
    problems.push(
      'MICROSOFT_APP_PASSWORD: missing — the client secret of the Azure Bot registration, or MICROSOFT_APP_TYPE=UserAssignedMSI for a bot that signs in as its managed identity (no secret)',
    );
  }
  if (!localMode && e.MICROSOFT_APP_TYPE !== 'MultiTenant' && !e.MICROSOFT_APP_TENANT_ID) {
    problems.push(
      `MICROSOFT_APP_TENANT_ID: missing — a ${e.MICROSOFT_APP_TYPE} bot needs it: set it to ${HOW_TO_FIX.MICROSOFT_APP_TENANT_ID}`,
    );
  }
  if (!localMode && e.MICROSOFT_APP_TYPE === 'UserAssignedMSI' && e.MICROSOFT_APP_PASSWORD !== '') {
    problems.push(
      'MICROSOFT_APP_PASSWORD: not used by a UserAssignedMSI bot (it signs in as its managed identity) — remove it, and delete the secret from the registration',
    );
  }
  if (localMode && e.MICROSOFT_APP_TYPE === 'UserAssignedMSI') {
    problems.push(
      "MICROSOFT_APP_ID: missing — a UserAssignedMSI bot's app id is its managed identity's client id (a GUID)",
    );
  }
  const adminUserIds = e.ADMIN_USER_IDS.split(/[\s,;]+/).filter(Boolean);
  for (const id of adminUserIds) {
    if (!guid.safeParse(id).success)
      problems.push(`ADMIN_USER_IDS: "${id}" is not an Entra object id (a GUID)`);
  }
  const host = e.HOST ?? (localMode ? '127.0.0.1' : '0.0.0.0');
  if (localMode && !['127.0.0.1', 'localhost', '::1'].includes(host)) {
    problems.push(
      'HOST: without MICROSOFT_APP_ID the bot does not check who is calling, so it only listens on 127.0.0.1 — set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD, or remove HOST',
    );
  }
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) {
    problems.push(`METRICS_PORT: the same as PORT (${e.PORT}) — set it to ${HOW_TO_FIX.METRICS_PORT}`);
  }
  if (e.ADMIN_TEAM_CHANNEL_ID && !e.ADMIN_TEAM_ID) {
    problems.push(
      'ADMIN_TEAM_CHANNEL_ID: set ADMIN_TEAM_ID too (the team the channel belongs to), or remove it',
    );
  }
  const certificate =
    mode === 'tenant' && graphAuth === 'certificate' && e.GRAPH_CLIENT_CERTIFICATE_PATH
      ? readClientCertificate(e.GRAPH_CLIENT_CERTIFICATE_PATH, problems)
      : undefined;
  if (problems.length) throw new ConfigError(problems);

  // In demo mode the demo tenant fills in the tenant, the ids and the credentials; real values are required above.
  return {
    mode,
    http: { host, port: e.PORT, maxBodyBytes: e.MAX_BODY_BYTES },
    metrics: { token: e.METRICS_TOKEN ?? null, port: e.METRICS_PORT ?? null },
    bot: {
      appId: e.MICROSOFT_APP_ID,
      appPassword: e.MICROSOFT_APP_PASSWORD,
      appType: e.MICROSOFT_APP_TYPE,
      appTenantId: e.MICROSOFT_APP_TENANT_ID,
      localMode,
      manifestId: e.TEAMS_APP_ID ?? e.MICROSOFT_APP_ID,
      authOverrides: Object.fromEntries(
        Object.entries(BOT_AUTH_SETTINGS).flatMap(([env, key]) => {
          const v = e[env as keyof typeof BOT_AUTH_SETTINGS];
          return v === undefined ? [] : [[key, String(v)]];
        }),
      ),
    },
    tenantId: e.TENANT_ID ?? '',
    access: {
      // Default deny: nobody is an admin until ADMIN_USER_IDS, ADMIN_GROUP_ID or ADMIN_TEAM_ID says
      // so (the local demo adds its own admins: demo/withDemoIdentities.ts).
      adminUserIds,
      adminGroupId: e.ADMIN_GROUP_ID ?? null,
      adminTeamId: e.ADMIN_TEAM_ID ?? null,
      adminTeamChannelId: e.ADMIN_TEAM_CHANNEL_ID ?? null,
      cardSigningKey: e.CARD_SIGNING_KEY ?? null,
    },
    rateLimit: { commands: e.RATE_LIMIT_COMMANDS, windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS },
    commandDeadlineMs: e.COMMAND_DEADLINE_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    graph: {
      baseUrl: e.GRAPH_BASE_URL.replace(/\/+$/, ''),
      authorityHost: e.GRAPH_AUTHORITY_HOST.replace(/\/+$/, ''),
      clientId: e.GRAPH_CLIENT_ID,
      clientSecret: e.GRAPH_CLIENT_SECRET,
      auth: graphAuth,
      ...(certificate ? { clientCertificate: certificate } : {}),
      managedIdentityClientId: e.GRAPH_MANAGED_IDENTITY_CLIENT_ID ?? null,
      federatedAudience: e.GRAPH_FEDERATED_AUDIENCE,
    },
    jamf: {
      baseUrl: e.JAMF_URL.replace(/\/+$/, ''),
      clientId: e.JAMF_CLIENT_ID,
      clientSecret: e.JAMF_CLIENT_SECRET,
      maxConcurrency: e.JAMF_MAX_CONCURRENCY,
    },
    criteria: {
      applicableGroup: e.APPLICABLE_GROUP,
      complianceGroup: e.COMPLIANCE_GROUP,
      inventoryMaxAgeDays: e.INVENTORY_MAX_AGE_DAYS,
      requiredApp: e.REQUIRED_APP === '' ? null : e.REQUIRED_APP,
      requiredFileVault: e.REQUIRED_FILEVAULT === 'NONE' ? null : e.REQUIRED_FILEVAULT,
      staleAfterDays: e.STALE_AFTER_DAYS,
      syncDelayHours: e.SYNC_DELAY_HOURS,
    },
    connector: {
      name: e.CONNECTOR_NAME,
      heartbeatStaleAfterMinutes: e.CONNECTOR_HEARTBEAT_STALE_MINUTES,
      registrationAppId: e.REGISTRATION_APP_ID.toLowerCase(),
    },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    store: { path: e.DATABASE_PATH, databaseUrl: e.DATABASE_URL ?? null, poolMax: e.DATABASE_POOL_MAX },
    alerts: { adminChannelId: e.ADMIN_CHANNEL_ID ?? null, connectorCheckMinutes: e.CONNECTOR_CHECK_MINUTES },
    rollout: {
      snapshotHourUtc: e.ROLLOUT_SNAPSHOT_HOUR,
      trendDays: e.ROLLOUT_TREND_DAYS,
      dailyDigest: e.ROLLOUT_DAILY_DIGEST,
      targetPercent: e.ROLLOUT_TARGET_PERCENT,
    },
    inventory: { refreshMinutes: e.INVENTORY_REFRESH_MINUTES },
    fleetSync: {
      intervalMinutes: e.FLEET_SYNC_INTERVAL_MINUTES,
      fullResyncCron: fullResyncCron(toolkit.env),
      jamfOverlapMinutes: e.FLEET_JAMF_OVERLAP_MINUTES,
      jamfPageSize: e.FLEET_JAMF_PAGE_SIZE,
      maxThrottleWaitSeconds: e.FLEET_MAX_THROTTLE_WAIT_SECONDS,
    },
    endUsers: { deadline: e.ROLLOUT_DEADLINE ?? null, selfServicePolicyName: e.SELF_SERVICE_POLICY_NAME },
    broadcast: {
      maxPerSecond: e.BROADCAST_MAX_PER_SECOND,
      concurrency: e.BROADCAST_CONCURRENCY,
      maxAttempts: e.BROADCAST_MAX_ATTEMPTS,
      leaseSeconds: e.BROADCAST_LEASE_SECONDS,
      frequencyCapDays: e.REMINDER_FREQUENCY_DAYS,
      serviceUrl: e.BOT_SERVICE_URL ?? null,
      proactiveInstall: e.PROACTIVE_INSTALL,
      progressUpdateSeconds: e.PROGRESS_UPDATE_SECONDS,
      publicUrl: e.PUBLIC_URL?.replace(/\/+$/, '') ?? null,
      csvExport: e.CSV_EXPORT,
      downloadLinkMinutes: e.DOWNLOAD_LINK_MINUTES,
      downloadSigningKey: e.DOWNLOAD_SIGNING_KEY ?? null,
    },
    remediationBatch: { perSecond: e.REMEDIATION_BATCH_PER_SECOND },
    jamfWebhooks: {
      secret: e.JAMF_WEBHOOK_SECRET ?? null,
      headerName: e.JAMF_WEBHOOK_HEADER,
      maxBodyBytes: e.JAMF_WEBHOOK_MAX_BODY_BYTES,
    },
    liveUpdates: {
      thankYou: e.THANK_YOU_CARDS,
      confirmWithinHours: e.THANK_YOU_CONFIRM_HOURS,
      dropAlertMacs: e.COMPLIANCE_DROP_ALERT_MACS,
      dropWindowMinutes: e.COMPLIANCE_DROP_WINDOW_MINUTES,
    },
  };
}

/** FLEET_FULL_RESYNC_CRON: unset = the nightly default, set but empty = off. */
function fullResyncCron(env: NodeJS.ProcessEnv): string | null {
  const raw = env.FLEET_FULL_RESYNC_CRON;
  if (raw === undefined) return DEFAULT_FULL_RESYNC_CRON;
  return raw.trim() === '' ? null : raw.trim();
}

/** The full resync's default schedule: 03:00 UTC daily. */
export const DEFAULT_FULL_RESYNC_CRON = '0 3 * * *';

/** The configured secrets' values, for the logger to blank wherever they appear (src/log.ts). */
export function configSecrets(
  config: Pick<AppConfig, 'bot' | 'graph' | 'jamf' | 'broadcast' | 'store'> &
    Partial<Pick<AppConfig, 'jamfWebhooks' | 'metrics' | 'access'>>,
): string[] {
  return [
    config.bot.appPassword,
    config.graph.clientSecret,
    config.graph.clientCertificate?.privateKey ?? '',
    config.jamf.clientSecret,
    config.broadcast.downloadSigningKey ?? '',
    config.access?.cardSigningKey ?? '',
    config.jamfWebhooks?.secret ?? '',
    config.metrics?.token ?? '',
    databasePassword(config.store.databaseUrl),
  ].filter((s) => s !== '');
}

/** The password in a `postgres://user:password@host/db` URL ('' when there is none). */
function databasePassword(url: string | null): string {
  if (!url) return '';
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

type ParsedSettings = z.infer<typeof schema>;

/** What each GRAPH_AUTH method needs, and the settings it does not use (set by mistake, they would mislead). */
function graphAuthProblems(e: ParsedSettings, auth: GraphAuth): string[] {
  const problems: string[] = [];
  const needsApp = auth !== 'managed-identity';
  if (needsApp && !e.GRAPH_CLIENT_ID)
    problems.push('GRAPH_CLIENT_ID: missing — the app registration the bot reads Graph with');
  if (auth === 'secret' && !e.GRAPH_CLIENT_SECRET) {
    problems.push(
      'GRAPH_CLIENT_SECRET: missing — a client secret of that app registration, or no secret at all: GRAPH_AUTH=managed-identity, federated or certificate (see .env.example)',
    );
  }
  if (auth !== 'secret' && e.GRAPH_CLIENT_SECRET) {
    problems.push(`GRAPH_CLIENT_SECRET: not used with GRAPH_AUTH=${auth} — remove it`);
  }
  if (auth === 'certificate' && !e.GRAPH_CLIENT_CERTIFICATE_PATH) {
    problems.push(
      'GRAPH_CLIENT_CERTIFICATE_PATH: missing — the path of a PEM file holding the private key and the certificate uploaded to the app registration',
    );
  }
  if (auth !== 'certificate' && e.GRAPH_CLIENT_CERTIFICATE_PATH) {
    problems.push(
      `GRAPH_CLIENT_CERTIFICATE_PATH: not used with GRAPH_AUTH=${auth} — remove it, or set GRAPH_AUTH=certificate`,
    );
  }
  if (auth === 'managed-identity' && e.GRAPH_CLIENT_ID) {
    problems.push(
      'GRAPH_CLIENT_ID: not used with GRAPH_AUTH=managed-identity (Graph is called as the managed identity itself) — remove it, or set GRAPH_AUTH=federated to sign in as that app registration through the managed identity',
    );
  }
  if ((auth === 'secret' || auth === 'certificate') && e.GRAPH_MANAGED_IDENTITY_CLIENT_ID) {
    problems.push(
      `GRAPH_MANAGED_IDENTITY_CLIENT_ID: not used with GRAPH_AUTH=${auth} — remove it, or set GRAPH_AUTH=managed-identity or federated`,
    );
  }
  return problems;
}
