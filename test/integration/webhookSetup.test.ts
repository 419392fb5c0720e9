import { Writable } from 'node:stream';
import pino from 'pino';
import { DEMO_JAMF_GROUP_NAMES } from '../../demo/demoFleetIds';
import type { AuditActor } from '../../src/compliance/auditTypes';
import { desiredWebhooks, webhookSettings } from '../../src/compliance/planJamfWebhooks';
import { checkJamfWebhooks } from '../../src/doctor/checkJamfWebhooks';
import type { SetupCheckDeps } from '../../src/doctor/setupCheckDeps';
import { applyWebhookSetup } from '../../src/lookup/applyWebhookSetup';
import { planWebhookSetup } from '../../src/lookup/planWebhookSetup';
import { readWebhookSetup } from '../../src/lookup/readWebhookSetup';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';
import { JAMF_REQUIRED_PRIVILEGES } from '../../src/upstream/jamf/jamfPrivileges';
import { jamfHarness, type JamfHarness } from './jamfHarness';

/**
 * The `setup webhooks` use cases and the setup doctor's webhook check against the simulated Jamf
 * Pro: what blocks a plan (PUBLIC_URL, the secret, the Compliance group, Jamf's refusal), the
 * doctor's pass / missing / wrong address / skipped, a refused write naming the privilege, and
 * the secret in no log line even at trace level.
 */
const SECRET = 'integration-webhook-secret-0123456789abcdef';
const ACTOR: AuditActor = { teamsUserId: 'u1', aadObjectId: 'a1', name: 'Admin' };

type Config = SetupCheckDeps['config'];
const config = (over: { publicUrl?: string | null; secret?: string | null; group?: string } = {}): Config =>
  ({
    criteria: { complianceGroup: over.group ?? DEMO_JAMF_GROUP_NAMES.compliance },
    broadcast: { publicUrl: over.publicUrl === undefined ? 'https://bot.example' : over.publicUrl },
    jamfWebhooks: {
      secret: over.secret === undefined ? SECRET : over.secret,
      headerName: 'X-Jamf-Webhook-Secret',
      maxBodyBytes: 1024 * 1024,
    },
  }) as unknown as Config;

/** A logger that keeps every line, unredacted: what the code itself writes. */
function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: pino({ level: 'trace' }, stream), lines };
}

let h: JamfHarness;
beforeAll(async () => {
  h = await jamfHarness({ size: 30 });
});
afterAll(() => h.close());
beforeEach(() => {
  delete h.fleet.jamf.apiPrivileges;
});

describe('what blocks a webhook plan', () => {
  it('names PUBLIC_URL, the secret, the Compliance group and Jamf’s refusal, each with its fix', async () => {
    const jamf = h.client();
    const read = (c: Config) => readWebhookSetup({ jamf, config: c });
    expect(await read(config({ publicUrl: null }))).toMatchObject({
      kind: 'blocked',
      reason: 'no_public_url',
      fix: expect.stringContaining('PUBLIC_URL'),
    });
    expect(await read(config({ secret: null }))).toMatchObject({
      kind: 'blocked',
      reason: 'no_secret',
      fix: expect.stringContaining('JAMF_WEBHOOK_SECRET'),
    });
    expect(await read(config({ group: 'No such group' }))).toMatchObject({
      kind: 'blocked',
      reason: 'no_compliance_group',
    });
    h.fleet.jamf.apiPrivileges = JAMF_REQUIRED_PRIVILEGES.filter((p) => p !== 'Read Webhooks');
    expect(await read(config())).toMatchObject({
      kind: 'blocked',
      reason: 'jamf_refused',
      fix: expect.stringContaining('Read Webhooks'),
    });
  });
});

describe('the setup doctor’s webhook check', () => {
  it('skips without JAMF_WEBHOOK_SECRET, fails naming `setup webhooks` when absent or pointing elsewhere, passes when right', async () => {
    const jamf = h.client();
    expect(await checkJamfWebhooks({ jamf, config: config({ secret: null }) })).toMatchObject({
      status: 'skip',
      detail: expect.stringContaining('JAMF_WEBHOOK_SECRET is not set'),
    });
    const absent = await checkJamfWebhooks({ jamf, config: config() });
    expect(absent.status).toBe('fail');
    expect(absent.detail).toContain('is missing');
    expect(absent.fix).toContain('setup webhooks');

    const state = await readWebhookSetup({ jamf, config: config() });
    if (state.kind !== 'ready') throw new Error('not ready');
    const ids: string[] = [];
    for (const d of desiredWebhooks(state.target))
      ids.push((await jamf.createWebhook(webhookSettings(d, state.target))).id);
    expect(await checkJamfWebhooks({ jamf, config: config() })).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('https://bot.example/api/webhooks/jamf'),
    });

    const moved = await checkJamfWebhooks({
      jamf,
      config: config({ publicUrl: 'https://new-home.example' }),
    });
    expect(moved.status).toBe('fail');
    expect(moved.detail).toContain('posts elsewhere');
    expect(moved.fix).toContain('setup webhooks');
    expect(JSON.stringify([absent, moved])).not.toContain(SECRET);
  });
});

describe('Apply', () => {
  it('a refused write names the privilege; the secret is in no log line', async () => {
    const { logger, lines } = capturingLogger();
    const jamf = h.client({ logger });
    const store = SqliteBotStore.open(':memory:');
    try {
      const c = config({ publicUrl: 'https://third.example' });
      const planned = await planWebhookSetup({ jamf, config: c, store }, ACTOR, new Date(), logger);
      if (planned.kind !== 'planned') throw new Error('blocked');
      expect(planned.plan.changeCount).toBe(3);
      h.fleet.jamf.apiPrivileges = JAMF_REQUIRED_PRIVILEGES.filter((p) => p !== 'Update Webhooks');
      const result = await applyWebhookSetup(
        { jamf, config: c, store },
        { planId: planned.stored.id, actor: ACTOR, now: () => new Date(), log: logger },
      );
      if (result.kind !== 'ran') throw new Error(result.kind);
      const failed = result.results.find((r) => r.outcome === 'failed');
      expect(failed?.detail).toContain('Update Webhooks');
      const audit = await store.listAudit({ limit: 20 });
      expect(audit.map((e) => e.outcome)).toContain('failed');
      expect(JSON.stringify(audit)).not.toContain(SECRET);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('\n')).not.toContain(SECRET);
    } finally {
      await store.close();
    }
  });
});
