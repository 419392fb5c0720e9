import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';

const actor = { teamsUserId: '29:alex', aadObjectId: 'aad-alex', name: 'Alex Wilber' };
const ID = '0b6f4a52-3c1e-4d7a-9e0f-1a2b3c4d5e6f';

describe('SqliteBotStore: onboarding plans (migration 3)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plans-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps a plan as given, across a reopen', async () => {
    const file = path.join(dir, 'bot.sqlite');
    let store = SqliteBotStore.open(file);
    const plan = { steps: [{ number: 1, changes: ['Create “Mac users”'] }], changeCount: 1 };
    await store.saveOnboardingPlan({
      id: ID,
      createdAt: '2026-11-26T09:00:00.000Z',
      actor,
      target: 'Mac users',
      plan,
    });
    await store.close();
    store = SqliteBotStore.open(file);
    expect(await store.getOnboardingPlan(ID)).toEqual({
      id: ID,
      createdAt: '2026-11-26T09:00:00.000Z',
      actor,
      target: 'Mac users',
      plan,
      status: 'planned',
      updatedAt: '2026-11-26T09:00:00.000Z',
    });
    expect(await store.getOnboardingPlan('nope')).toBeNull();
    // A week later, a new plan drops the old one.
    await store.saveOnboardingPlan({
      id: 'later',
      createdAt: '2026-12-03T09:00:01.000Z',
      actor,
      target: 'x',
      plan: {},
    });
    expect(await store.getOnboardingPlan(ID)).toBeNull();
    expect(await store.getOnboardingPlan('later')).not.toBeNull();
    await store.close();
  });

  it('one run at a time: a claim fails while another holds the plan, unless that run went stale', async () => {
    const store = SqliteBotStore.open(':memory:');
    await store.saveOnboardingPlan({
      id: ID,
      createdAt: '2026-11-26T09:00:00.000Z',
      actor,
      target: 'x',
      plan: {},
    });
    expect(await store.claimOnboardingPlan(ID, '2026-11-26T09:01:00.000Z', '2026-11-26T08:51:00.000Z')).toBe(
      true,
    );
    expect(await store.claimOnboardingPlan(ID, '2026-11-26T09:02:00.000Z', '2026-11-26T08:52:00.000Z')).toBe(
      false,
    );
    expect((await store.getOnboardingPlan(ID))?.status).toBe('running');
    // Ten minutes later the first run is presumed dead (a crash): another may take over.
    expect(await store.claimOnboardingPlan(ID, '2026-11-26T09:12:00.000Z', '2026-11-26T09:02:00.000Z')).toBe(
      true,
    );
    await store.finishOnboardingPlan(ID, 'failed', '2026-11-26T09:13:00.000Z');
    expect(await store.getOnboardingPlan(ID)).toMatchObject({
      status: 'failed',
      updatedAt: '2026-11-26T09:13:00.000Z',
    });
    // A failed or applied plan may be applied again (each write is re-checked first).
    expect(await store.claimOnboardingPlan(ID, '2026-11-26T09:14:00.000Z', '2026-11-26T09:04:00.000Z')).toBe(
      true,
    );
    await store.finishOnboardingPlan(ID, 'applied', '2026-11-26T09:15:00.000Z');
    expect(await store.claimOnboardingPlan(ID, '2026-11-26T09:16:00.000Z', '2026-11-26T09:06:00.000Z')).toBe(
      true,
    );
    expect(
      await store.claimOnboardingPlan('other', '2026-11-26T09:16:00.000Z', '2026-11-26T09:06:00.000Z'),
    ).toBe(false);
    await store.close();
  });
});
