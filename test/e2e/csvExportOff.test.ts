import { adminInChannel, cardText, startBot, waitUntil, type BotHarness } from '../helpers/botHarness';

/** CSV_EXPORT=false: the campaign card offers no export, and the bot serves no download (remind.test.ts has it on). */
describe('CSV_EXPORT=false', () => {
  let bot: BotHarness;
  const { say, press } = adminInChannel(() => bot);

  beforeAll(async () => {
    bot = await startBot({ CSV_EXPORT: 'false' }, { size: 40 });
  });
  afterAll(async () => {
    await bot.close();
  });

  it('shows no Export CSV button on the progress card, and /downloads/ answers 404', async () => {
    const preview = await say('remind preview audience not-registered');
    const send = (preview!.actions as { verb?: string; data?: Record<string, unknown> }[]).find(
      (a) => a.verb === 'campaign.send',
    )!;
    const progress = (await press('campaign.send', send.data!)) as Record<string, unknown> | undefined;
    expect(cardText(progress)).toMatch(/Reminder campaign c-[0-9a-f]{8}/);
    const titles = ((progress!.actions ?? []) as { title?: string }[]).map((a) => a.title);
    expect(titles).not.toContain('Export CSV');
    expect(JSON.stringify(progress)).not.toContain('/downloads/');
    const id = /c-[0-9a-f]{8}/.exec(cardText(progress))![0];
    expect((await fetch(`${bot.url}/downloads/campaigns/${id}.csv?expires=9999999999999&sig=x`)).status).toBe(
      404,
    );
    // Let the campaign finish before the bot closes.
    await waitUntil(async () => (await bot.app.store.getCampaign(id))?.state === 'done');
  }, 60_000);
});
