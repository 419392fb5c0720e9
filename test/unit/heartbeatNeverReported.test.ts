import { assessConnectorHealth, type ConnectorHealthInput } from '../../src/compliance/assessConnectorHealth';
import { connectorProblems } from '../../src/compliance/connectorProblems';
import { heartbeatTime, isMinDateTime } from '../../src/compliance/heartbeatTime';
import { connectorFacts } from '../../src/cards/connectorFacts';
import { toCompliancePartner } from '../../src/upstream/graph/graphMappers';

/**
 * `lastHeartbeatDateTime` is non-nullable in the v1.0 CSDL, so Intune sends the minimum date for
 * a partner that never reported. The bot reads it (and null) as "never reported".
 */
const NOW = new Date('2026-11-26T09:00:00Z');
const MIN_DATES = [
  '0001-01-01T00:00:00Z',
  '0001-01-01T00:00:00.0000000Z',
  '0001-01-01T00:00:00.000Z',
  '0001-01-01T00:00:00+00:00',
];
const raw = (lastHeartbeatDateTime: unknown) => ({
  id: 'p1',
  displayName: 'Jamf Device Compliance',
  partnerState: 'enabled',
  lastHeartbeatDateTime,
  macOsOnboarded: true,
  iosOnboarded: false,
  androidOnboarded: false,
  macOsEnrollmentAssignments: [],
});

describe('a partner that never reported', () => {
  it.each(MIN_DATES)('the mapper reads %s as null', (min) => {
    expect(isMinDateTime(min)).toBe(true);
    expect(toCompliancePartner(raw(min)).lastHeartbeatDateTime).toBeNull();
  });

  it('the mapper keeps null as null and a real date as it is', () => {
    expect(toCompliancePartner(raw(null)).lastHeartbeatDateTime).toBeNull();
    expect(toCompliancePartner(raw('2026-11-26T08:55:00Z')).lastHeartbeatDateTime).toBe(
      '2026-11-26T08:55:00Z',
    );
    expect(heartbeatTime('0001-01-02T00:00:00Z')).not.toBeNull();
  });

  it.each(MIN_DATES)(
    'the channel alert says "never reported" for %s, not a 2,025-year-old heartbeat',
    (min) => {
      // Straight from Graph's shape, and also as a domain value that skipped the mapper.
      for (const partner of [
        toCompliancePartner(raw(min)),
        { ...toCompliancePartner(raw(null)), lastHeartbeatDateTime: min },
      ]) {
        const problems = connectorProblems(partner, NOW, { heartbeatStaleAfterMinutes: 60 });
        expect(problems.map((p) => p.code)).toEqual(['heartbeat_missing']);
        expect(problems[0]!.title).toBe('Never reported');
        expect(JSON.stringify(problems)).not.toMatch(/year/);
        const facts = Object.fromEntries(
          connectorFacts(partner, NOW.toISOString(), NOW, '—').map((f) => [f.title, f.value]),
        );
        expect(facts['Last heartbeat']).toBe('never reported');
      }
    },
  );

  it('connector status (the health check) says never reported, not years ago', () => {
    const input: ConnectorHealthInput = {
      partner: {
        displayName: 'Jamf Device Compliance',
        partnerState: 'enabled',
        lastHeartbeatDateTime: MIN_DATES[0]!,
        macOsOnboarded: true,
      },
      scope: { groupIds: ['g'], groupNames: { g: 'Mac users' }, assignsAllUsers: false },
      apps: {
        cloudConnector: { appId: 'a1', displayName: 'Cloud Connector for Device Compliance' },
        userRegistration: { appId: 'a2', displayName: 'User registration app for Device Compliance' },
      },
      fleetSummary: null,
      now: NOW,
      heartbeatStaleAfterMinutes: 60,
    } as ConnectorHealthInput;
    const h = assessConnectorHealth(input);
    expect(h.reasons.map((r) => r.code)).toEqual(['heartbeat_missing']);
    expect(h.reasons[0]!.detail).toMatch(/never reported/);
    const off = assessConnectorHealth({
      ...input,
      partner: { ...input.partner!, partnerState: 'unresponsive' },
    });
    expect(off.reasons[0]!.detail).toMatch(/never reported/);
    expect(off.reasons[0]!.detail).not.toMatch(/year/);
  });
});
