import {
  isReminderOf,
  newCampaign,
  recipients,
  startDispatcherRig,
  type DispatcherRig,
} from '../helpers/dispatcherRig';

/**
 * The Bot Connector fault "delivered, then 502": Teams delivered the reminder, but the answer was
 * lost (a gateway's 502). The reminder path's behaviour on it, shown as it is today: a 502 is a
 * transient failure (FACTS.md: retry 429, 412, 502, 503, 504), so the dispatcher retries with
 * backoff and the user gets the reminder TWICE. Counted in the stand-in's record, not in the
 * bot's own view, which says "sent" once. Issue 21 makes such ambiguous answers (a 502/504 or a
 * reset after the request was written) `in_doubt` instead of retried; when it does, this test's
 * expectations flip to one delivery and an in-doubt row.
 */
describe('reminder path on "delivered, then 502"', () => {
  let rig: DispatcherRig;
  afterEach(() => rig.close());

  it('today: retried after the lost answer, so the user is reminded twice (the stand-in’s record shows it)', async () => {
    rig = await startDispatcherRig();
    const [user, other] = recipients(2);
    for (const r of [user!, other!]) await rig.rememberConversation(r.recipientId);
    const conversation = rig.connector.conversationFor(user!.recipientId);
    rig.connector.fault({
      operation: 'send',
      conversationId: conversation,
      status: 502,
      afterDelivery: true,
      times: 1,
    });
    await rig.store.createCampaign(newCampaign('lost', [user!, other!]));
    await rig.dispatcher.start();
    await rig.drained('lost');

    // The bot's view: both sent, one of them after a retry.
    expect(await rig.store.campaignCounts('lost')).toMatchObject({ sent: 2, inDoubt: 0, failed: {} });
    expect(rig.dispatcher.stats.retried).toBe(1);
    // Teams' view: the first attempt was delivered (answered 502), the retry delivered it again.
    const attempts = rig.connector.calls.filter(
      (c) => c.conversationId === conversation && c.method === 'POST',
    );
    expect(attempts.map((c) => [c.status, c.assignedId !== null])).toEqual([
      [502, true],
      [201, true],
    ]);
    expect(rig.connector.deliveredByConversation().get(conversation)).toBe(2);
    expect(rig.connector.duplicates(isReminderOf('lost'))).toEqual([conversation]);
    // The other user, whose answer was not lost: once.
    expect(
      rig.connector.deliveredByConversation().get(rig.connector.conversationFor(other!.recipientId)),
    ).toBe(1);
  });
});
