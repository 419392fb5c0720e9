import { DEMO_PEOPLE } from '../../demo/demoIdentities';
import { entraDeviceLink, jamfComputerLink } from '../../src/cards/deviceCardModel';
import { ADMIN, END_USER, cardActionActivity, invokeActivity, messageActivity } from '../helpers/activities';
import { cardActions, cardOf, cardText, startBot, type BotHarness } from '../helpers/botHarness';
import { checkCard } from '../helpers/validateCard';
import { rateLimitCard } from '../../src/teams/pipeline/rateLimit';

type Card = Record<string, unknown>;
interface Attachment {
  contentType: string;
  content: Card;
  preview: { contentType: string; content: { title: string; subtitle: string; text: string; tap: unknown } };
}
interface ExtensionResult {
  type: 'result' | 'message';
  attachmentLayout?: string;
  attachments?: Attachment[];
  text?: string;
}

const ISAIAH = DEMO_PEOPLE.find((p) => p.macs.some((m) => m.state === 'not_compliant'))!;
const ISAIAH_MAC = ISAIAH.macs[0]!;
/** Not registered: its full card offers a fix. */
const MEGAN_MAC = DEMO_PEOPLE.find((p) => p.macs.some((m) => m.state === 'not_registered'))!.macs[0]!;

/** Every Action.Execute of a card (a button, not its refresh), with its verb and title. */
const executes = (card: unknown): Array<{ verb: string; title: string }> =>
  cardActions(card)
    .filter((a) => a.type === 'Action.Execute')
    .map((a) => ({ verb: String(a.verb), title: String(a.title) }));

describe('the compose box and shared device cards, through /api/messages', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(() => bot.connector.reset());

  const opts = (from = ADMIN, scope: 'personal' | 'channel' = 'channel') => ({
    from,
    scope,
    serviceUrl: bot.connector.serviceUrl,
  });

  async function invoke(name: string, value: unknown, from = ADMIN): Promise<ExtensionResult> {
    const res = await bot.post(invokeActivity(name, value, opts(from)));
    expect(res.status).toBe(200);
    const body = res.body as { composeExtension: ExtensionResult };
    expect(Object.keys(body)).toEqual(['composeExtension']);
    for (const a of body.composeExtension.attachments ?? []) {
      expect(a.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(checkCard(a.content).problems).toEqual([]);
      expect(a.preview.contentType).toBe('application/vnd.microsoft.card.thumbnail');
    }
    return body.composeExtension;
  }

  const search = (text: string, from = ADMIN) =>
    invoke(
      'composeExtension/query',
      {
        commandId: 'findMac',
        parameters: [{ name: 'query', value: text }],
        queryOptions: { skip: 0, count: 25 },
      },
      from,
    );

  const computerIdOf = (serial: string) =>
    bot.demo.fleet.jamf.computers.find((c) => c.hardware.serialNumber === serial)!.id;

  /** The shared card as inserted: read-only, with a refresh for the admins. */
  function expectSharedReadOnly(card: Card, computerId: string): void {
    expect(executes(card)).toEqual([]);
    const refresh = card.refresh as {
      action: { verb: string; data: Record<string, unknown> };
      userIds: string[];
    };
    expect(refresh.action).toMatchObject({ verb: 'device.view', data: { computerId } });
    // Teams user MRIs, as Universal Actions' `userIds` take them.
    expect(refresh.userIds).toEqual(
      DEMO_PEOPLE.filter((p) => p.admin).map((p) => `8:orgid:${p.aadObjectId.toLowerCase()}`),
    );
    expect(refresh.userIds).not.toContain(`8:orgid:${END_USER.aadObjectId.toLowerCase()}`);
  }

  it('query: a serial finds the Mac, with a thumbnail preview and its shared device card', async () => {
    const result = await search(ISAIAH_MAC.serial);
    expect(result).toMatchObject({ type: 'result', attachmentLayout: 'list' });
    expect(result.attachments).toHaveLength(1);
    const [hit] = result.attachments!;
    const computerId = computerIdOf(ISAIAH_MAC.serial);
    expect(hit!.preview.content).toMatchObject({
      title: ISAIAH_MAC.name,
      subtitle: `Not compliant · ${ISAIAH_MAC.serial}`,
      tap: { type: 'invoke', value: { computerId } },
    });
    expect(cardText(hit!.content)).toContain(ISAIAH_MAC.name);
    expect(cardText(hit!.content)).toContain('Not compliant');
    expectSharedReadOnly(hit!.content, computerId);
  });

  it('query: an e-mail finds every Mac of that user; nothing found is a one-line message', async () => {
    const patti = DEMO_PEOPLE.find((p) => p.macs.length > 1)!;
    const result = await search(patti.upn);
    expect(result.attachments!.map((a) => a.preview.content.title).sort()).toEqual(
      patti.macs.map((m) => m.name).sort(),
    );
    expect(await search('NOSUCHSERIAL99')).toEqual({
      type: 'message',
      text: 'No Mac matches “NOSUCHSERIAL99”.',
    });
    // Teams sends a query at each pause in typing: one character is not searched yet.
    for (const text of ['  ', 'C'])
      expect(await search(text)).toEqual({
        type: 'message',
        text: 'Type at least two characters of a serial number, computer name or e-mail address.',
      });
  });

  it('selectItem: the picked Mac, read again, as its shared device card', async () => {
    const computerId = computerIdOf(ISAIAH_MAC.serial);
    const result = await invoke('composeExtension/selectItem', { computerId });
    expect(result.type).toBe('result');
    expect(result.attachments).toHaveLength(1);
    expect(result.attachments![0]!.preview.content.title).toBe(ISAIAH_MAC.name);
    expectSharedReadOnly(result.attachments![0]!.content, computerId);
    expect(await invoke('composeExtension/selectItem', { computerId: 'x' })).toMatchObject({
      type: 'message',
    });
  });

  it('is for admins only: an end user gets a message, and no Mac', async () => {
    expect(await search(ISAIAH_MAC.serial, END_USER)).toEqual({
      type: 'message',
      text: 'Only IT admins can look up Macs here.',
    });
    const computerId = computerIdOf(ISAIAH_MAC.serial);
    expect(await invoke('composeExtension/selectItem', { computerId }, END_USER)).toMatchObject({
      type: 'message',
    });
  });

  it('queryLink: a Jamf Pro computer link and an Entra device link unfurl; other links do not', async () => {
    const computerId = computerIdOf(ISAIAH_MAC.serial);
    const jamfLink = jamfComputerLink(bot.config.jamf.baseUrl, computerId);
    const jamf = await invoke('composeExtension/queryLink', { url: jamfLink });
    expect(jamf.attachments).toHaveLength(1);
    expect(jamf.attachments![0]!.preview.content.title).toBe(ISAIAH_MAC.name);
    expectSharedReadOnly(jamf.attachments![0]!.content, computerId);

    const device = bot.demo.fleet.graph.devices.find((d) => d.displayName === ISAIAH_MAC.name)!;
    const entra = await invoke('composeExtension/queryLink', {
      url: entraDeviceLink(device.id, device.deviceId),
    });
    expect(entra.attachments).toHaveLength(1);
    expect(cardText(entra.attachments![0]!.content)).toContain(ISAIAH_MAC.serial);

    const empty = { type: 'result', attachmentLayout: 'list', attachments: [] };
    const foreign = new URL(jamfLink);
    foreign.host = 'jamf.attacker.example';
    for (const url of [
      foreign.toString(),
      `${bot.config.jamf.baseUrl}/computers.html?id=abc`,
      `${bot.config.jamf.baseUrl}/mobileDevices.html?id=${computerId}`,
      'https://entra.microsoft.com/#view/Microsoft_AAD_IAM/UsersManagementMenuBlade',
      'not a url',
    ]) {
      expect(await invoke('composeExtension/queryLink', { url })).toEqual(empty);
    }
    // An end user's paste does not unfurl (no error either).
    expect(await invoke('composeExtension/queryLink', { url: jamfLink }, END_USER)).toEqual(empty);
  });

  it('a device card in a channel is read-only; the refresh gives an admin the full card, anyone else the read-only one', async () => {
    const before = bot.connector.sent().length;
    await bot.post(messageActivity(`check device ${MEGAN_MAC.serial}`, opts()));
    const posted = cardOf((await bot.connector.waitForSent(before + 1))[before])!;
    const computerId = computerIdOf(MEGAN_MAC.serial);
    expectSharedReadOnly(posted, computerId);
    const { data } = (posted.refresh as { action: { data: Record<string, unknown> } }).action;

    const view = async (from: typeof ADMIN, payload = data) => {
      const res = await bot.post(cardActionActivity('device.view', payload, opts(from)));
      expect(res.status).toBe(200);
      return res.body as { statusCode: number; type: string; value: unknown };
    };
    const admin = await view(ADMIN);
    expect(admin.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(checkCard(admin.value).problems).toEqual([]);
    expect(executes(admin.value).map((a) => a.verb)).toEqual(
      expect.arrayContaining(['device.fix', 'device.refresh', 'device.remind']),
    );
    expect((admin.value as Card).refresh).toEqual(posted.refresh); // still a card that fits who is looking

    const user = await view(END_USER);
    expect(user.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(checkCard(user.value).problems).toEqual([]);
    expect(executes(user.value)).toEqual([]);
    expect(cardText(user.value)).toContain('Not registered');

    // A crafted refresh for another Mac (no signature of the bot's) shows a non-admin nothing.
    const forged = { computerId: computerIdOf('C02DEMO0001'), signature: 'forged' };
    const other = await view(END_USER, forged);
    expect(other.value).toBe('Only IT admins can refresh this card.');
    // Sent by Teams unasked (an automatic refresh): no error message either, and still no facts.
    const res = await bot.post(automaticView(forged, END_USER));
    const unasked = res.body as { type: string; value: Card };
    expect(unasked.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(checkCard(unasked.value).problems).toEqual([]);
    expect(cardText(unasked.value)).toContain('can no longer be updated');
    expect(cardText(unasked.value)).not.toContain('C02DEMO0001');
  });

  /** A card's refresh as Teams sends it when someone opens the card (`trigger: automatic`). */
  function automaticView(data: Record<string, unknown>, from: typeof ADMIN, conversationId?: string) {
    const a = cardActionActivity('device.view', data, opts(from, conversationId ? 'personal' : 'channel'));
    return {
      ...a,
      value: { ...a.value, trigger: 'automatic' },
      ...(conversationId ? { conversation: { ...a.conversation, id: conversationId } } : {}),
    };
  }

  it("a card's refresh or a compose-box search from a chat the bot is not in leaves the user's 1:1 chat with the bot as it was", async () => {
    for (const person of [ADMIN, END_USER]) {
      const res = await bot.post(messageActivity('help', opts(person, 'personal')));
      expect(res.status).toBe(200);
    }
    const before = {
      admin: await bot.app.store.findPersonalConversation(ADMIN.aadObjectId),
      user: await bot.app.store.findPersonalConversation(END_USER.aadObjectId),
    };
    expect(before.user?.conversationId).toBe(`a:${END_USER.teamsId}-personal`);

    // A 1:1 chat between the two people, where the card was inserted from the compose box.
    const theirChat = `a:${ADMIN.teamsId}-with-${END_USER.teamsId}`;
    const [hit] = (await search(ISAIAH_MAC.serial)).attachments!;
    const { data } = (hit!.content.refresh as { action: { data: Record<string, unknown> } }).action;
    for (const from of [END_USER, ADMIN]) {
      const res = await bot.post(automaticView(data, from, theirChat));
      expect(res.status).toBe(200);
    }
    const query = invokeActivity(
      'composeExtension/query',
      { commandId: 'findMac', parameters: [{ name: 'query', value: ISAIAH_MAC.serial }] },
      opts(ADMIN, 'personal'),
    );
    const res = await bot.post({ ...query, conversation: { ...query.conversation, id: theirChat } });
    expect(res.status).toBe(200);

    expect(await bot.app.store.findPersonalConversation(ADMIN.aadObjectId)).toEqual(before.admin);
    expect(await bot.app.store.findPersonalConversation(END_USER.aadObjectId)).toEqual(before.user);
  });

  it('answers a foreign tenant with 403, and invokes without a value with a message, not an error', async () => {
    const foreign = invokeActivity(
      'composeExtension/query',
      { commandId: 'findMac', parameters: [{ name: 'query', value: ISAIAH_MAC.serial }] },
      { ...opts(ADMIN), tenantId: '99999999-8888-4777-8666-555555555555' },
    );
    const refused = await bot.post(foreign);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toContain(ISAIAH_MAC.name);

    expect(await invoke('composeExtension/query', undefined)).toEqual({
      type: 'message',
      text: 'I do not know that search.',
    });
    expect(await invoke('composeExtension/selectItem', undefined)).toEqual({
      type: 'message',
      text: 'That result no longer names a Mac. Search again.',
    });
    expect(await invoke('composeExtension/queryLink', undefined)).toEqual({
      type: 'result',
      attachmentLayout: 'list',
      attachments: [],
    });
  });

  it('a device card in a 1:1 chat stays the full card, without a refresh', async () => {
    const before = bot.connector.sent().length;
    await bot.post(messageActivity(`check device ${ISAIAH_MAC.serial}`, opts(ADMIN, 'personal')));
    const card = cardOf((await bot.connector.waitForSent(before + 1))[before])!;
    expect(card.refresh).toBeUndefined();
    expect(executes(card).map((a) => a.verb)).toContain('device.refresh');
  });
});

describe("Teams' automatic card refreshes, with a one-command budget", () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot({ RATE_LIMIT_COMMANDS: '1' });
  });
  afterAll(async () => {
    await bot.close();
  });

  it("do not use up the viewer's command budget", async () => {
    const channel = (from: typeof ADMIN) => ({
      from,
      scope: 'channel' as const,
      serviceUrl: bot.connector.serviceUrl,
    });
    await bot.post(messageActivity(`check device ${ISAIAH_MAC.serial}`, channel(ADMIN)));
    const posted = cardOf((await bot.connector.waitForSent(1))[0])!;
    const { data } = (posted.refresh as { action: { data: Record<string, unknown> } }).action;
    const view = async (trigger: 'automatic' | 'manual') => {
      const a = cardActionActivity('device.view', data, channel(END_USER));
      const res = await bot.post({ ...a, value: { ...a.value, trigger } });
      return res.body as { type: string; value: unknown };
    };
    // Opening a busy channel refreshes every card in view: more than a minute's commands.
    for (let i = 0; i < 5; i++)
      expect((await view('automatic')).type).toBe('application/vnd.microsoft.card.adaptive');
    // The end user's one command of the minute is still there for a press, and then used up.
    expect((await view('manual')).type).toBe('application/vnd.microsoft.card.adaptive');
    const refused = await view('manual');
    expect(cardText(refused.value)).toContain(cardText(rateLimitCard(1)).split('\n')[0]);
    expect(cardText(refused.value)).not.toContain(ISAIAH_MAC.name);
  });
});
