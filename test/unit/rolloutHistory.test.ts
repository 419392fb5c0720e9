import { takeRolloutSnapshot } from '../../src/rollout/takeRolloutSnapshot';
import type { DiagnosedFleet, ReadyFleet } from '../../src/lookup/diagnoseFleetSnapshot';
import { summarizeFleet } from '../../src/compliance/summarizeFleet';
import type { ComplianceObservation } from '../../src/compliance/campaignEffectiveness';
import type { Verdict } from '../../src/compliance/diagnosisTypes';
import { entraUser, macRecord, NOW } from './complianceFixtures';

describe('the daily rollout snapshot records each Mac in the compliance history', () => {
  it('every applicable Mac, compliant or not, with its user, as the whole fleet', async () => {
    const records = [
      macRecord({ jamf: { id: '1' } }),
      macRecord({ jamf: { id: '2' }, user: entraUser({ id: 'u-2' }) }),
      macRecord({ jamf: { id: '3' }, user: null }),
      macRecord({ jamf: { id: '4' } }),
    ];
    const verdicts: Verdict[] = ['compliant', 'not_registered', 'stale', 'not_applicable'];
    const diagnosed: DiagnosedFleet = {
      records,
      verdicts,
      summary: summarizeFleet(verdicts.map((verdict) => ({ verdict, reasons: [] }))),
    };
    const calls: { obs: readonly ComplianceObservation[]; at: string; opts: unknown }[] = [];
    const saved: string[] = [];
    const snapshot = await takeRolloutSnapshot(
      {
        diagnose: () => diagnosed,
        store: { saveSnapshot: async (s) => void saved.push(s.day) },
        history: {
          recordComplianceObservations: async (obs, at, opts) => void calls.push({ obs, at, opts }),
        },
      },
      { notApplicable: 0 } as unknown as ReadyFleet,
      NOW,
    );
    expect(saved).toEqual([snapshot.day]);
    expect(calls).toEqual([
      {
        obs: [
          { jamfId: '1', userId: 'u-1', compliant: true },
          { jamfId: '2', userId: 'u-2', compliant: false },
          { jamfId: '3', userId: null, compliant: false },
        ],
        at: NOW.toISOString(),
        opts: { wholeFleet: true },
      },
    ]);
  });
});
