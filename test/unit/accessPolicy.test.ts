import { configAccessPolicy } from '../../src/teams/accessPolicy';
import { UpstreamError } from '../../src/errors';

const TENANT = '6f1c2a7e-3d4b-4c8a-9e5f-1a2b3c4d5e6f';
const GROUP = 'aaaaaaaa-0000-4000-8000-000000000001';
const caller = (aadObjectId: string | null) => ({
  teamsUserId: '29:x',
  aadObjectId,
  name: null,
  tenantId: TENANT,
});

describe('configAccessPolicy', () => {
  it('admits only the configured tenant', () => {
    const p = configAccessPolicy({ tenantId: TENANT, access: { adminUserIds: [], adminGroupId: null } });
    expect(p.tenantAllowed(TENANT.toUpperCase())).toBe(true);
    expect(p.tenantAllowed('11111111-2222-3333-4444-555555555555')).toBe(false);
    expect(p.tenantAllowed(null)).toBe(false);
  });

  it('makes listed users admins, and nobody else without a group', async () => {
    const p = configAccessPolicy({
      tenantId: TENANT,
      access: { adminUserIds: ['AB-1'], adminGroupId: null },
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
      { tenantId: TENANT, access: { adminUserIds: [], adminGroupId: GROUP } },
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
});
