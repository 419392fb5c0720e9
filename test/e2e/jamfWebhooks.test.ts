import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { MembershipChange } from '../../src/live/webhookWorker';
import { createLogger } from '../../src/log';
import { TENANT_ENV } from '../helpers/tenantEnv';

const SECRET = 'jamf-webhook-secret-for-the-e2e-tests-0123456789';
const HEADER = 'X-Jamf-Webhook-Secret';
const fixture = (name: string): string =>
  readFileSync(path.join(__dirname, '..', 'fixtures', 'jamf-webhooks', name), 'utf8');

/** The real app on loopback (made-up tenant settings: no upstream is called), with the fleet refresh recorded. */
async function startApp(dbFile: string, env: Record<string, string> = {}) {
  const refreshed: string[][] = [];
  const changes: MembershipChange[] = [];
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(chunk.toString());
      cb();
    },
  });
  const config = loadConfig({
    ...TENANT_ENV,
    PORT: '0',
    HOST: '127.0.0.1',
    PLAYGROUND: 'false',
    LOG_LEVEL: 'debug',
    DATABASE_PATH: dbFile,
    MAX_BODY_BYTES: '2048',
    JAMF_WEBHOOK_SECRET: SECRET,
    JAMF_WEBHOOK_MAX_BODY_BYTES: '8192',
    ...env,
  });
  const app: App = createApp(config, {
    logger: createLogger({ level: 'debug', destination }),
    refreshComputers: async (ids) => void refreshed.push(ids),
    onMembershipChange: (e) => void changes.push(e),
  });
  const { url } = await app.listen();
  const post = async (body: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}/api/webhooks/jamf`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [HEADER]: SECRET, ...headers },
      body,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> | null };
  };
  return { app, url, post, refreshed, changes, logLines };
}

const until = async (what: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('POST /api/webhooks/jamf (real HTTP server)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bot-webhooks-'));
  let n = 0;
  const dbFile = () => path.join(dir, `bot-${++n}.sqlite`);
  let bot: Awaited<ReturnType<typeof startApp>>;
  beforeEach(async () => {
    bot = await startApp(dbFile());
  });
  afterEach(async () => {
    await bot.app.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a wrong or missing secret with 401: nothing queued, and the value is never logged', async () => {
    const wrong = 'not-the-secret-but-as-long-as-it-0123456789';
    const body = fixture('computerInventoryCompleted.json');
    for (const headers of [{ [HEADER]: wrong }, { [HEADER]: '' }, { [HEADER]: SECRET.slice(0, -1) }]) {
      expect((await bot.post(body, headers)).status).toBe(401);
    }
    const missing = await fetch(`${bot.url}/api/webhooks/jamf`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(missing.status).toBe(401);
    // The secret in another header does not count.
    expect((await bot.post(body, { [HEADER]: wrong, authorization: SECRET })).status).toBe(401);
    expect(await bot.app.store.webhookQueueCounts()).toEqual({ queued: 0, done: 0, failed: 0 });
    const log = bot.logLines.join('');
    expect(log).toContain('jamf webhook refused');
    expect(log).not.toContain(wrong);
    expect(log).not.toContain(SECRET.slice(0, -1));
  });

  it('accepts JSON (202), queues it, and the worker refreshes the Mac it names', async () => {
    const res = await bot.post(fixture('computerInventoryCompleted.json'));
    expect(res).toEqual({
      status: 202,
      body: { accepted: true, deliveryKey: expect.any(String), duplicate: false },
    });
    await until(() => bot.refreshed.length > 0);
    expect(bot.refreshed).toEqual([['1042']]);
    await until(async () => (await bot.app.store.webhookQueueCounts()).done === 1);
  });

  it('accepts <JSSEvent> XML, normalised as its JSON twin (same delivery key: a duplicate)', async () => {
    const xml = await bot.post(fixture('computerInventoryCompleted.xml'), { 'content-type': 'text/xml' });
    expect(xml.status).toBe(202);
    const json = await bot.post(fixture('computerInventoryCompleted.json'));
    expect(json.body).toMatchObject({ deliveryKey: xml.body!.deliveryKey, duplicate: true });
    const group = await bot.post(fixture('smartGroupComputerMembershipChange.xml'), {
      'content-type': 'application/xml',
    });
    expect(group.status).toBe(202);
    expect(await bot.app.store.getWebhook(String(group.body!.deliveryKey))).toMatchObject({
      event: 'SmartGroupComputerMembershipChange',
      computerIds: ['311', '1042', '2077'],
      group: { groupId: '12', groupName: 'Compliance Group', added: ['1042', '2077'], removed: ['311'] },
    });
    await until(() => bot.changes.length === 1);
    expect(bot.changes[0]).toMatchObject({ groupId: '12', added: ['1042', '2077'], removed: ['311'] });
    expect(bot.changes[0]!.at.getTime()).toBe(1767225800789);
  });

  it("applies the route's own body limit: over it 413 (nothing queued), under it accepted though over MAX_BODY_BYTES", async () => {
    const padded = (bytes: number) => {
      const b = JSON.parse(fixture('computerAdded.json')) as { event: Record<string, unknown> };
      b.event.position = '';
      const base = JSON.stringify(b).length;
      b.event.position = 'x'.repeat(bytes - base);
      return JSON.stringify(b);
    };
    expect((await bot.post(padded(8193))).status).toBe(413);
    // Chunked, so no Content-Length announces it: the reader counts.
    const chunked = await fetch(`${bot.url}/api/webhooks/jamf`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [HEADER]: SECRET },
      body: new Blob([padded(9000)]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await bot.app.store.webhookQueueCounts()).toEqual({ queued: 0, done: 0, failed: 0 });
    // Compressed bodies could expand past the limit after counting: refused.
    expect((await bot.post(padded(1000), { 'content-encoding': 'gzip' })).status).toBe(415);
    expect((await bot.post(padded(4000))).status).toBe(202);
    // /api/messages keeps its own (smaller) limit.
    const message = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'x'.repeat(3000) }),
    });
    expect(message.status).toBe(413);
  });

  it('refuses a malformed body with 400 and a short reason; accepts and ignores an unknown event', async () => {
    const bad = await bot.post('{"webhook": {"id": 1}}');
    expect(bad.status).toBe(400);
    expect(String(bad.body!.error)).toMatch(/^webhook\.webhookEvent/);
    expect((await bot.post('<JSSEvent><oops></JSSEvent>', { 'content-type': 'text/xml' })).status).toBe(400);
    const unknown = await bot.post(
      JSON.stringify({ webhook: { id: 3, webhookEvent: 'JSSStartup', eventTimestamp: 1 }, event: {} }),
    );
    expect(unknown).toEqual({ status: 202, body: { accepted: true, ignored: 'JSSStartup' } });
    expect(await bot.app.store.webhookQueueCounts()).toEqual({ queued: 0, done: 0, failed: 0 });
    const metrics = await (await fetch(`${bot.url}/metrics`)).text();
    expect(metrics).toMatch(/jamf_webhooks_total\{outcome="malformed"\} 2/);
    expect(metrics).toMatch(/jamf_webhooks_total\{outcome="ignored"\} 1/);
  });

  it('processes a repeated delivery once, and out-of-order deliveries each once', async () => {
    const body = fixture('computerAdded.json');
    const results = await Promise.all([bot.post(body), bot.post(body), bot.post(body)]);
    expect(results.map((r) => r.status)).toEqual([202, 202, 202]);
    expect(results.filter((r) => r.body!.duplicate === false)).toHaveLength(1);
    // Two membership changes, the later one delivered first.
    const change = (ts: number, added: number[], removed: number[]) =>
      JSON.stringify({
        webhook: { id: 9, name: 'g', webhookEvent: 'SmartGroupComputerMembershipChange', eventTimestamp: ts },
        event: {
          jssid: 12,
          name: 'Compliance Group',
          computer: true,
          smartGroup: true,
          groupAddedDevicesIds: added,
          groupRemovedDevicesIds: removed,
        },
      });
    expect((await bot.post(change(2_000, [], [5]))).status).toBe(202);
    expect((await bot.post(change(1_000, [5], []))).status).toBe(202);
    await until(async () => (await bot.app.store.webhookQueueCounts()).done === 3);
    expect(bot.refreshed.flat().filter((id) => id === '2077')).toHaveLength(1);
    expect(bot.changes).toHaveLength(2);
    // A repeat after processing is still recognised: nothing runs again.
    expect((await bot.post(body)).body).toMatchObject({ duplicate: true });
    await new Promise((r) => setTimeout(r, 400));
    expect(bot.refreshed.flat().filter((id) => id === '2077')).toHaveLength(1);
  });

  it('loses nothing across a restart between accept and processing: the next app processes it', async () => {
    const file = dbFile();
    const first = await startApp(file);
    // The worker is stopped as a crash right after the 202 would leave it.
    await first.app.webhookWorker!.stop();
    const res = await first.post(fixture('smartGroupComputerMembershipChange.json'));
    expect(res.status).toBe(202);
    await first.app.close();
    expect(first.refreshed).toEqual([]);
    const second = await startApp(file);
    try {
      await until(() => second.refreshed.length > 0);
      expect(second.refreshed).toEqual([['311', '1042', '2077']]);
      await until(async () => (await second.app.store.webhookQueueCounts()).done === 1);
      expect(second.changes).toHaveLength(1);
    } finally {
      await second.app.close();
    }
  });

  it('answers 404 when JAMF_WEBHOOK_SECRET is not set', async () => {
    const off = await startApp(':memory:', { JAMF_WEBHOOK_SECRET: '' });
    try {
      expect((await off.post(fixture('computerAdded.json'))).status).toBe(404);
      expect(off.app.webhookWorker).toBeNull();
    } finally {
      await off.app.close();
    }
  });
});
