import { recordComplianceChanges } from '../../src/broadcasts/recordComplianceChanges';
import { DEFAULT_CRITERIA } from '../../src/compliance/defaultCriteria';
import { diagnoseMac } from '../../src/compliance/diagnoseMac';
import type { ComplianceObservation } from '../../src/compliance/campaignEffectiveness';
import { DAY, entraDevice, macRecord, NOW } from './complianceFixtures';

const compliant = macRecord();
const notRegistered = macRecord({ entra: null });
const entraBehind = macRecord({ entra: entraDevice({ isCompliant: false }) });
const stale = macRecord({ jamf: { reportDate: new Date(NOW.getTime() - 30 * DAY).toISOString() } });
const outside = macRecord({ jamf: { groups: [] } });

describe('recordComplianceChanges (the fleet change feed into the compliance history)', () => {
  async function observe(changes: { before: typeof compliant | null; after: typeof compliant | null }[]) {
    const seen: ComplianceObservation[][] = [];
    await recordComplianceChanges({
      history: { recordComplianceObservations: async (o) => void seen.push([...o]) },
      config: { criteria: DEFAULT_CRITERIA },
    })({ version: 2, at: NOW, changes: changes.map((c, i) => ({ jamfId: String(i), ...c })) });
    return seen.flat();
  }

  it('agrees with the diagnosis on what is compliant', () => {
    expect(diagnoseMac(compliant, DEFAULT_CRITERIA, NOW).verdict).toBe('compliant');
    for (const r of [notRegistered, entraBehind, stale])
      expect(diagnoseMac(r, DEFAULT_CRITERIA, NOW).verdict).not.toBe('compliant');
    expect(diagnoseMac(outside, DEFAULT_CRITERIA, NOW).verdict).toBe('not_applicable');
  });

  it('records only Macs whose state flipped, and new Macs that are not compliant', async () => {
    expect(
      await observe([
        { before: notRegistered, after: compliant }, // turned compliant
        { before: compliant, after: entraBehind }, // fell out
        { before: null, after: stale }, // new and not compliant
        { before: null, after: compliant }, // new and fine: nothing to record
        { before: entraBehind, after: notRegistered }, // still not compliant
        { before: compliant, after: compliant },
        { before: notRegistered, after: outside }, // left the integration: the daily snapshot closes it
        { before: compliant, after: null },
      ]),
    ).toEqual([
      { jamfId: '0', userId: 'u-1', compliant: true, turnedCompliant: true },
      { jamfId: '1', userId: 'u-1', compliant: false, turnedCompliant: false },
      { jamfId: '2', userId: 'u-1', compliant: false, turnedCompliant: false },
    ]);
  });

  it('writes nothing when nothing flipped', async () => {
    expect(await observe([{ before: compliant, after: compliant }])).toEqual([]);
  });
});
