import { campaignProgressModel } from '../../src/cards/campaignCardModels';
import { campaignResendConfirmModel } from '../../src/cards/campaignResendConfirmModel';
import { renderCard } from '../../src/cards/renderCard';
import type { Campaign, CampaignCounts } from '../../src/compliance/campaignTypes';
import { cardText } from '../helpers/botHarness';
import { checkCard } from '../helpers/validateCard';

const campaign: Campaign = {
  id: 'c-1a2b3c4d',
  createdAt: '2026-12-01T09:00:00.000Z',
  createdBy: { teamsUserId: '29:admin', aadObjectId: null, name: 'Admin' },
  audience: 'all',
  groupName: null,
  deadline: null,
  state: 'done',
  scheduleId: null,
  progressCard: null,
  updatedAt: '2026-12-01T09:30:00.000Z',
  finishedAt: '2026-12-01T09:30:00.000Z',
};
const counts = (over: Partial<CampaignCounts> = {}): CampaignCounts => ({
  total: 10,
  pending: 0,
  inFlight: 0,
  sent: 7,
  inDoubt: 3,
  inDoubtReasons: { gateway_error: 2, crashed_mid_send: 1 },
  inDoubtResendable: 3,
  failed: {},
  skipped: {},
  ...over,
});
const now = new Date('2026-12-01T10:00:00.000Z');
const person = (name: string | null, reason = 'gateway_error') => ({
  reason,
  recipient: { recipientId: `id-${name}`, name, upn: name ? `${name}@example.com` : null, macs: [] },
});

describe('in-doubt reminders on the progress card', () => {
  it('lists them by reason, says they are not resent by themselves, and offers Resend to in doubt', () => {
    const model = campaignProgressModel(campaign, counts(), { now, exportUrl: '' });
    expect(model.style).toBe('warning');
    expect(model.inDoubt).toEqual([
      { title: 'Teams’ gateway answered 502/504 after the send', value: '2' },
      { title: 'The bot stopped during the send', value: '1' },
    ]);
    expect(model.notice).toContain('may or may not have arrived');
    expect(model.notice).toContain('**Resend to in doubt**');
    expect(model.canResendInDoubt).toBe(true);
    const card = renderCard('campaignProgress', model);
    expect(cardText(card)).toContain('In doubt');
    expect(checkCard(card).problems).toEqual([]);
  });

  it('no button once every one was resent, nor for a cancelled campaign', () => {
    const resent = campaignProgressModel(campaign, counts({ inDoubtResendable: 0 }), { now, exportUrl: '' });
    expect([resent.canResendInDoubt, resent.notice.includes('Resend')]).toEqual([false, false]);
    const cancelled = campaignProgressModel({ ...campaign, state: 'cancelled' }, counts(), {
      now,
      exportUrl: '',
    });
    expect(cancelled.canResendInDoubt).toBe(false);
    expect(JSON.stringify(renderCard('campaignProgress', resent))).not.toContain('campaign.resendInDoubt');
  });
});

describe('the confirm step of Resend to in doubt', () => {
  it('says these people may already have it and will get it again; the button carries the instant shown', () => {
    const rows = [person('Adele'), person('Lee_Gu', 'connection_lost'), person(null)];
    const model = campaignResendConfirmModel('c-1a2b3c4d', rows, now);
    expect(model).toMatchObject({
      title: 'Resend to 3 in doubt?',
      warning: 'These 3 people may already have the reminder; they will get it again.',
      canConfirm: true,
      confirmTitle: 'Resend to 3 people',
      asOf: now.toISOString(),
    });
    expect(model.facts).toEqual([
      { title: 'Teams’ gateway answered 502/504 after the send', value: '2' },
      { title: 'The connection dropped after the send', value: '1' },
    ]);
    expect(model.sample).toBe('Adele, Lee\\_Gu, id-null');
    const card = renderCard('campaignResendConfirm', model);
    expect(checkCard(card).problems).toEqual([]);
    const confirm = (card.actions as { verb?: string; data?: unknown }[]).find(
      (a) => a.verb === 'campaign.resendInDoubt.confirm',
    );
    expect(confirm?.data).toEqual({ campaignId: 'c-1a2b3c4d', asOf: now.toISOString() });
  });

  it('one person, a long list, and nothing left', () => {
    expect(campaignResendConfirmModel('c-1', [person('Adele')], now)).toMatchObject({
      warning: 'This person may already have the reminder; they will get it again.',
      confirmTitle: 'Resend to 1 person',
    });
    const many = Array.from({ length: 12 }, (_, i) => person(`P${i}`));
    expect(campaignResendConfirmModel('c-1', many, now).sample).toMatch(/P9 and 2 more$/);
    const none = campaignResendConfirmModel('c-1', [], now);
    expect([none.title, none.canConfirm]).toEqual(['Nothing in doubt to resend', false]);
    expect(JSON.stringify(renderCard('campaignResendConfirm', none))).not.toContain('.confirm');
  });
});
