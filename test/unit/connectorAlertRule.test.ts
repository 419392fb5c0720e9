import { connectorProblems } from '../../src/compliance/connectorProblems';
import { decideConnectorAlert } from '../../src/alerts/decideConnectorAlert';
import type { AlertState } from '../../src/store/botStore';
import type { CompliancePartner } from '../../src/compliance/compliancePartner';

const NOW = new Date('2026-11-24T12:00:00Z');
const partner = (over: Partial<CompliancePartner> = {}): CompliancePartner => ({
  id: 'p',
  displayName: 'Jamf Device Compliance',
  partnerState: 'enabled',
  lastHeartbeatDateTime: '2026-11-24T11:50:00Z',
  macOsOnboarded: true,
  iosOnboarded: false,
  androidOnboarded: false,
  assignments: { macOs: [], ios: [], android: [] },
  ...over,
});
const codes = (p: CompliancePartner | null, minutes = 60) =>
  connectorProblems(p, NOW, { heartbeatStaleAfterMinutes: minutes }).map((x) => x.code);

describe('connectorProblems (when the connector counts as broken)', () => {
  it('is healthy when enabled with a recent heartbeat', () => {
    expect(codes(partner())).toEqual([]);
  });
  it.each(['unresponsive', 'unavailable', 'terminated', 'rejected', 'unknown'] as const)(
    'flags partner state %s, with a fix',
    (state) => {
      const [p] = connectorProblems(partner({ partnerState: state }), NOW, {
        heartbeatStaleAfterMinutes: 60,
      });
      expect(p).toMatchObject({ code: 'partner_state', title: `Partner state is ${state}` });
      expect(p!.fix.length).toBeGreaterThan(20);
    },
  );
  it('flags a heartbeat older than the threshold, saying how old', () => {
    const p = partner({ lastHeartbeatDateTime: '2026-11-24T09:00:00Z' });
    expect(connectorProblems(p, NOW, { heartbeatStaleAfterMinutes: 60 })[0]!.title).toBe(
      'Heartbeat 3 hours old',
    );
    expect(codes(p, 240)).toEqual([]);
  });
  it('flags a missing heartbeat and a missing partner; keeps a stable order', () => {
    expect(codes(partner({ lastHeartbeatDateTime: null }))).toEqual(['heartbeat_missing']);
    expect(codes(null)).toEqual(['partner_missing']);
    expect(
      codes(partner({ partnerState: 'unresponsive', lastHeartbeatDateTime: '2026-11-23T00:00:00Z' })),
    ).toEqual(['partner_state', 'heartbeat_stale']);
  });
});

describe('decideConnectorAlert (one card per change of state)', () => {
  const state = (over: Partial<AlertState>): AlertState => ({
    key: 'connector',
    healthy: true,
    problems: [],
    since: 't0',
    checkedAt: 't0',
    alert: null,
    ...over,
  });
  const told = { conversationId: 'c', activityId: 'a', at: 't1' };

  it.each([
    ['never checked, healthy', null, [], 'none'],
    ['never checked, broken', null, ['partner_state'], 'alert'],
    ['healthy → broken', state({}), ['heartbeat_stale'], 'alert'],
    [
      'broken, told, same reasons',
      state({ healthy: false, problems: ['partner_state'], alert: told }),
      ['partner_state'],
      'none',
    ],
    [
      'broken, told, other reasons',
      state({ healthy: false, problems: ['heartbeat_stale'], alert: told }),
      ['partner_state', 'heartbeat_stale'],
      'update-alert',
    ],
    [
      'broken, nobody told yet',
      state({ healthy: false, problems: ['partner_state'] }),
      ['partner_state'],
      'alert',
    ],
    [
      'broken, told → healthy',
      state({ healthy: false, problems: ['partner_state'], alert: told }),
      [],
      'recovered',
    ],
    ['broken, never told → healthy', state({ healthy: false, problems: ['partner_state'] }), [], 'none'],
    ['healthy → healthy', state({}), [], 'none'],
  ] as const)('%s → %s', (_name, stored, problems, kind) => {
    expect(decideConnectorAlert(stored, problems).kind).toBe(kind);
  });
});
