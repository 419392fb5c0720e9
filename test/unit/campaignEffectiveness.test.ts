import {
  campaignEffectiveness,
  historyExpired,
  type CampaignEffectivenessInput,
  type ComplianceSpell,
  type EffectivenessRecipient,
} from '../../src/compliance/campaignEffectiveness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const S = Date.parse('2026-11-02T09:00:00.000Z');
const at = (ms: number) => new Date(S + ms).toISOString();

const sent = (recipientId: string, remindedAfter: number, macIds: string[], checkedAfter?: number) =>
  ({
    recipientId,
    state: 'sent',
    remindedAt: at(remindedAfter),
    macIds,
    checkedAt: checkedAfter === undefined ? null : at(checkedAfter),
  }) satisfies EffectivenessRecipient;

const notSent = (recipientId: string, state: EffectivenessRecipient['state'], macIds: string[]) =>
  ({ recipientId, state, remindedAt: null, macIds, checkedAt: null }) satisfies EffectivenessRecipient;

const spell = (
  jamfId: string,
  userId: string | null,
  since: number,
  until: number | null,
  ended: ComplianceSpell['ended'] = until === null ? null : 'compliant',
): ComplianceSpell => ({ jamfId, userId, since: at(since), until: until === null ? null : at(until), ended });

/**
 * The fixture with a known answer (issue 19). The campaign starts at S.
 *
 * Reminded (sent): alice 12 h after her reminder; bob's two Macs after 2 and 5 days (he counts
 * at 5); carol never; dave after exactly 1 day (his other Mac left the fleet, so it does not
 * hold him back). Alice, bob and dave pressed Check again.
 *
 * Not reminded: erin (failed send) after 4 days, gina after 10, hank never, kim after 2; frank
 * (reminded by a campaign nearby) and jon (in doubt) are not the baseline, nor is ivy, whose
 * Mac fell out after the start, nor a Mac without a user.
 */
const fixture: CampaignEffectivenessInput = {
  startedAt: at(0),
  recipients: [
    sent('alice', 0, ['m1'], 1 * HOUR),
    sent('bob', 1 * HOUR, ['m2', 'm3'], 3 * HOUR),
    sent('carol', 2 * HOUR, ['m4']),
    sent('dave', 3 * HOUR, ['m5', 'm6'], 30 * HOUR),
    notSent('erin', 'failed', ['m7']),
    notSent('frank', 'skipped', ['m8']),
    notSent('jon', 'in_doubt', ['m14']),
  ],
  spells: [
    spell('m1', 'alice', -13 * DAY, 12 * HOUR),
    spell('m1', 'alice', 20 * DAY, null), // fell out again later: she had already counted
    spell('m2', 'bob', -5 * DAY, 1 * HOUR + 2 * DAY),
    spell('m3', 'bob', -5 * DAY, 1 * HOUR + 5 * DAY),
    spell('m4', 'carol', -30 * DAY, null),
    spell('m5', 'dave', -2 * DAY, 3 * HOUR + 1 * DAY),
    spell('m6', 'dave', -2 * DAY, 2 * DAY, 'gone'),
    spell('m7', 'erin', -1 * DAY, 4 * DAY),
    spell('m8', 'frank', -1 * DAY, 1 * DAY),
    spell('m9', 'gina', -3 * DAY, 10 * DAY),
    spell('m10', 'hank', -3 * DAY, null),
    spell('m11', 'ivy', 1 * DAY, null),
    spell('m12', 'kim', -7 * DAY, 2 * DAY),
    spell('m13', null, -7 * DAY, null),
    spell('m14', 'jon', -7 * DAY, 1 * DAY),
    // Compliant again before the start: not part of anything.
    spell('m15', 'lee', -9 * DAY, -1 * DAY),
  ],
  remindedNearby: ['frank'],
};

describe('campaignEffectiveness (the funnel on a fixture with a known answer)', () => {
  const e = campaignEffectiveness(fixture, new Date(S + 40 * DAY));

  it('sent → checked → compliant within 1, 3 and 7 days', () => {
    expect(e.sent).toBe(4);
    expect(e.checked).toBe(3);
    expect(e.reminded).toEqual({
      people: 4,
      within: { 1: 2, 3: 2, 7: 3 },
      compliant: 3,
      // 12 h, 1 day, 5 days
      medianMs: 1 * DAY,
    });
  });

  it('the baseline: people not reminded, counted from the campaign start', () => {
    expect(e.baseline).toEqual({
      people: 4, // erin, gina, hank, kim
      within: { 1: 0, 3: 1, 7: 2 },
      compliant: 3,
      // 2, 4 and 10 days
      medianMs: 4 * DAY,
    });
  });

  it('per person: reminder, first Check again and when they became compliant', () => {
    expect(e.people.get('bob')).toEqual({
      remindedAt: at(1 * HOUR),
      checkedAt: at(3 * HOUR),
      compliantAt: at(1 * HOUR + 5 * DAY),
    });
    expect(e.people.get('carol')).toEqual({ remindedAt: at(2 * HOUR), checkedAt: null, compliantAt: null });
    expect(e.people.has('erin')).toBe(false);
    expect(e.provisional).toBe(false);
  });

  it('is provisional while the 7-day window of the last reminder is open', () => {
    const early = campaignEffectiveness(fixture, new Date(S + 3 * DAY));
    expect(early.provisional).toBe(true);
    // The figures are what the history says, whatever the clock.
    expect(early.reminded.within[7]).toBe(3);
  });

  it('a person whose Macs all left the fleet did not become compliant; compliance after 30 days is not counted', () => {
    const r = campaignEffectiveness(
      {
        startedAt: at(0),
        recipients: [sent('p', 0, ['a']), sent('q', 0, ['b']), sent('r', 0, ['c'])],
        spells: [
          spell('a', 'p', -DAY, DAY, 'gone'),
          spell('b', 'q', -DAY, 31 * DAY),
          // No history at all for c: unknown, not compliant.
        ],
        remindedNearby: [],
      },
      new Date(S + 60 * DAY),
    );
    expect(r.reminded).toEqual({ people: 3, within: { 1: 0, 3: 0, 7: 0 }, compliant: 0, medianMs: null });
    expect(r.baseline.people).toBe(0);
  });

  it('an even count takes the mean of the middle two', () => {
    const r = campaignEffectiveness(
      {
        startedAt: at(0),
        recipients: [sent('p', 0, ['a']), sent('q', 0, ['b'])],
        spells: [spell('a', 'p', -DAY, 1 * DAY), spell('b', 'q', -DAY, 2 * DAY)],
        remindedNearby: [],
      },
      new Date(S + 60 * DAY),
    );
    expect(r.reminded.medianMs).toBe(1.5 * DAY);
  });

  it('an old campaign has no figures once its history may have been pruned', () => {
    expect(historyExpired(at(0), new Date(S + 100 * DAY))).toBe(false);
    expect(historyExpired(at(0), new Date(S + 151 * DAY))).toBe(true);
  });
});
