import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_TEAM } from '../../demo/demoIdentities';
import { batchCandidates } from '../../src/lookup/batchCandidates';
import { diagnoseFleetSnapshot } from '../../src/lookup/diagnoseFleetSnapshot';
import { waitForFleetSnapshot } from '../../src/lookup/waitForFleetSnapshot';
import type { AuditEntry } from '../../src/store/botStore';
import { ADMIN, END_USER, cardActionActivity } from '../helpers/activities';
import {
  adminInChannel,
  cardOf,
  cardText,
  startBot,
  waitUntil,
  type BotHarness,
} from '../helpers/botHarness';
import { checkJamfRequest } from '../helpers/checkJamfRequest';
import { jamfOperation, validateJamfRequest } from '../helpers/contracts';
import { checkCard } from '../helpers/validateCard';

/**
 * The rollout card's batch fixes (issue 19) through /api/messages on the demo tenant: the
 * buttons with their counts, the confirm step's preview, admins only, one batch however often
 * Confirm is pressed, requests that match the Jamf contract at the configured pace, per-Mac
 * refusals on the progress card (updated in place), the audit entries, and a batch stopped
 * half-way that the next start finishes without sending a finished item again.
 */
const PER_SECOND = 4;
type Action = { type: string; title?: string; verb?: string; data?: Record<string, unknown> };

const actionsOf = (card: unknown): Action[] => ((card as { actions?: Action[] }).actions ?? []) as Action[];

/** The most requests in any sliding window of `ms`. */
function maxInWindow(times: readonly number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('batch fixes from the rollout card through /api/messages (demo tenant)', () => {
  let bot: BotHarness;
  let dir: string;
  const { say, press } = adminInChannel(() => bot);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rollout-batch-'));
    bot = await startBot(
      {
        DATABASE_PATH: path.join(dir, 'bot.sqlite'),
        REMEDIATION_BATCH_PER_SECOND: String(PER_SECOND),
        PROGRESS_UPDATE_SECONDS: '1',
      },
      { size: 200 },
    );
  });
  afterAll(async () => {
    await bot.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    bot.connector.reset();
    bot.demo.jamf.requests.clear();
    bot.demo.jamf.faults.clear();
  });
  afterEach(() => {
    for (const call of bot.connector.calls) {
      const card = cardOf(call.body ?? undefined);
      if (card) expect(checkCard(card).problems).toEqual([]);
    }
    expect(bot.demo.jamf.requests.entries.flatMap(checkJamfRequest)).toEqual([]);
  });

  const recalcs = () =>
    bot.demo.jamf.requests.entries.filter(
      (e) => e.method === 'POST' && e.path.endsWith('/recalculate-smart-groups'),
    );
  const pushes = () =>
    bot.demo.jamf.requests.entries.filter((e) => e.method === 'POST' && e.path === '/api/v2/mdm/blank-push');
  const auditOf = async (batchId: string): Promise<AuditEntry[]> =>
    (await bot.app.store.listAudit({ limit: 100, action: 'rollout.batch' }))
      .filter((e) => e.target === batchId)
      .reverse();

  /** What the app's own rule finds in the snapshot it answers from. */
  async function candidates() {
    const read = await waitForFleetSnapshot(bot.app.fleetReader, { timeoutMs: 20_000, pollMs: 100 });
    return batchCandidates(bot.config.criteria, diagnoseFleetSnapshot(bot.config.criteria))(read, new Date());
  }

  async function rolloutButtons() {
    const card = await say('rollout');
    expect(checkCard(card).problems).toEqual([]);
    return actionsOf(card).filter((a) => a.verb === 'rollout.batch');
  }

  /** The confirm card of a batch button, as an admin presses it. */
  async function confirmCard(kind: 'wake' | 'recalculate') {
    const card = await press('rollout.batch', { kind });
    expect(checkCard(card).problems).toEqual([]);
    const confirm = actionsOf(card).find((a) => a.verb === 'rollout.batch.confirm')!;
    return { card, data: confirm.data! };
  }

  /** Presses Confirm on the card posted in the channel (so the progress card can be updated in place). */
  async function pressConfirm(data: Record<string, unknown>, from = ADMIN) {
    const res = await bot.post(
      cardActionActivity('rollout.batch.confirm', data, {
        from,
        scope: 'channel',
        serviceUrl: bot.connector.serviceUrl,
      }),
    );
    expect(res.status).toBe(200);
    return (res.body as { value: unknown }).value;
  }

  const batchDone = (id: string) => async () => (await bot.app.store.getBatch(id))?.state === 'done';

  it('the rollout card offers the two buttons with their counts (the device card’s rule)', async () => {
    const found = await candidates();
    const intended = Object.entries(bot.demo.fleet.intendedVerdicts);
    const stale = intended.filter(([, v]) => v === 'stale').map(([id]) => id);
    expect(found.wake.map((m) => m.computerId).sort()).toEqual(stale.sort());
    for (const [id, v] of intended)
      if (v === 'out_of_sync') expect(found.recalculate.map((m) => m.computerId)).toContain(id);
    expect(found.recalculate.length).toBeGreaterThanOrEqual(6);
    const buttons = await rolloutButtons();
    expect(buttons.map((b) => [b.title, b.data])).toEqual([
      [`Wake all ${found.wake.length} stale Macs`, { kind: 'wake' }],
      [`Recalculate all ${found.recalculate.length} out-of-sync Macs`, { kind: 'recalculate' }],
    ]);
  });

  it("refuses a non-admin's press of a batch button and of Confirm, sending nothing", async () => {
    const { data } = await confirmCard('wake');
    const res = await bot.post(
      cardActionActivity(
        'rollout.batch',
        { kind: 'wake' },
        { from: END_USER, serviceUrl: bot.connector.serviceUrl },
      ),
    );
    expect((res.body as { value: unknown }).value).toBe('Only IT admins can use this button.');
    expect(await pressConfirm(data, END_USER)).toBe('Only IT admins can use this button.');
    expect(await bot.app.store.getBatch(String(data.batchId))).toMatchObject({ state: 'planned' });
    expect(pushes()).toEqual([]);
    const refusals = (await bot.app.store.listAudit({ limit: 20 })).filter(
      (e) => e.outcome === 'refused' && e.actor.aadObjectId === END_USER.aadObjectId,
    );
    expect(refusals.length).toBeGreaterThanOrEqual(2);
  });

  it('a forged Confirm (no batch id) is refused with a clear message', async () => {
    const value = await pressConfirm({ batchId: 'nope' });
    expect(String(value)).toContain("That button sent something I can't use");
    expect(pushes()).toEqual([]);
  });

  it('Recalculate: the preview counts the requests; Confirm twice starts one batch, paced, each Mac once; a 404 is shown per Mac', async () => {
    const macs = (await candidates()).recalculate;
    const n = macs.length;
    const { card, data } = await confirmCard('recalculate');
    const text = cardText(card);
    expect(text).toContain(`This will send ${n} requests to Jamf Pro at ≤ ${PER_SECOND} per second; est. `);
    expect(text).toContain('POST /api/v1/computers/{id}/recalculate-smart-groups');
    expect(data).toEqual({ batchId: expect.stringMatching(/^b-[0-9a-f]{8}$/) });
    expect(recalcs()).toEqual([]); // nothing sent on the confirm step
    // Stored as shown: exactly these Macs, planned, by the server's clock.
    expect(await bot.app.store.getBatch(String(data.batchId))).toMatchObject({ state: 'planned', macs: n });

    // Jamf Pro answers the first recalculation 404: that Mac fails plainly, the others go on.
    bot.demo.jamf.faults.failNext(1, { path: /recalculate-smart-groups$/, status: 404 });
    const [first, second] = await Promise.all([pressConfirm(data), pressConfirm(data)]);
    for (const v of [first, second]) expect(checkCard(v).problems).toEqual([]);
    const batchId = String(data.batchId);
    expect(cardText(first)).toContain(`Batch ${batchId}`);
    await waitUntil(batchDone(batchId), 20_000);

    // One batch, each Mac's recalculation sent once, each request the contract's (no body).
    const batches = [await bot.app.store.getBatch(batchId)];
    expect(batches.map((b) => b?.macs)).toEqual([n]);
    const sent = recalcs();
    expect(sent.map((e) => e.path).sort()).toEqual(
      macs.map((m) => `/api/v1/computers/${m.computerId}/recalculate-smart-groups`).sort(),
    );
    for (const e of sent) {
      expect(jamfOperation('POST', e.path)).not.toBeNull();
      expect(e.body).toBeUndefined();
    }
    // Paced: never more than PER_SECOND in any second, as the simulator saw them arrive.
    expect(
      maxInWindow(
        sent.map((e) => e.at),
        1000,
      ),
    ).toBeLessThanOrEqual(PER_SECOND);
    expect(sent[sent.length - 1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(
      ((n - 1) / PER_SECOND) * 1000 * 0.9,
    );

    // The progress card, updated in place, ends with the 404 in words.
    await waitUntil(async () =>
      bot.connector.calls.some(
        (c) =>
          c.method === 'PUT' &&
          c.conversationId === DEMO_TEAM.channel.id &&
          cardText(c.body).includes('finished'),
      ),
    );
    const refresh = await press('rollout.batch.refresh', { batchId });
    const final = cardText(refresh);
    expect(final).toContain('Recalculate out-of-sync Macs: finished');
    expect(final).toContain(`Done: ${n - 1} of ${n} Macs; 1 failed`);
    expect(final).toContain('Jamf Pro answered 404 Not Found: the Mac is not there any more.');
    expect(actionsOf(refresh).map((a) => a.title)).toEqual(['Refresh']);

    // Audited: every press with its result (the second Confirm refused), and the batch's result.
    const audit = await auditOf(batchId);
    expect(audit.map((e) => e.outcome)).toEqual(['planned', 'started', 'refused', 'partly_failed']);
    expect(audit[1]).toMatchObject({
      actor: { aadObjectId: ADMIN.aadObjectId },
      details: { kind: 'recalculate', macs: n, requests: n, perSecond: PER_SECOND },
    });
    expect(audit[2]!.details).toMatchObject({ reason: 'already started' });
    expect(audit[3]!.details).toMatchObject({ done: n - 1, failed: 1 });
  });

  it('Wake: blank pushes carry the management ids (contract body); a 403 is shown for each Mac', async () => {
    const macs = (await candidates()).wake;
    const { card, data } = await confirmCard('wake');
    // One chunk: a read of the management ids and one push.
    expect(cardText(card)).toContain(`This will send 2 requests to Jamf Pro at ≤ ${PER_SECOND} per second`);
    const done = await pressConfirm(data);
    const batchId = String(data.batchId);
    await waitUntil(batchDone(batchId), 20_000);
    expect(cardText(done)).toContain('Wake stale Macs');
    const [push, ...more] = pushes();
    expect(more).toEqual([]);
    const ids = macs.map(
      (m) => bot.demo.fleet.jamf.computers.find((c) => c.id === m.computerId)!.general.managementId,
    );
    expect(push!.body).toEqual({ clientManagementIds: ids });
    expect(validateJamfRequest('POST', '/api/v2/mdm/blank-push', push!.body).errors).toEqual([]);
    expect(cardText(await press('rollout.batch.refresh', { batchId }))).toContain(
      `Done: ${macs.length} of ${macs.length} Macs.`,
    );
    expect((await auditOf(batchId)).map((e) => e.outcome)).toEqual(['planned', 'started', 'done']);

    // Again, with Jamf Pro refusing the push: every Mac of the chunk says so, and why.
    bot.demo.jamf.requests.clear();
    bot.demo.jamf.faults.failNext(1, { path: '/api/v2/mdm/blank-push', status: 403 });
    const second = await confirmCard('wake');
    await pressConfirm(second.data);
    const refusedId = String(second.data.batchId);
    await waitUntil(batchDone(refusedId), 20_000);
    const text = cardText(await press('rollout.batch.refresh', { batchId: refusedId }));
    expect(text).toContain(`Done: 0 of ${macs.length} Macs; ${macs.length} failed`);
    expect(text).toContain('Jamf Pro refused it \\(403 Forbidden\\)'); // escaped: shown as written
    expect(text).toContain('View MDM command information in Jamf Pro API');
    expect(pushes()).toHaveLength(1); // a refusal is not retried
    expect((await auditOf(refusedId)).map((e) => e.outcome)).toEqual(['planned', 'started', 'failed']);
  });

  it('Cancel on the confirm card cancels the planned batch without a fleet sync; Confirm after it starts nothing', async () => {
    const { card } = await confirmCard('wake');
    const cancel = actionsOf(card).find((a) => a.title === 'Cancel')!;
    expect(cancel.verb).toBe('rollout.batch.cancel');
    const batchId = String(cancel.data!.batchId);
    const jamfBefore = bot.demo.jamf.requests.entries.length;
    const cancelled = await press('rollout.batch.cancel', cancel.data!);
    expect(checkCard(cancelled).problems).toEqual([]);
    expect(cardText(cancelled)).toContain('Wake stale Macs: cancelled');
    expect(actionsOf(cancelled)).toEqual([]);
    expect(bot.demo.jamf.requests.entries.length).toBe(jamfBefore); // no sync, nothing sent
    expect(cardText(await pressConfirm({ batchId }))).toContain('cancelled');
    expect(await bot.app.store.getBatch(batchId)).toMatchObject({ state: 'cancelled' });
    expect((await auditOf(batchId)).map((e) => e.outcome)).toEqual(['planned', 'cancelled', 'refused']);
  });

  it('a batch stopped half-way (the app closed) is finished by the next start, no finished Mac sent again', async () => {
    const macs = (await candidates()).recalculate;
    const { data } = await confirmCard('recalculate');
    await pressConfirm(data);
    const batchId = String(data.batchId);
    await waitUntil(async () => recalcs().length >= 2, 20_000);
    await bot.restart();
    const before = recalcs().length;
    expect(before).toBeLessThan(macs.length);
    expect((await bot.app.store.getBatch(batchId))?.state).toBe('running');
    await waitUntil(batchDone(batchId), 20_000);
    const paths = recalcs().map((e) => e.path);
    expect(paths).toHaveLength(macs.length);
    expect(new Set(paths).size).toBe(macs.length);
    expect((await auditOf(batchId)).map((e) => e.outcome)).toEqual(['planned', 'started', 'done']);
    // The card posted before the restart is still updated in place by the new process.
    await waitUntil(async () =>
      bot.connector.calls.some(
        (c) => c.method === 'PUT' && cardText(c.body).includes('Recalculate out-of-sync Macs: finished'),
      ),
    );
  });
});
