import { adminAccessWarning, configAccessPolicy } from '../../src/teams/accessPolicy';
import { UpstreamError } from '../../src/errors';

const TENANT = '6f1c2a7e-3d4b-4c8a-9e5f-1a2b3c4d5e6f';
const GROUP = 'aaaaaaaa-0000-4000-8000-000000000001';
const NO_TEAM = { adminTeamId: null, adminTeamChannelId: null };
const TEAM = '19:admins@thread.tacv2';
const CHANNEL = '19:alerts@thread.tacv2';
const conv = (
  scope: 'personal' | 'channel' | 'groupChat',
  teamId: string | null,
  channelId: string | null,
) => ({
  id: 'c',
  scope,
  teamId,
  channelId,
});
const caller = (aadObjectId: string | null) => ({
  teamsUserId: '29:x',
  aadObjectId,
  name: null,
  tenantId: TENANT,
});

describe('configAccessPolicy', () => {
  it('admits only the configured tenant', () => {
    const p = configAccessPolicy({
      tenantId: TENANT,
      access: { adminUserIds: [], adminGroupId: null, ...NO_TEAM },
    });
    expect(p.tenantAllowed(TENANT.toUpperCase())).toBe(true);
    expect(p.tenantAllowed('11111111-2222-3333-4444-555555555555')).toBe(false);
    expect(p.tenantAllowed(null)).toBe(false);
  });

  it('makes listed users admins, and nobody else without a group', async () => {
    const p = configAccessPolicy({
      tenantId: TENANT,
      access: { adminUserIds: ['AB-1'], adminGroupId: null, ...NO_TEAM },
    });
    expect(await p.isAdmin(caller('ab-1'))).toBe(true);
    expect(await p.isAdmin(caller('other'))).toBe(false);
    expect(await p.isAdmin(caller(null))).toBe(false);
  });

  it('asks Graph about the admin group, caches the answer for five minutes, and denies on failure', async () => {
    let t = 0;
    const calls: string[] = [];
    const graph = {
      checkMemberGroups: async (userId: string, ids: string[]) => {
        calls.push(userId);
        if (userId === 'broken') throw new UpstreamError('graph', 'timeout', 'x');
        return userId === 'member' ? ids : [];
      },
    };
    const p = configAccessPolicy(
      { tenantId: TENANT, access: { adminUserIds: [], adminGroupId: GROUP, ...NO_TEAM } },
      { graph, now: () => t },
    );
    expect(await p.isAdmin(caller('member'))).toBe(true);
    expect(await p.isAdmin(caller('member'))).toBe(true);
    expect(calls).toEqual(['member']);
    expect(await p.isAdmin(caller('stranger'))).toBe(false);
    expect(await p.isAdmin(caller('broken'))).toBe(false);
    t = 5 * 60_000 + 1;
    await p.isAdmin(caller('member'));
    expect(calls.filter((c) => c === 'member')).toHaveLength(2);
  });

  it('gives up on a group check that hangs (not an admin), so the turn keeps its time', async () => {
    const graph = { checkMemberGroups: () => new Promise<string[]>(() => undefined) };
    const p = configAccessPolicy(
      { tenantId: TENANT, access: { adminUserIds: [], adminGroupId: GROUP, ...NO_TEAM } },
      { graph, checkTimeoutMs: 20 },
    );
    const started = Date.now();
    expect(await p.isAdmin(caller('member'))).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('with an admin team, makes whoever speaks in its channels an admin there, and nowhere else', async () => {
    const p = configAccessPolicy({
      tenantId: TENANT,
      access: { adminUserIds: [], adminGroupId: null, adminTeamId: TEAM, adminTeamChannelId: null },
    });
    expect(await p.isAdmin(caller('x'), conv('channel', TEAM, CHANNEL))).toBe(true);
    expect(await p.isAdmin(caller(null), conv('channel', TEAM, '19:other@thread.tacv2'))).toBe(true);
    expect(await p.isAdmin(caller('x'), conv('channel', '19:other-team@thread.tacv2', CHANNEL))).toBe(false);
    expect(await p.isAdmin(caller('x'), conv('personal', TEAM, null))).toBe(false);
    expect(await p.isAdmin(caller('x'), conv('groupChat', TEAM, null))).toBe(false);
    expect(await p.isAdmin(caller('x'))).toBe(false);
  });

  it('narrows the admin team to one channel when told', async () => {
    const p = configAccessPolicy({
      tenantId: TENANT,
      access: { adminUserIds: [], adminGroupId: null, adminTeamId: TEAM, adminTeamChannelId: CHANNEL },
    });
    expect(await p.isAdmin(caller('x'), conv('channel', TEAM, CHANNEL))).toBe(true);
    expect(await p.isAdmin(caller('x'), conv('channel', TEAM, '19:general@thread.tacv2'))).toBe(false);
  });

  it('warns at start-up when nobody can be an admin (default deny), and only then', () => {
    expect(adminAccessWarning({ access: { adminUserIds: [], adminGroupId: null, ...NO_TEAM } })).toMatch(
      /no bot admins are configured/,
    );
    expect(
      adminAccessWarning({ access: { adminUserIds: ['a'], adminGroupId: null, ...NO_TEAM } }),
    ).toBeNull();
    expect(adminAccessWarning({ access: { adminUserIds: [], adminGroupId: GROUP, ...NO_TEAM } })).toBeNull();
    expect(
      adminAccessWarning({
        access: { adminUserIds: [], adminGroupId: null, adminTeamId: TEAM, adminTeamChannelId: null },
      }),
    ).toBeNull();
  });
});
