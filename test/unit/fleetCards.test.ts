import { campaignConfirmModel } from '../../src/cards/campaignCardModels';
import { connectorCardModel } from '../../src/cards/connectorCardModel';
import { buildProgressText, fleetBuildingCardModel } from '../../src/cards/fleetBuildingCardModel';
import { fleetFreshness } from '../../src/cards/fleetFreshness';
import { renderCard } from '../../src/cards/renderCard';
import { rolloutCardModel } from '../../src/cards/rolloutCardModel';
import { assessConnectorHealth } from '../../src/compliance/assessConnectorHealth';
import { summarizeFleet } from '../../src/compliance/summarizeFleet';
import { DEFAULT_CRITERIA } from '../../src/compliance/defaultCriteria';
import * as diagnoseMacModule from '../../src/compliance/diagnoseMac';
import { diagnoseFleetSnapshot, type ReadyFleet } from '../../src/lookup/diagnoseFleetSnapshot';
import type { RolloutSnapshot } from '../../src/compliance/rolloutSnapshotTypes';
import { cardText } from '../helpers/botHarness';
import { checkCard } from '../helpers/validateCard';
import { NOW, macRecord } from './complianceFixtures';

const MIN = 60_000;

describe('fleetFreshness', () => {
  it('says how old the snapshot is, rounded down, and never in the future', () => {
    expect(fleetFreshness(new Date(NOW.getTime() - 4 * MIN - 59_000), NOW)).toBe(
      'Fleet picture as of 4 minutes ago',
    );
    expect(fleetFreshness(new Date(NOW.getTime() - 30_000), NOW)).toBe(
      'Fleet picture as of less than a minute ago',
    );
    expect(fleetFreshness(new Date(NOW.getTime() + 5_000), NOW)).toBe(
      'Fleet picture as of less than a minute ago',
    );
    expect(fleetFreshness(new Date(NOW.getTime() - 3 * 3_600_000), NOW)).toBe(
      'Fleet picture as of 3 hours ago',
    );
  });
});

describe('the fleet-building progress card', () => {
  const started = new Date(NOW.getTime() - 2 * MIN);

  it('shows "N of M Macs", a bar, the phase and when it started, with no error styling, and validates', () => {
    const model = fleetBuildingCardModel(
      {
        progress: { macsRead: 23_000, macsTotal: 50_000, phase: 'reading Jamf Pro inventory' },
        startedAt: started,
      },
      { now: NOW, command: 'rollout' },
    );
    expect(model.progress).toBe('Building the fleet picture: 23,000 of 50,000 Macs');
    expect(model.bar).toBe('▇▇▇▇▇░░░░░ 46%');
    expect(model.phase).toBe('Now: reading Jamf Pro inventory');
    expect(model.started).toBe('Started 2 minutes ago (10 Mar 2025, 11:58 UTC)');
    expect(model.note).toContain('turns into the rollout answer');
    const card = renderCard('fleetBuilding', model);
    expect(checkCard(card).problems).toEqual([]);
    expect(JSON.stringify(card)).not.toMatch(/"attention"|"warning"|"Attention"|"Warning"/);
  });

  it('leaves the bar out while the total is unknown, and says when it stopped updating', () => {
    expect(buildProgressText({ macsRead: 1, macsTotal: null, phase: 'x' })).toBe('1 Mac so far');
    const model = fleetBuildingCardModel(
      { progress: { macsRead: 0, macsTotal: null, phase: 'starting' }, startedAt: started },
      { now: NOW, command: 'connector status', stopped: true },
    );
    expect(model.bar).toBe('');
    expect(model.note).toContain('Type **connector status** again in a few minutes');
    expect(checkCard(renderCard('fleetBuilding', model)).problems).toEqual([]);
  });
});

describe('fleet cards say how fresh they are', () => {
  const asOf = new Date(NOW.getTime() - 4 * MIN);
  const summary = summarizeFleet([]);
  const scope = {
    partner: null,
    groupIds: [],
    groupNames: {},
    assignsAllUsers: false,
  };
  const apps = { cloudConnector: null, userRegistration: null };
  const health = assessConnectorHealth({
    partner: null,
    scope,
    apps,
    fleetSummary: null,
    now: NOW,
    heartbeatStaleAfterMinutes: 60,
  });

  it('connector status: the counts with their age; while building, the progress instead (not the failure notice)', () => {
    const ready = connectorCardModel(
      { health, scope, apps, fleet: { summary, notApplicable: 2, asOf }, fleetFailure: null },
      { now: NOW, registrationAppId: 'r' },
    );
    expect(ready.fleetAsOf).toBe('Fleet picture as of 4 minutes ago');
    expect(ready.fleetBuilding).toBe('');
    expect(checkCard(renderCard('connectorStatus', ready)).problems).toEqual([]);

    const building = connectorCardModel(
      {
        health,
        scope,
        apps,
        fleet: null,
        fleetFailure: null,
        fleetBuilding: {
          progress: { macsRead: 23_000, macsTotal: 50_000, phase: 'reading Jamf Pro inventory' },
        },
      },
      { now: NOW, registrationAppId: 'r' },
    );
    expect(building.fleetNotice).toBe('');
    expect(building.fleetAsOf).toBe('');
    expect(building.fleetBuilding).toContain('Building the fleet picture: 23,000 of 50,000 Macs');
    const card = renderCard('connectorStatus', building);
    expect(checkCard(card).problems).toEqual([]);
    expect(cardText(card)).toContain('23,000 of 50,000');
  });

  it('rollout and the remind preview: the snapshot’s age', () => {
    const today: RolloutSnapshot = {
      day: '2025-03-10',
      takenAt: NOW.toISOString(),
      total: 1,
      applicable: 1,
      byVerdict: { compliant: 1 },
      percentCompliant: 100,
      topReasons: [],
    };
    const rollout = rolloutCardModel({ today, history: [today], now: NOW, asOf });
    expect(rollout.freshness).toBe('Fleet picture as of 4 minutes ago');
    expect(checkCard(renderCard('rolloutCard', rollout)).problems).toEqual([]);

    const confirm = campaignConfirmModel(
      { recipients: [], group: null, macsByVerdict: {}, unreachableMacs: 0, outsideGroup: 0, asOf },
      {
        audience: 'all',
        groupName: null,
        deadline: null,
        frequencyCapDays: 7,
        preview: true,
        sample: null,
        now: NOW,
      },
    );
    expect(confirm.freshness).toBe('Fleet picture as of 4 minutes ago');
    const card = renderCard('campaignConfirm', { ...confirm, campaignId: 'c-00000000' });
    expect(checkCard(card).problems).toEqual([]);
    expect(cardText(card)).toContain('as of 4 minutes ago');
  });
});

describe('diagnoseFleetSnapshot', () => {
  const fleet = (version: number, records = [macRecord(), macRecord({ entra: null })]): ReadyFleet => ({
    state: 'ready',
    records,
    notApplicable: 0,
    connector: { groupIds: [], groupNames: {} },
    asOf: NOW,
    version,
  });

  it('diagnoses at answer time, and keeps the result per version and hour', () => {
    const diagnose = diagnoseFleetSnapshot(DEFAULT_CRITERIA);
    const v1 = fleet(1);
    const first = diagnose(v1, NOW);
    expect(first.verdicts).toHaveLength(2);
    expect(first.summary.total).toBe(2);
    expect(first.verdicts[1]).toBe('not_registered');
    expect(diagnose(v1, new Date(NOW.getTime() + 10 * MIN))).toBe(first);
    expect(diagnose(v1, new Date(NOW.getTime() + 60 * MIN))).not.toBe(first);
    const v2 = fleet(2, v1.records.slice(0, 1));
    expect(diagnose(v2, NOW).summary.total).toBe(1);
  });

  it('a new version in the same hour diagnoses only the records it changed, and counts as a fresh diagnosis would', () => {
    const diagnose = diagnoseFleetSnapshot(DEFAULT_CRITERIA);
    const records = Array.from({ length: 50 }, (_, i) =>
      macRecord(i % 3 === 0 ? { jamf: { id: String(i) }, entra: null } : { jamf: { id: String(i) } }),
    );
    diagnose(fleet(1, records), NOW);
    const spy = jest.spyOn(diagnoseMacModule, 'diagnoseMac');
    try {
      const changed = [...records];
      changed[7] = macRecord({ jamf: { id: '7' }, entra: null });
      const v2 = diagnose(fleet(2, changed), new Date(NOW.getTime() + 5 * MIN));
      expect(spy).toHaveBeenCalledTimes(1);
      spy.mockRestore();
      const fresh = diagnoseFleetSnapshot(DEFAULT_CRITERIA)(fleet(2, changed), NOW);
      expect(v2.verdicts).toEqual(fresh.verdicts);
      expect(v2.summary).toEqual(fresh.summary);
      // Another hour: every record again.
      const again = jest.spyOn(diagnoseMacModule, 'diagnoseMac');
      diagnose(fleet(2, changed), new Date(NOW.getTime() + 60 * MIN));
      expect(again).toHaveBeenCalledTimes(50);
    } finally {
      jest.restoreAllMocks();
    }
  });
});
