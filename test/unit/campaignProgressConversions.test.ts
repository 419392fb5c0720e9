import { campaignProgressModel } from '../../src/cards/campaignCardModels';
import { renderCard } from '../../src/cards/renderCard';
import type { Campaign, CampaignCounts } from '../../src/compliance/campaignTypes';
import { cardText } from '../helpers/botHarness';
import { checkCard } from '../helpers/validateCard';

const campaign: Campaign = {
  id: 'c-1a2b3c4d',
  createdAt: '2026-12-01T09:00:00.000Z',
  createdBy: { teamsUserId: '29:admin', aadObjectId: null, name: 'Admin' },
  audience: 'non-compliant',
  groupName: null,
  deadline: null,
  state: 'done',
  scheduleId: null,
  progressCard: null,
  updatedAt: '2026-12-01T09:30:00.000Z',
  finishedAt: '2026-12-01T09:30:00.000Z',
};
const counts: CampaignCounts = {
  total: 40,
  pending: 0,
  inFlight: 0,
  sent: 40,
  inDoubt: 0,
  inDoubtReasons: {},
  inDoubtResendable: 0,
  failed: {},
  skipped: {},
};
const now = new Date('2026-12-03T09:00:00.000Z');

describe('campaign progress card: Macs that became compliant after the reminder', () => {
  it('shows the count when there is one', () => {
    const card = renderCard(
      'campaignProgress',
      campaignProgressModel(campaign, counts, { now, exportUrl: '', becameCompliant: 12 }),
    );
    expect(cardText(card)).toMatch(/Became compliant\n12 Mac\(s\) since the reminder/);
    expect(checkCard(card).problems).toEqual([]);
  });

  it('says nothing when none did (or nothing is known)', () => {
    for (const becameCompliant of [0, undefined]) {
      const card = renderCard(
        'campaignProgress',
        campaignProgressModel(campaign, counts, { now, exportUrl: '', becameCompliant }),
      );
      expect(cardText(card)).not.toMatch(/Became compliant/);
    }
  });
});
