import type { RemindOneOutcome } from '../../src/broadcasts/broadcastService';
import { sendFixReminder } from '../../src/broadcasts/sendFixReminder';

const recipient = {
  recipientId: 'u1',
  name: 'Megan Bowen',
  upn: 'megan@example.com',
  macs: [{ computerId: '2', name: 'Megan’s MacBook Air', serialNumber: 'C02', verdict: 'not_registered' }],
};
const actor = { teamsUserId: '29:admin', aadObjectId: null, name: 'Admin' };
const send = (outcome: RemindOneOutcome) =>
  sendFixReminder({ remindOneAndWait: async () => outcome })(recipient, actor);

describe('sendFixReminder', () => {
  it('in doubt: done as far as anyone can tell, not sent again, and says where to resend it', async () => {
    expect(await send({ campaignId: 'c-1', state: 'in_doubt', reason: 'gateway_error' })).toEqual({
      outcome: 'done',
      message:
        'The fix to Megan Bowen may or may not have arrived (Teams’ gateway answered 502/504 after the send), so it is not sent again: **campaign c-1** can resend it.',
    });
  });

  it('failed and skipped say why; sent and queued are done', async () => {
    expect(await send({ campaignId: 'c-1', state: 'failed', reason: 'blocked' })).toMatchObject({
      outcome: 'failed',
      message: 'Megan Bowen was not sent the fix: user blocked the bot.',
    });
    expect((await send({ campaignId: 'c-1', state: 'sent' })).outcome).toBe('done');
    expect((await send({ campaignId: 'c-1', state: 'queued' })).outcome).toBe('done');
  });
});
