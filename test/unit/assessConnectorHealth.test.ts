import {
  assessConnectorHealth,
  type ConnectorHealthInput,
  type PartnerFacts,
} from '../../src/compliance/assessConnectorHealth';

const NOW = new Date('2026-11-26T09:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();
const GROUP = 'g-1';

function input(
  over: Partial<Omit<ConnectorHealthInput, 'partner'>> & { partner?: Partial<PartnerFacts> | null } = {},
) {
  const partner: PartnerFacts | null =
    over.partner === null
      ? null
      : {
          displayName: 'Jamf Device Compliance',
          partnerState: 'enabled',
          lastHeartbeatDateTime: minutesAgo(5),
          macOsOnboarded: true,
          ...over.partner,
        };
  return {
    scope: { groupIds: [GROUP], groupNames: { [GROUP]: 'Mac users' }, assignsAllUsers: false },
    apps: {
      cloudConnector: { appId: 'a1', displayName: 'Cloud Connector for Device Compliance' },
      userRegistration: { appId: 'a2', displayName: 'User registration app for Device Compliance' },
    },
    fleetSummary: null,
    now: NOW,
    heartbeatStaleAfterMinutes: 60,
    ...over,
    partner,
  } as ConnectorHealthInput;
}

const codes = (i: ConnectorHealthInput) => assessConnectorHealth(i).reasons.map((r) => [r.code, r.level]);

describe('assessConnectorHealth', () => {
  it('is healthy with an enabled partner, a fresh heartbeat, macOS, a group and both apps', () => {
    expect(assessConnectorHealth(input())).toEqual({ light: 'healthy', reasons: [] });
  });

  it('is broken without a partner, says where to connect it, and skips the partner checks', () => {
    const h = assessConnectorHealth(input({ partner: null }));
    expect(h.light).toBe('broken');
    expect(h.reasons.map((r) => r.code)).toEqual(['partner_missing']);
    expect(h.reasons[0]!.fix).toMatch(/Add compliance partner/);
    expect(h.reasons[0]!.fix).toMatch(/CONNECTOR_NAME/);
  });

  it.each(['unresponsive', 'terminated', 'rejected', 'unavailable'])(
    'is broken when the partner is %s, with the heartbeat age in the detail',
    (state) => {
      const h = assessConnectorHealth(
        input({ partner: { partnerState: state, lastHeartbeatDateTime: minutesAgo(3 * 24 * 60) } }),
      );
      expect(h.light).toBe('broken');
      expect(h.reasons).toHaveLength(1);
      expect(h.reasons[0]).toMatchObject({ code: 'partner_not_enabled', level: 'broken' });
      expect(h.reasons[0]!.detail).toContain(state);
      expect(h.reasons[0]!.detail).toContain('last heartbeat 3 days ago');
      expect(h.reasons[0]!.fix).toContain('Device Compliance');
    },
  );

  it('is degraded when the state is unknown (or a state Graph adds later)', () => {
    expect(codes(input({ partner: { partnerState: 'unknown' } }))).toEqual([
      ['partner_not_enabled', 'degraded'],
    ]);
    expect(codes(input({ partner: { partnerState: 'somethingNew', lastHeartbeatDateTime: null } }))).toEqual([
      ['partner_not_enabled', 'degraded'],
    ]);
    expect(
      assessConnectorHealth(input({ partner: { partnerState: 'unknown', lastHeartbeatDateTime: null } }))
        .reasons[0]!.detail,
    ).toContain('no heartbeat recorded');
  });

  it('is degraded when the heartbeat is older than the threshold, not at it', () => {
    expect(assessConnectorHealth(input({ partner: { lastHeartbeatDateTime: minutesAgo(60) } })).light).toBe(
      'healthy',
    );
    const h = assessConnectorHealth(input({ partner: { lastHeartbeatDateTime: minutesAgo(61) } }));
    expect(h.light).toBe('degraded');
    expect(h.reasons[0]).toMatchObject({ code: 'heartbeat_stale', level: 'degraded' });
    expect(h.reasons[0]!.detail).toBe(
      'Last heartbeat 1 hour ago (expected within 1 hour); compliance changes may be delayed.',
    );
  });

  it('honours a configured threshold, and treats a heartbeat in the future (clock skew) as fresh', () => {
    const i = input({ partner: { lastHeartbeatDateTime: minutesAgo(30) }, heartbeatStaleAfterMinutes: 15 });
    expect(codes(i)).toEqual([['heartbeat_stale', 'degraded']]);
    expect(assessConnectorHealth(input({ partner: { lastHeartbeatDateTime: minutesAgo(-10) } })).light).toBe(
      'healthy',
    );
  });

  it('is degraded without any heartbeat, or with an unreadable one', () => {
    expect(codes(input({ partner: { lastHeartbeatDateTime: null } }))).toEqual([
      ['heartbeat_missing', 'degraded'],
    ]);
    expect(codes(input({ partner: { lastHeartbeatDateTime: 'yesterday' } }))).toEqual([
      ['heartbeat_missing', 'degraded'],
    ]);
  });

  it('is broken when macOS is not onboarded', () => {
    const h = assessConnectorHealth(input({ partner: { macOsOnboarded: false } }));
    expect(h.reasons).toEqual([expect.objectContaining({ code: 'macos_not_onboarded', level: 'broken' })]);
    expect(h.reasons[0]!.fix).toContain('macOS platform');
  });

  it('is broken with an all-users assignment, and says to assign the user group instead', () => {
    const h = assessConnectorHealth(
      input({ scope: { groupIds: [], groupNames: {}, assignsAllUsers: true } }),
    );
    expect(h.reasons.map((r) => [r.code, r.level])).toEqual([['all_users_assigned', 'broken']]);
    expect(h.reasons[0]!.fix).toMatch(/remove \*All users\*/);
  });

  it('flags all users even beside a group', () => {
    const h = assessConnectorHealth(
      input({ scope: { groupIds: [GROUP], groupNames: { [GROUP]: 'Mac users' }, assignsAllUsers: true } }),
    );
    expect(h.reasons.map((r) => r.code)).toEqual(['all_users_assigned']);
  });

  it('is broken with no group assigned', () => {
    expect(codes(input({ scope: { groupIds: [], groupNames: {}, assignsAllUsers: false } }))).toEqual([
      ['no_group_assigned', 'broken'],
    ]);
  });

  it('is degraded when an assigned group cannot be found, naming its id', () => {
    const h = assessConnectorHealth(
      input({
        scope: { groupIds: [GROUP, 'gone'], groupNames: { [GROUP]: 'Mac users' }, assignsAllUsers: false },
      }),
    );
    expect(h.reasons).toEqual([
      expect.objectContaining({ code: 'assigned_group_not_found', level: 'degraded' }),
    ]);
    expect(h.reasons[0]!.detail).toContain('gone');
  });

  it.each([
    ['cloudConnector', 'cloud_connector_app_missing', /first Microsoft prompt/],
    ['userRegistration', 'registration_app_missing', /REGISTRATION_APP_ID/],
  ] as const)('is broken when the %s app is missing', (key, code, fix) => {
    const i = input();
    const h = assessConnectorHealth({ ...i, apps: { ...i.apps, [key]: null } });
    expect(h.light).toBe('broken');
    expect(h.reasons).toEqual([expect.objectContaining({ code, level: 'broken' })]);
    expect(h.reasons[0]!.fix).toMatch(fix);
  });

  it('checks the apps even without a partner', () => {
    const h = assessConnectorHealth({
      ...input({ partner: null }),
      apps: { cloudConnector: null, userRegistration: null },
    });
    expect(h.reasons.map((r) => r.code)).toEqual([
      'partner_missing',
      'cloud_connector_app_missing',
      'registration_app_missing',
    ]);
  });

  it('lists broken reasons before degraded ones, and the light is the worst', () => {
    const i = input({
      partner: { lastHeartbeatDateTime: minutesAgo(600) },
      scope: { groupIds: [GROUP, 'gone'], groupNames: { [GROUP]: 'Mac users' }, assignsAllUsers: true },
    });
    const h = assessConnectorHealth({ ...i, apps: { ...i.apps, userRegistration: null } });
    expect(h.light).toBe('broken');
    expect(h.reasons.map((r) => r.level)).toEqual(['broken', 'broken', 'degraded', 'degraded']);
    expect(h.reasons.map((r) => r.code)).toEqual([
      'all_users_assigned',
      'registration_app_missing',
      'heartbeat_stale',
      'assigned_group_not_found',
    ]);
  });

  it('every reason has a detail and a fix', () => {
    const h = assessConnectorHealth({
      ...input({
        partner: { partnerState: 'terminated', macOsOnboarded: false },
        scope: { groupIds: ['x'], groupNames: {}, assignsAllUsers: true },
      }),
      apps: { cloudConnector: null, userRegistration: null },
    });
    expect(h.reasons.length).toBeGreaterThanOrEqual(5);
    for (const r of h.reasons) {
      expect(r.detail.length).toBeGreaterThan(20);
      expect(r.fix.length).toBeGreaterThan(20);
    }
  });
});
