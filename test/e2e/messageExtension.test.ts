import { DEMO_PEOPLE } from '../../demo/demoIdentities';
import { entraDeviceLink, jamfComputerLink } from '../../src/cards/deviceCardModel';
import { ADMIN, END_USER, cardActionActivity, invokeActivity, messageActivity } from '../helpers/activities';
import { cardActions, cardOf, cardText, startBot, type BotHarness } from '../helpers/botHarness';
import { checkCard } from '../helpers/validateCard';

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
    expect(refresh.userIds).toEqual(
      DEMO_PEOPLE.filter((p) => p.admin).map((p) => p.aadObjectId.toLowerCase()),
    );
    expect(refresh.userIds).not.toContain(END_USER.aadObjectId.toLowerCase());
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
    expect(await search('  ')).toEqual({
      type: 'message',
      text: 'Type a serial number, computer name or e-mail address.',
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
    const other = await view(END_USER, { computerId: computerIdOf('C02DEMO0001'), signature: 'forged' });
    expect(other.value).toBe('Only IT admins can refresh this card.');
  });

  it('a device card in a 1:1 chat stays the full card, without a refresh', async () => {
    const before = bot.connector.sent().length;
    await bot.post(messageActivity(`check device ${ISAIAH_MAC.serial}`, opts(ADMIN, 'personal')));
    const card = cardOf((await bot.connector.waitForSent(before + 1))[before])!;
    expect(card.refresh).toBeUndefined();
    expect(executes(card).map((a) => a.verb)).toContain('device.refresh');
  });
});
