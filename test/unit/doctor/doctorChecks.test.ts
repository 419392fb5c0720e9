import { checkDatabase, LATEST_SCHEMA_VERSION } from '../../../src/doctor/checkDatabase';
import { checkDatabaseFileSystem } from '../../../src/doctor/checkDatabaseFileSystem';
import { checkGraphPermissions } from '../../../src/doctor/checkGraphPermissions';
import { checkPublicUrl } from '../../../src/doctor/checkPublicUrl';
import { checkTeamsCatalog } from '../../../src/doctor/checkTeamsCatalog';
import { formatSetupReport } from '../../../src/doctor/formatSetupReport';
import { guardCheck } from '../../../src/doctor/guardCheck';
import type { SetupCheckDeps } from '../../../src/doctor/setupCheckDeps';
import { StoreUnavailableError, UpstreamError } from '../../../src/errors';
import { decodeTokenClaims } from '../../../src/upstream/graph/decodeTokenClaims';

const APP_ID = '11111111-2222-3333-4444-555555555555';

function config(over: {
  localMode?: boolean;
  publicUrl?: string | null;
  proactiveInstall?: boolean;
  manifestId?: string;
  path?: string;
  databaseUrl?: string | null;
  graphAuth?: string;
}): SetupCheckDeps['config'] {
  return {
    mode: 'tenant',
    bot: { appId: APP_ID, localMode: over.localMode ?? false, manifestId: over.manifestId ?? APP_ID },
    connector: { registrationAppId: 'b03c10a8-71c7-45f9-b44a-3335ab76e970' },
    broadcast: { publicUrl: over.publicUrl ?? null, proactiveInstall: over.proactiveInstall ?? true },
    store: { path: over.path ?? '/var/lib/bot/bot.db', databaseUrl: over.databaseUrl ?? null, poolMax: 5 },
    graph: { auth: over.graphAuth ?? 'secret' },
  } as unknown as SetupCheckDeps['config'];
}

const answer = (status: number, body: unknown) =>
  (async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch;

describe('SQLite on a network file system', () => {
  const statfsOf = (type: number) => async () => ({ type });

  it.each([
    ['SMB2/3', 0xfe534d42],
    ['CIFS', 0xff534d42],
    ['NFS', 0x6969],
  ])('warns on %s, with the fix', async (name, type) => {
    const r = await checkDatabaseFileSystem({ config: config({}), statfs: statfsOf(type) });
    expect(r.status).toBe('warn');
    expect(r.detail).toContain(name);
    expect(r.fix).toMatch(/PostgreSQL .* local disk/);
  });

  it('passes on a local file system (ext4), asking about the database’s folder', async () => {
    const asked: string[] = [];
    const r = await checkDatabaseFileSystem({
      config: config({ path: '/data/bot.db' }),
      statfs: async (p) => (asked.push(p), { type: 0xef53 }),
    });
    expect(r.status).toBe('pass');
    expect(asked).toEqual(['/data']);
  });

  it('asks the nearest existing folder when the database’s folder does not exist yet', async () => {
    const statfs = async (p: string) => {
      if (p !== '/srv') throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return { type: 0x6969 };
    };
    const r = await checkDatabaseFileSystem({ config: config({ path: '/srv/bot/data/bot.db' }), statfs });
    expect(r).toMatchObject({ status: 'warn' });
    expect(r.detail).toContain('/srv');
  });

  it('skips PostgreSQL and an in-memory database', async () => {
    const never = async () => {
      throw new Error('not asked');
    };
    expect(
      (await checkDatabaseFileSystem({ config: config({ databaseUrl: 'postgres://db/bot' }), statfs: never }))
        .status,
    ).toBe('skip');
    expect(
      (await checkDatabaseFileSystem({ config: config({ path: ':memory:' }), statfs: never })).status,
    ).toBe('skip');
  });
});

describe('PUBLIC_URL', () => {
  it('is skipped in local mode', async () => {
    expect((await checkPublicUrl({ config: config({ localMode: true }) })).status).toBe('skip');
  });

  it('fails when unset or not https, naming the setting', async () => {
    const unset = await checkPublicUrl({ config: config({}) });
    expect(unset).toMatchObject({ status: 'fail' });
    expect(unset.fix).toContain('PUBLIC_URL');
    expect((await checkPublicUrl({ config: config({ publicUrl: 'http://bot.example' }) })).detail).toContain(
      'not https',
    );
  });

  it('passes when /healthz answers with this bot’s app id, and fails for another bot or an error', async () => {
    const deps = { config: config({ publicUrl: 'https://bot.example/' }) };
    const urls: string[] = [];
    const ok = (async (u: string) => {
      urls.push(u);
      return new Response(JSON.stringify({ status: 'ok', app: APP_ID }));
    }) as unknown as typeof fetch;
    expect((await checkPublicUrl({ ...deps, fetch: ok })).status).toBe('pass');
    expect(urls).toEqual(['https://bot.example/healthz']);
    const other = await checkPublicUrl({
      ...deps,
      fetch: answer(200, { status: 'ok', app: 'someone-else' }),
    });
    expect(other).toMatchObject({ status: 'fail' });
    expect(other.detail).toContain('not as this bot');
    expect((await checkPublicUrl({ ...deps, fetch: answer(502, {}) })).detail).toContain('answered 502');
    const down = (async () => {
      throw new Error('getaddrinfo ENOTFOUND bot.example');
    }) as unknown as typeof fetch;
    expect((await checkPublicUrl({ ...deps, fetch: down })).detail).toContain('did not answer');
  });
});

describe('the Teams app in the org catalog', () => {
  const graph = (id: string | null) =>
    ({ findCatalogAppId: async () => id }) as unknown as SetupCheckDeps['graph'];

  it('is skipped, not failed, with PROACTIVE_INSTALL=false', async () => {
    const r = await checkTeamsCatalog({ graph: graph(null), config: config({ proactiveInstall: false }) });
    expect(r.status).toBe('skip');
  });

  it('fails with the upload fix when the catalog lacks the manifest id', async () => {
    const r = await checkTeamsCatalog({ graph: graph(null), config: config({}) });
    expect(r).toMatchObject({ status: 'fail' });
    expect(r.fix).toContain('Teams admin center');
    expect((await checkTeamsCatalog({ graph: graph('cat-1'), config: config({}) })).status).toBe('pass');
  });
});

describe('one check failing', () => {
  it('skips a check Graph refused for a missing permission, and fails on any other error', async () => {
    const denied = new UpstreamError('graph', 'forbidden', 'Insufficient privileges', {
      permission: 'Policy.Read.All',
    });
    expect(await guardCheck('conditionalAccess', 'CA', () => Promise.reject(denied))).toMatchObject({
      status: 'skip',
      detail: expect.stringContaining('Policy.Read.All'),
    });
    const down = new UpstreamError('jamf', 'unavailable', 'Jamf Pro is unavailable');
    expect(await guardCheck('jamfPrivileges', 'Jamf', () => Promise.reject(down))).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('reachable'),
    });
  });
});

describe('the Graph token’s claims', () => {
  const jwt = (claims: object) =>
    `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

  it('reads roles, app and tenant, and nothing else', () => {
    expect(decodeTokenClaims(jwt({ roles: ['User.Read.All', 7], appid: 'a', tid: 't', exp: 9 }))).toEqual({
      roles: ['User.Read.All'],
      appId: 'a',
      tenantId: 't',
      expiresAt: 9,
    });
    expect(decodeTokenClaims(jwt({ azp: 'b' }))).toMatchObject({ roles: [], appId: 'b' });
  });

  it('refuses a token that is not a JWT without repeating it', () => {
    expect(() => decodeTokenClaims('opaque-secret-token')).toThrow(/not a readable JWT/);
    try {
      decodeTokenClaims('opaque-secret-token');
    } catch (e) {
      expect(String(e)).not.toContain('opaque-secret-token');
    }
  });
});

describe('the terminal report', () => {
  it('prints marks, plain text and the fix of failures and warnings only', () => {
    const text = formatSetupReport({
      at: new Date(0),
      checks: [
        { id: 'graphPermissions', title: 'Graph permissions', status: 'pass', detail: 'All **good**.' },
        {
          id: 'jamfPrivileges',
          title: 'Jamf Pro API privileges',
          status: 'fail',
          detail: 'Lacks `x`.',
          fix: 'Add **Read Policies** to group \\*lab\\*.',
        },
        { id: 'publicUrl', title: 'Public address', status: 'skip', detail: 'Local.', fix: 'unused' },
      ],
    });
    expect(text.split('\n')).toEqual([
      '✓ Graph permissions: All good.',
      '✗ Jamf Pro API privileges: Lacks x.',
      '    fix: Add Read Policies to group *lab*.',
      '– Public address: Local.',
      '',
      'Not ready (✓ 1  ✗ 1  ! 0  – 1)',
    ]);
  });
});

describe('Graph permissions', () => {
  const ALL = [
    'Device.Read.All',
    'User.Read.All',
    'GroupMember.Read.All',
    'DeviceManagementServiceConfig.Read.All',
    'Policy.Read.All',
    'Application.Read.All',
    'AppCatalog.Read.All',
    'TeamsAppInstallation.ReadWriteSelfForUser.All',
    'Group.ReadWrite.All',
    'DeviceManagementServiceConfig.ReadWrite.All',
  ];
  const graph = (roles: string[], appId: string | null = APP_ID) =>
    ({ tokenClaims: async () => ({ roles, appId }) }) as unknown as SetupCheckDeps['graph'];

  it('tells a managed identity to assign app roles, not to find an app registration', async () => {
    const roles = ALL.filter((r) => r !== 'Policy.Read.All');
    const r = await checkGraphPermissions({
      graph: graph(roles),
      config: config({ graphAuth: 'managed-identity' }),
    });
    expect(r.status).toBe('fail');
    expect(r.fix).toMatch(/Assign the managed identity .*Policy\.Read\.All.*grantGraphAppRoles/);
    const secret = await checkGraphPermissions({ graph: graph(roles), config: config({}) });
    expect(secret.fix).toMatch(/App registrations › the app of GRAPH_CLIENT_ID/);
  });

  it('warns when Graph is read as another app than the bot: proactive install would be refused', async () => {
    const other = '99999999-2222-3333-4444-555555555555';
    const r = await checkGraphPermissions({ graph: graph(ALL, other), config: config({}) });
    expect(r.status).toBe('warn');
    expect(r.detail).toContain(other);
    expect(
      (await checkGraphPermissions({ graph: graph(ALL, APP_ID.toUpperCase()), config: config({}) })).status,
    ).toBe('pass');
    expect(
      (await checkGraphPermissions({ graph: graph(ALL, other), config: config({ proactiveInstall: false }) }))
        .status,
    ).toBe('pass');
  });
});

describe('the database, read without migrating it', () => {
  const store = (v: number | null | Error) => ({
    ready: async () => undefined,
    schemaVersion: async () => {
      if (v instanceof Error) throw v;
      return v;
    },
  });
  it.each<[number | null | Error, string, RegExp]>([
    [LATEST_SCHEMA_VERSION, 'pass', /at schema version/],
    [null, 'warn', /does not exist yet/],
    [LATEST_SCHEMA_VERSION - 1, 'warn', /this build’s is/],
    [LATEST_SCHEMA_VERSION + 1, 'fail', /newer than this build/],
    [new Error('file is not a database'), 'fail', /cannot be used: file is not a database/],
  ])('version %s → %s', async (v, status, detail) => {
    const r = await checkDatabase({ store: store(v), config: config({}) });
    expect(r.status).toBe(status);
    expect(r.detail).toMatch(detail);
  });

  it('in the running bot, a database that cannot take writes fails with the reason and the fix', async () => {
    const full = {
      ...store(LATEST_SCHEMA_VERSION),
      probe: async () => {
        throw new StoreUnavailableError(
          'full',
          'The database (SQLite file bot.sqlite) is full: database or disk is full',
        );
      },
    };
    const r = await checkDatabase({ store: full, config: config({}) });
    expect(r).toMatchObject({
      status: 'fail',
      fix: 'Free space on its disk (or give the server or volume more).',
    });
    expect(r.detail).toMatch(/cannot take writes now: .*is full/);
    const fine = { ...store(LATEST_SCHEMA_VERSION), probe: async () => undefined };
    expect((await checkDatabase({ store: fine, config: config({}) })).status).toBe('pass');
  });
});
