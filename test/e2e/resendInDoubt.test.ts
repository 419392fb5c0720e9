import { ADMIN, END_USER, cardActionActivity } from '../helpers/activities';
import {
  adminInChannel,
  cardOf,
  cardText,
  startBot,
  waitUntil,
  type BotHarness,
} from '../helpers/botHarness';
import { checkCard } from '../helpers/validateCard';

type Card = Record<string, unknown>;
const executes = (card: unknown) =>
  (
    (card as { actions?: { type: string; verb?: string; title: string; data?: Card }[] })?.actions ?? []
  ).filter((a) => a.type === 'Action.Execute');

/**
 * Issue 21 through /api/messages: a campaign meets the Bot Connector's "delivered, then 502"
 * fault on every second reminder; those people are in doubt (reminded once, never twice by
 * the bot on its own); **Resend to in doubt** is an admin's explicit choice behind a confirm
 * step, refused to others, and a double press sends each of them exactly one more reminder.
 */
describe('Resend to in doubt (demo tenant, Bot Connector simulator)', () => {
  let bot: BotHarness;
  const { say } = adminInChannel(() => bot);

  beforeAll(async () => {
    bot = await startBot({ BROADCAST_MAX_PER_SECOND: '200', PROGRESS_UPDATE_SECONDS: '1' }, { size: 80 });
  });
  afterAll(() => bot.close());

  async function press(verb: string, data: Card, from = ADMIN): Promise<unknown> {
    const res = await bot.post(
      cardActionActivity(verb, data, { from, serviceUrl: bot.connector.serviceUrl }),
    );
    expect(res.status).toBe(200);
    const body = res.body as { statusCode: number; value: unknown };
    if (body.value && typeof body.value === 'object') expect(checkCard(body.value).problems).toEqual([]);
    return body.value;
  }

  /** New reminder activities each 1:1 received (the stand-in's record). */
  const reminders = () => {
    const byChat = new Map<string, number>();
    for (const c of bot.connector.calls) {
      if (c.method !== 'POST' || !c.assignedId || c.activityId || !c.chat) continue;
      if (!cardText(cardOf(c.body ?? undefined)).includes('status.check')) continue;
      byChat.set(c.chat, (byChat.get(c.chat) ?? 0) + 1);
    }
    return byChat;
  };

  it('in doubt after "delivered, then 502"; non-admins refused; confirm step; a double press resends once', async () => {
    const preview = await say('remind preview audience all');
    const send = executes(preview).find((a) => a.verb === 'campaign.send')!;
    // Only the reminders meet the fault: the bot's replies and card updates are not new sends now.
    bot.connector.fault({
      operation: 'send',
      status: 502,
      code: 'BadGateway',
      afterDelivery: true,
      every: 2,
    });
    const progress = await press('campaign.send', send.data!);
    const id = /c-[0-9a-f]{8}/.exec(cardText(progress))![0];
    const store = bot.app.store;
    await waitUntil(async () => (await store.getCampaign(id))?.state === 'done', 30_000);
    bot.connector.clearFaults();

    const counts = await store.campaignCounts(id);
    expect(counts.inDoubt).toBeGreaterThan(0);
    expect(counts.inDoubtReasons).toEqual({ gateway_error: counts.inDoubt });
    expect(counts.inDoubtResendable).toBe(counts.inDoubt);
    const rows = await store.listOutbox(id, { limit: 1000 });
    const doubtful = rows.filter((r) => r.state === 'in_doubt');
    const chatOf = (recipientId: string) => bot.connector.conversationFor(recipientId);
    // Zero duplicates: everyone sent or in doubt was reached exactly once.
    const before = reminders();
    expect([...before.values()].every((n) => n === 1)).toBe(true);
    for (const r of rows.filter((x) => x.state === 'sent' || x.state === 'in_doubt'))
      expect(before.get(chatOf(r.recipientId))).toBe(1);

    // The progress card says so, with the reason and the button.
    const card = await press('campaign.refresh', { campaignId: id });
    expect(cardText(card)).toContain('Teams’ gateway answered 502/504 after the send');
    // Beside the in-doubt list (Teams shows at most five card actions at the bottom).
    expect(JSON.stringify(card)).toContain('"verb":"campaign.resendInDoubt"');

    // An end user pressing a forwarded card's buttons: refused, nothing changes.
    expect(await press('campaign.resendInDoubt', { campaignId: id }, END_USER)).toBe(
      'Only IT admins can use this button.',
    );
    const asOf = new Date().toISOString();
    expect(await press('campaign.resendInDoubt.confirm', { campaignId: id, asOf }, END_USER)).toBe(
      'Only IT admins can use this button.',
    );
    expect((await store.campaignCounts(id)).inDoubt).toBe(doubtful.length);

    // The confirm step: who, and that they may already have it.
    const confirm = await press('campaign.resendInDoubt', { campaignId: id });
    const people = doubtful.length;
    expect(cardText(confirm)).toContain(
      `${people === 1 ? 'This person' : `These ${people} people`} may already have the reminder; they will get it again.`,
    );
    const go = executes(confirm).find((a) => a.verb === 'campaign.resendInDoubt.confirm')!;
    expect(go.title).toBe(`Resend to ${people} ${people === 1 ? 'person' : 'people'}`);
    expect(reminders()).toEqual(before); // nothing sent on the confirm step

    // Pressed twice at once: one resend.
    const [a, b] = await Promise.all([
      press('campaign.resendInDoubt.confirm', go.data!),
      press('campaign.resendInDoubt.confirm', go.data!),
    ]);
    expect(cardText(a)).toContain(id);
    expect(cardText(b)).toContain(id);
    await waitUntil(async () => (await store.getCampaign(id))?.state === 'done', 30_000);

    const after = reminders();
    for (const r of doubtful) expect(after.get(chatOf(r.recipientId))).toBe(2);
    for (const [chat, n] of after)
      if (!doubtful.some((r) => chatOf(r.recipientId) === chat)) expect(n).toBe(1);
    const resent = (await store.listOutbox(id, { limit: 1000 })).filter((r) => r.resentAt !== null);
    expect(resent.map((r) => r.recipientId).sort()).toEqual(doubtful.map((r) => r.recipientId).sort());
    expect(resent.every((r) => r.state === 'sent')).toBe(true);

    // Audited: the resend once with its rows, the second press as nothing to resend.
    const audit = (await store.listAudit({ limit: 50 })).filter(
      (e) => e.action === 'campaign.resend-in-doubt',
    );
    expect(audit.map((e) => [e.outcome, e.details.rows]).sort()).toEqual([
      ['nothing to resend', 0],
      ['requeued', people],
    ]);
    const refused = (await store.listAudit({ limit: 50 })).filter(
      (e) => e.outcome === 'refused' && e.actor.aadObjectId === END_USER.aadObjectId,
    );
    expect(refused.map((e) => e.action).sort()).toEqual([
      'campaign.resendInDoubt',
      'campaign.resendInDoubt.confirm',
    ]);

    // Nothing is left to resend: the button is gone, and its confirm step says so.
    const last = await press('campaign.refresh', { campaignId: id });
    expect(JSON.stringify(last)).not.toContain('"verb":"campaign.resendInDoubt"');
    expect(cardText(await press('campaign.resendInDoubt', { campaignId: id }))).toContain(
      'Nothing in doubt to resend',
    );
  }, 90_000);
});
