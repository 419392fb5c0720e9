import {
  AzCommandError,
  grantGraphAppRoles,
  GrantNotAllowedError,
  MICROSOFT_GRAPH_APP_ID,
  type RunAz,
} from '../../scripts/grantGraphAppRoles';
import { planGraphAppRoleGrants } from '../../scripts/planGraphAppRoleGrants';
import { GRAPH_APP_PERMISSIONS } from '../../src/upstream/graph/graphPermissions';

const MI_APP_ID = '1b4c6d8e-0f2a-4b3c-9d5e-7f8a9b0c1d2e';
const MI_SP_ID = 'aaaaaaaa-0000-4000-8000-000000000001';
const GRAPH_SP_ID = 'bbbbbbbb-0000-4000-8000-000000000002';
const roleId = (p: string) =>
  `cccccccc-0000-4000-8000-${String(GRAPH_APP_PERMISSIONS.indexOf(p)).padStart(12, '0')}`;
const GRAPH_ROLES = [
  ...GRAPH_APP_PERMISSIONS.map((p) => ({ id: roleId(p), value: p, allowedMemberTypes: ['Application'] })),
  { id: 'dddddddd-0000-4000-8000-000000000000', value: 'User.Read', allowedMemberTypes: ['User'] },
];

/** A stand-in for `az rest` against a tenant where the principal already holds `held`. */
function fakeAz(held: string[], opts: { forbidPost?: boolean; notFoundTimes?: number } = {}) {
  const posts: Array<{ url: string; body: { principalId: string; resourceId: string; appRoleId: string } }> =
    [];
  let notFound = opts.notFoundTimes ?? 0;
  const az: RunAz = (args) => {
    const method = args[args.indexOf('--method') + 1];
    const url = args[args.indexOf('--url') + 1] ?? '';
    if (method === 'GET' && url.includes(`appId='${MICROSOFT_GRAPH_APP_ID}'`)) {
      return JSON.stringify({ id: GRAPH_SP_ID, appRoles: GRAPH_ROLES });
    }
    if (method === 'GET' && url.includes(`appId='${MI_APP_ID}'`)) {
      if (notFound-- > 0)
        throw new AzCommandError(args, 'ERROR: Not Found({"error":{"code":"Request_ResourceNotFound"}})');
      return JSON.stringify({ id: MI_SP_ID, displayName: 'id-jcb123456' });
    }
    if (method === 'GET' && url.includes(`/servicePrincipals/${MI_SP_ID}/appRoleAssignments`)) {
      return JSON.stringify({ value: held.map((p) => ({ appRoleId: roleId(p), resourceId: GRAPH_SP_ID })) });
    }
    if (method === 'POST') {
      if (opts.forbidPost)
        throw new AzCommandError(args, 'ERROR: Forbidden({"error":{"code":"Authorization_RequestDenied"}})');
      posts.push({ url, body: JSON.parse(args[args.indexOf('--body') + 1] ?? '{}') });
      return '{}';
    }
    throw new Error(`unexpected az ${args.join(' ')}`);
  };
  return { az, posts };
}

const quiet = { log: () => undefined, sleep: async () => undefined };

describe('planGraphAppRoleGrants', () => {
  it('grants the missing application roles, skips held ones and names unknown permissions', () => {
    const plan = planGraphAppRoleGrants(
      ['Device.Read.All', 'User.Read.All', 'User.Read', 'No.Such.Permission'],
      GRAPH_SP_ID,
      GRAPH_ROLES,
      [
        { appRoleId: roleId('Device.Read.All'), resourceId: GRAPH_SP_ID },
        // The same role id on another resource does not count.
        { appRoleId: roleId('User.Read.All'), resourceId: 'another-resource' },
      ],
    );
    expect(plan).toEqual({
      toGrant: [{ permission: 'User.Read.All', appRoleId: roleId('User.Read.All') }],
      alreadyGranted: ['Device.Read.All'],
      // User.Read exists only as a delegated permission.
      unknown: ['User.Read', 'No.Such.Permission'],
    });
  });
});

describe('grantGraphAppRoles', () => {
  it('assigns every permission of GRAPH_APP_PERMISSIONS the identity lacks, once', async () => {
    const { az, posts } = fakeAz(['Device.Read.All']);
    const result = await grantGraphAppRoles({ appId: MI_APP_ID, mode: 'auto', az, ...quiet });
    expect(result.alreadyGranted).toEqual(['Device.Read.All']);
    expect(result.granted).toEqual(GRAPH_APP_PERMISSIONS.filter((p) => p !== 'Device.Read.All'));
    expect(posts).toHaveLength(GRAPH_APP_PERMISSIONS.length - 1);
    for (const p of posts) {
      expect(p.url).toBe(`https://graph.microsoft.com/v1.0/servicePrincipals/${MI_SP_ID}/appRoleAssignments`);
      expect(p.body.principalId).toBe(MI_SP_ID);
      expect(p.body.resourceId).toBe(GRAPH_SP_ID);
    }
    // Run again: nothing left to do.
    const again = fakeAz([...GRAPH_APP_PERMISSIONS]);
    expect(
      (await grantGraphAppRoles({ appId: MI_APP_ID, mode: 'auto', az: again.az, ...quiet })).granted,
    ).toEqual([]);
    expect(again.posts).toEqual([]);
  });

  it('waits for a managed identity created moments ago to appear in the directory', async () => {
    const { az, posts } = fakeAz([], { notFoundTimes: 2 });
    await grantGraphAppRoles({ appId: MI_APP_ID, mode: 'auto', az, ...quiet });
    expect(posts).toHaveLength(GRAPH_APP_PERMISSIONS.length);
  });

  it('manual mode changes nothing and prints the commands an admin runs', async () => {
    const { az, posts } = fakeAz([]);
    const lines: string[] = [];
    const result = await grantGraphAppRoles({
      appId: MI_APP_ID,
      mode: 'manual',
      az,
      log: (l) => lines.push(l),
      sleep: quiet.sleep,
    });
    expect(posts).toEqual([]);
    expect(result.commands).toHaveLength(GRAPH_APP_PERMISSIONS.length);
    expect(result.commands[0]).toMatch(
      new RegExp(
        `^az rest --method POST --url \\S+/servicePrincipals/${MI_SP_ID}/appRoleAssignments .*--body '\\{.*\\}'`,
      ),
    );
    expect(lines.join('\n')).toMatch(/Privileged Role Administrator or Global Administrator/);
  });

  it('when the signed-in account may not grant, says who can and how to hand it over', async () => {
    const { az } = fakeAz(['Device.Read.All'], { forbidPost: true });
    const err = await grantGraphAppRoles({ appId: MI_APP_ID, mode: 'auto', az, ...quiet }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GrantNotAllowedError);
    expect((err as Error).message).toMatch(/Privileged Role Administrator or Global Administrator/);
    expect((err as Error).message).toMatch(/GRAPH_APP_ROLES_GRANT=manual/);
    expect((err as Error).message.split('\n').filter((l) => l.trim().startsWith('az rest'))).toHaveLength(
      GRAPH_APP_PERMISSIONS.length - 1,
    );
  });

  it('refuses an app id that is not a GUID, naming the setting', async () => {
    const { az } = fakeAz([]);
    await expect(grantGraphAppRoles({ appId: '${{BOT_ID}}', mode: 'auto', az, ...quiet })).rejects.toThrow(
      /GRANT_TO_APP_ID: .* not a client id/,
    );
  });
});
