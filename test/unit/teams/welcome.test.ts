import type { Activity } from 'botbuilder';
import { createLogger } from '../../../src/log';
import type { AccessPolicy } from '../../../src/teams/accessPolicy';
import { forgetWelcome, greet, type WelcomeDeps } from '../../../src/teams/welcome';
import { ADMIN, TENANT, activity, fakeContext } from './fakeTurns';

const access: AccessPolicy = { tenantAllowed: (t) => t === TENANT, isAdmin: async () => false };
const channel = {
  conversation: { id: '19:c', conversationType: 'channel', isGroup: true, name: '', tenantId: TENANT },
  channelData: { tenant: { id: TENANT }, channel: { id: '19:c' } },
};

function setup(opts: { failSend?: boolean } = {}) {
  const claimed = new Set<string>();
  const forgotten: string[] = [];
  const sent: Partial<Activity>[] = [];
  const deps: WelcomeDeps = {
    access,
    logger: createLogger({ level: 'silent' }),
    now: () => new Date('2026-12-01T10:00:00Z'),
    welcomes: {
      claimWelcome: async (key) => !claimed.has(key) && Boolean(claimed.add(key)),
      forgetWelcome: async (key) => void (forgotten.push(key), claimed.delete(key)),
    },
  };
  const install = (overrides: Partial<Activity> = {}) =>
    fakeContext(activity({ type: 'installationUpdate', action: 'add', ...overrides }), sent, opts.failSend);
  return { deps, sent, claimed, forgotten, install };
}

describe('greet', () => {
  it('welcomes a person in 1:1 once, by their first name', async () => {
    const s = setup();
    await greet(s.deps, s.install());
    await greet(s.deps, s.install());
    expect(s.sent).toHaveLength(1);
    expect(JSON.stringify(s.sent)).toContain('Ada');
    expect([...s.claimed]).toEqual([ADMIN.aadObjectId]);
  });

  it('says a short hello in a team, without claiming a welcome', async () => {
    const s = setup();
    await greet(s.deps, s.install(channel));
    expect(JSON.stringify(s.sent)).toContain('Hi, I am Jamf Compliance');
    expect(s.claimed.size).toBe(0);
  });

  it('ignores another tenant', async () => {
    const s = setup();
    await greet(s.deps, s.install({ channelData: { tenant: { id: 'elsewhere' } }, conversation: undefined }));
    expect(s.sent).toEqual([]);
  });

  it('releases the claim when the welcome cannot be sent, so a later install tries again', async () => {
    const s = setup({ failSend: true });
    await greet(s.deps, s.install());
    expect(s.forgotten).toEqual([ADMIN.aadObjectId]);
    expect(s.claimed.size).toBe(0);
  });
});

describe('forgetWelcome', () => {
  it('forgets a 1:1 uninstall in our tenant only', async () => {
    const s = setup();
    await forgetWelcome(s.deps, s.install({ action: 'remove' }));
    await forgetWelcome(s.deps, s.install({ action: 'remove', ...channel }));
    expect(s.forgotten).toEqual([ADMIN.aadObjectId]);
  });
});
