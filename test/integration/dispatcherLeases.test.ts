import { newCampaign, recipients, startDispatcherRig, type DispatcherRig } from '../helpers/dispatcherRig';

/**
 * The dispatcher when other instances may be running (`singleInstance: false`, the PostgreSQL
 * case), on one store: it takes over only expired leases, finishes a campaign a dead instance
 * left, and renews its own leases while a send is slow.
 */
describe('dispatcher with several instances (leases)', () => {
  let rig: DispatcherRig;
  afterEach(async () => rig?.close());

  it('takes over a dead instance’s rows once their lease expires; its mid-send row is in doubt, never resent', async () => {
    rig = await startDispatcherRig({ dispatcher: { singleInstance: false, leaseMs: 300 } });
    const list = recipients(20);
    await rig.store.createCampaign(newCampaign('c1', list));
    const now = Date.now();
    const dead = await rig.store.claimOutbox({
      owner: 'dead-instance',
      now: new Date(now).toISOString(),
      // Long enough that a busy machine sends the other 15 before it expires.
      leaseUntil: new Date(now + 4_000).toISOString(),
      limit: 5,
    });
    await rig.store.markSending('c1', dead[0]!.recipientId, 'dead-instance', new Date(now).toISOString());

    // Start: the dead instance's lease has not expired, so nothing of it is taken over yet.
    expect(await rig.dispatcher.start()).toEqual({ requeued: 0, inDoubt: 0 });
    await rig.connector.waitForSent(15, 10_000);
    const held = (await rig.store.listOutbox('c1', { limit: 50 })).filter(
      (r) => r.leaseOwner === 'dead-instance',
    );
    expect(held).toHaveLength(5);

    const until = Date.now() + 20_000;
    while ((await rig.store.getCampaign('c1'))?.state !== 'done') {
      if (Date.now() > until) throw new Error(JSON.stringify(await rig.store.campaignCounts('c1')));
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(await rig.store.campaignCounts('c1')).toMatchObject({
      sent: 19,
      inDoubt: 1,
      pending: 0,
      inFlight: 0,
    });
    const delivered = rig.connector.deliveredByConversation();
    expect(delivered.get(rig.connector.conversationFor(dead[0]!.recipientId))).toBeUndefined();
    expect([...delivered.values()].every((n) => n === 1)).toBe(true);
    expect(delivered.size).toBe(19);
  });

  it('renews its own leases while a send waits on a slow service, so no other instance takes it', async () => {
    rig = await startDispatcherRig({
      sim: { latencyMs: 900 },
      dispatcher: { singleInstance: false, leaseMs: 300 },
    });
    const [one] = recipients(1);
    await rig.rememberConversation(one!.recipientId);
    await rig.store.createCampaign(newCampaign('c2', [one!]));
    await rig.dispatcher.start();
    // Well past the first lease, mid-send: another instance's recovery finds nothing expired.
    await new Promise((r) => setTimeout(r, 600));
    const [row] = await rig.store.listOutbox('c2', { limit: 1 });
    expect(row?.state).toBe('sending');
    expect(
      await rig.store.recoverOutbox({ owner: 'other', now: new Date().toISOString(), takeOverAll: false }),
    ).toEqual({ requeued: 0, inDoubt: 0 });
    await rig.drained('c2');
    expect(await rig.store.campaignCounts('c2')).toMatchObject({ sent: 1, inDoubt: 0 });
  });
});
