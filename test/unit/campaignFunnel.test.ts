import { campaignCsv } from '../../src/broadcasts/campaignCsv';
import { campaignListModel, campaignProgressModel } from '../../src/cards/campaignCardModels';
import { renderCard } from '../../src/cards/renderCard';
import { campaignEffectiveness } from '../../src/compliance/campaignEffectiveness';
import type { Campaign, CampaignCounts, OutboxRow } from '../../src/compliance/campaignTypes';
import { cardText } from '../helpers/botHarness';
import { checkCard } from '../helpers/validateCard';

const DAY = 86_400_000;
const START = '2026-11-02T09:00:00.000Z';
const at = (days: number) => new Date(Date.parse(START) + days * DAY).toISOString();

const campaign: Campaign = {
  id: 'c-1a2b3c4d',
  createdAt: START,
  createdBy: { teamsUserId: '29:admin', aadObjectId: null, name: 'Admin' },
  audience: 'non-compliant',
  groupName: null,
  deadline: null,
  state: 'done',
  scheduleId: null,
  progressCard: null,
  updatedAt: START,
  finishedAt: START,
};
const counts: CampaignCounts = {
  total: 3,
  pending: 0,
  inFlight: 0,
  sent: 2,
  inDoubt: 0,
  inDoubtReasons: {},
  inDoubtResendable: 0,
  failed: { blocked: 1 },
  skipped: {},
};

/** Ann: compliant 2 days after her reminder, pressed Check again; Bo: not yet; Cy: not reached (baseline, 4 days). */
const effectiveness = campaignEffectiveness(
  {
    startedAt: START,
    recipients: [
      { recipientId: 'ann', state: 'sent', remindedAt: at(0), macIds: ['1'], checkedAt: at(0.5) },
      { recipientId: 'bo', state: 'sent', remindedAt: at(0), macIds: ['2'], checkedAt: null },
      { recipientId: 'cy', state: 'failed', remindedAt: null, macIds: ['3'], checkedAt: null },
    ],
    spells: [
      { jamfId: '1', userId: 'ann', since: at(-3), until: at(2), ended: 'compliant' },
      { jamfId: '2', userId: 'bo', since: at(-3), until: null, ended: null },
      { jamfId: '3', userId: 'cy', since: at(-3), until: at(4), ended: 'compliant' },
    ],
    remindedNearby: [],
  },
  new Date(at(30)),
);

describe('the funnel on the campaign cards and in the CSV', () => {
  it('the progress card shows sent → checked → compliant and the baseline, and validates', () => {
    const card = renderCard(
      'campaignProgress',
      campaignProgressModel(campaign, counts, {
        now: new Date(at(30)),
        exportUrl: '',
        becameCompliant: 1,
        effectiveness,
      }),
    );
    const text = cardText(card);
    expect(text).toContain('Effectiveness');
    const funnel = JSON.stringify(card)
      .match(/"text":"([^"]*)"/g)!
      .map((t) => t.slice(8, -1));
    const steps = funnel.slice(funnel.indexOf('Effectiveness') + 1, funnel.indexOf('Effectiveness') + 7);
    expect(steps).toEqual([
      '2',
      'Sent',
      '1 (50%)',
      'Pressed Check again',
      '1 (50%)',
      'Compliant within 7 days',
    ]);
    expect(text).toMatch(/Compliant within 1 \/ 3 \/ 7 days\n0 \/ 1 \/ 1 of 2 \(50% in 7 days\)/);
    expect(text).toMatch(/Median time to compliance\n2 days/);
    expect(text).toMatch(/Not reminded \(baseline\)\n0 \/ 0 \/ 1 of 1 \(100% in 7 days\) · median 4 days/);
    // The funnel replaces the thank-you count.
    expect(text).not.toMatch(/Became compliant/);
    expect(checkCard(card).problems).toEqual([]);
  });

  it('no funnel before anything was sent', () => {
    const none = campaignEffectiveness(
      { startedAt: START, recipients: [], spells: [], remindedNearby: [] },
      new Date(at(1)),
    );
    const card = renderCard(
      'campaignProgress',
      campaignProgressModel(campaign, counts, { now: new Date(at(1)), exportUrl: '', effectiveness: none }),
    );
    expect(cardText(card)).not.toContain('Effectiveness');
    expect(checkCard(card).problems).toEqual([]);
  });

  it('`campaigns` shows one figure per campaign', () => {
    const card = renderCard(
      'campaignList',
      campaignListModel(
        [
          { campaign, counts, effectiveness },
          { campaign: { ...campaign, id: 'c-00000000' }, counts },
        ],
        [],
        new Date(at(30)),
      ),
    );
    const text = cardText(card);
    expect(text).toContain('1 of 2 compliant in 7 days (50%; not reminded 100%)');
    expect(text.match(/compliant in 7 days/g)).toHaveLength(1);
    expect(checkCard(card).problems).toEqual([]);
  });

  it('the CSV has Check again, compliant at and days to compliance per person', async () => {
    const row = (recipientId: string, state: OutboxRow['state']): OutboxRow => ({
      campaignId: campaign.id,
      recipientId,
      seq: 0,
      recipient: { recipientId, name: recipientId, upn: `${recipientId}@example.com`, macs: [] },
      state,
      reason: state === 'failed' ? 'blocked' : null,
      detail: null,
      attempts: 0,
      throttles: 0,
      notBefore: null,
      leaseOwner: null,
      leaseUntil: null,
      conversationId: null,
      activityId: null,
      resentAt: null,
      updatedAt: at(0),
    });
    const csv = await campaignCsv(
      {
        listOutbox: async (_id, o) =>
          o.afterSeq === -1 ? [row('ann', 'sent'), row('bo', 'sent'), row('cy', 'failed')] : [],
      },
      campaign.id,
      effectiveness,
    );
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe(
      'recipient_id,name,upn,macs,state,reason,detail,attempts,updated_at,checked_at,compliant_at,days_to_compliant,resent_at',
    );
    expect(lines[1]).toBe(`ann,ann,ann@example.com,,sent,,,0,${at(0)},${at(0.5)},${at(2)},2.0,`);
    expect(lines[2]).toBe(`bo,bo,bo@example.com,,sent,,,0,${at(0)},,,,`);
    expect(lines[3]).toBe(`cy,cy,cy@example.com,,failed,blocked,,0,${at(0)},,,,`);
  });
});
