import { rsqlComparisons } from '../../demo/parseRsql';
import { DEMO_PEOPLE } from '../../demo/demoIdentities';
import type { DemoMacState } from '../../demo/demoIdentities';
import { ADMIN, END_USER, cardActionActivity } from '../helpers/activities';
import {
  cardOf,
  cardText,
  startBot,
  askCard,
  expectSentCardsValid,
  type BotHarness,
} from '../helpers/botHarness';
import { checkCard } from '../helpers/validateCard';

const LABEL: Record<DemoMacState, string> = {
  compliant: 'Compliant',
  not_applicable: 'Not applicable',
  not_registered: 'Not registered',
  waiting_first_report: 'Registered — waiting for first report',
  not_compliant: 'Not compliant',
  out_of_sync: 'Out of sync',
  stale: 'Stale',
};

const MACS = DEMO_PEOPLE.flatMap((p) => p.macs.map((m) => ({ ...m, person: p })));

describe('check device through /api/messages against the demo tenant', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(() => {
    bot.connector.reset();
    bot.demo.jamf.faults.clear();
    bot.demo.graph.faults.clear();
  });
  afterEach(() => {
    expectSentCardsValid(bot);
  });

  const ask = async (text: string, from = ADMIN) => cardText(await askCard(bot, text, from));

  it.each(MACS.map((m) => [m.state, m.serial, m.name] as const))(
    'diagnoses a %s Mac (serial %s) with the verdict, reasons and links',
    async (state, serial, name) => {
      const text = await ask(`check device ${serial}`);
      expect(text).toContain(LABEL[state]);
      expect(text).toContain(name);
      expect(text).toContain('Refresh');
      expect(text).toContain('Open in Jamf Pro');
      if (state !== 'compliant') expect(text).toContain('Why, and what fixes it');
      if (state === 'not_registered') expect(text).toContain('Self Service');
    },
  );

  it('finds a Mac by its computer name, and by its Entra device id', async () => {
    const mac = MACS.find((m) => m.state === 'compliant')!;
    expect(await ask(`check device ${mac.name}`)).toContain('Compliant: Jamf Pro and Entra ID agree.');
    bot.connector.reset();
    // Typed with a straight apostrophe, the Mac's name has macOS's typographic one.
    expect(await ask(`check device ${mac.name.replace('’', "'")}`)).toContain(
      'Compliant: Jamf Pro and Entra ID agree.',
    );
    bot.connector.reset();
    const device = bot.demo.fleet.graph.devices.find((d) => d.displayName === mac.name)!;
    const text = await ask(`check device ${device.deviceId}`);
    expect(text).toContain(mac.serial);
    expect(text).toContain('Open in Entra');
  });

  it('answers a user with several Macs with a pick list, and Check opens one in place', async () => {
    const patti = DEMO_PEOPLE.find((p) => p.macs.length > 1)!;
    const text = await ask(`check device ${patti.upn}`);
    expect(text).toContain(`${patti.macs.length} Macs match`);
    for (const m of patti.macs) expect(text).toContain(m.name);
    const card = cardOf(bot.connector.sent()[0]);
    const computerId = JSON.stringify(card).match(/"computerId":"(\d+)"/)![1]!;
    const res = await bot.post(
      cardActionActivity('device.check', { computerId }, { serviceUrl: bot.connector.serviceUrl }),
    );
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const replaced = (res.body as { value: unknown }).value;
    expect(checkCard(replaced).problems).toEqual([]);
    expect(cardText(replaced)).toContain('Refresh');
  });

  it('Refresh re-diagnoses from live data and returns the updated card', async () => {
    const mac = MACS.find((m) => m.state === 'not_registered')!;
    const computer = bot.demo.fleet.jamf.computers.find((c) => c.hardware.serialNumber === mac.serial)!;
    const res = await bot.post(
      cardActionActivity(
        'device.refresh',
        { computerId: computer.id },
        { serviceUrl: bot.connector.serviceUrl },
      ),
    );
    expect(cardText((res.body as { value: unknown }).value)).toContain('Not registered');
  });

  it('says what it searched and suggests close names when nothing matches', async () => {
    const text = await ask('check device C02DEMO00');
    expect(text).toContain('No Mac matches “C02DEMO00”');
    expect(text).toContain('I searched Jamf Pro');
    expect(text).toContain('Did you mean');
    expect(text).toContain('C02DEMO0001');
  });

  it.each([`' or 1 eq 1`, `"),name==*`, `*`, 'ÄÖÜ “quoted” 💻'])(
    'treats hostile input %s as one literal value in both services',
    async (input) => {
      bot.demo.jamf.requests.clear();
      bot.demo.graph.requests.clear();
      const text = await ask(`check device ${input}`);
      expect(text).toContain('No Mac matches');
      const jamfSearch = bot.demo.jamf.requests.entries.find((e) => e.filter);
      const comparisons = rsqlComparisons(jamfSearch!.filter!);
      // The serial, then the name in each apostrophe style: every one a single literal.
      expect(comparisons[0]!.values).toEqual([input]);
      expect(comparisons.slice(1).map((c) => c.values.length)).toEqual(comparisons.slice(1).map(() => 1));
      expect(comparisons.slice(1).map((c) => c.values[0]!.replace(/\u2019/g, "'"))).toContain(
        input.replace(/\u2019/g, "'"),
      );
      const graphSearch = bot.demo.graph.requests.entries.find(
        (e) => e.filter && e.path.endsWith('/devices'),
      );
      expect(graphSearch?.filter).toMatchObject({ kind: 'compare', property: 'displayName', value: input });
    },
  );

  it('refuses an end user politely', async () => {
    const text = await ask('check device C02DEMO0001', END_USER);
    expect(text).toContain('That command is for IT admins');
    const [entry] = await bot.app.store.listAudit({ limit: 1, action: 'check device' });
    expect(entry).toMatchObject({
      actor: { aadObjectId: END_USER.aadObjectId },
      outcome: 'refused',
      details: { reason: 'admin command from a non-admin' },
    });
  });

  it('refuses a forwarded card button pressed by an end user', async () => {
    const res = await bot.post(
      cardActionActivity(
        'device.refresh',
        { computerId: '1' },
        { from: END_USER, serviceUrl: bot.connector.serviceUrl },
      ),
    );
    expect(res.body).toMatchObject({ statusCode: 200, value: 'Only IT admins can use this button.' });
    const [entry] = await bot.app.store.listAudit({ limit: 1, action: 'device.refresh' });
    expect(entry).toMatchObject({ actor: { aadObjectId: END_USER.aadObjectId }, outcome: 'refused' });
  });

  it('asks which Mac when none is given, and refuses a bad button payload', async () => {
    expect(await ask('check device')).toContain('Which Mac should I check?');
    bot.connector.reset();
    bot.demo.jamf.requests.clear();
    const res = await bot.post(
      cardActionActivity(
        'device.refresh',
        { computerId: "1' or 1" },
        { serviceUrl: bot.connector.serviceUrl },
      ),
    );
    // Refused by the action's schema before it runs (src/teams/pipeline/validatePayload.ts): no Jamf call.
    expect(res.body).toMatchObject({
      statusCode: 200,
      value: expect.stringContaining("That button sent something I can't use"),
    });
    expect(bot.demo.jamf.requests.entries).toEqual([]);
  });

  it('names Jamf Pro when it fails, with no stack trace', async () => {
    bot.demo.jamf.faults.failNext(1000, { status: 403 });
    const text = await ask('check device C02DEMO0001');
    expect(text).toContain('Jamf Pro');
    expect(text).toContain('What to try');
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('shows what Jamf Pro knows and names Entra ID when Graph fails', async () => {
    bot.demo.graph.faults.failNext(1000, { status: 403 });
    const text = await ask('check device C02DEMO0004');
    expect(text).toContain('Verdict unknown');
    expect(text).toContain('Entra ID (Microsoft Graph) did not answer');
    expect(text).toContain('Isaiah’s MacBook Pro');
  });

  it('answers with the error card when both services fail', async () => {
    bot.demo.jamf.faults.failNext(1000, { status: 403 });
    bot.demo.graph.faults.failNext(1000, { status: 403 });
    const text = await ask('check device C02DEMO0004');
    expect(text).toContain('What to try');
  });
});

describe('check device with the inventory index loaded', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot();
    // The index is the fleet snapshot's computers (no second load of the fleet from Jamf).
    await bot.app.fleetSync.syncNow();
    await bot.app.inventory.refresh();
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(() => {
    bot.connector.reset();
    bot.demo.jamf.requests.clear();
    bot.demo.jamf.faults.clear();
    bot.demo.graph.faults.clear();
  });
  afterEach(() => {
    expectSentCardsValid(bot);
  });

  const ask = async (text: string) => cardText(await askCard(bot, text, ADMIN));
  const jamfSearches = () =>
    bot.demo.jamf.requests.entries.filter((e) => /computers-inventory/.test(e.path) && e.filter);
  const jamfCalls = () => bot.demo.jamf.requests.entries.filter((e) => !/oauth|token/.test(e.path));

  it.each(MACS.map((m) => [m.state, m.serial] as const))(
    'gives a %s Mac (serial %s) the same verdict without searching Jamf, and says how old its facts are',
    async (state, serial) => {
      const text = await ask(`check device ${serial}`);
      expect(text).toContain(LABEL[state]);
      expect(text).toContain('Jamf Pro facts from its inventory as loaded');
      expect(jamfSearches()).toEqual([]);
    },
  );

  it('asks Jamf nothing at all for a registered Mac whose Entra device its name and user settle', async () => {
    const mac = MACS.find((m) => m.state === 'compliant')!;
    expect(await ask(`check device ${mac.serial}`)).toContain('Compliant');
    expect(jamfCalls()).toEqual([]);
  });

  it('finds by user e-mail and by Entra device id from the index too', async () => {
    const patti = DEMO_PEOPLE.find((p) => p.macs.length > 1)!;
    expect(await ask(`check device ${patti.upn}`)).toContain(`${patti.macs.length} Macs match`);
    bot.connector.reset();
    const mac = MACS.find((m) => m.state === 'compliant')!;
    const device = bot.demo.fleet.graph.devices.find((d) => d.displayName === mac.name)!;
    expect(await ask(`check device ${device.deviceId}`)).toContain(mac.serial);
    expect(jamfSearches()).toEqual([]);
  });

  it('searches Jamf live when the index does not know the Mac (enrolled since it was loaded)', async () => {
    const text = await ask('check device C02NOTINDEX1');
    expect(text).toContain('No Mac matches');
    expect(jamfSearches().length).toBeGreaterThan(0);
  });

  it('Refresh asks Jamf Pro live and drops the inventory note', async () => {
    const mac = MACS.find((m) => m.state === 'not_compliant')!;
    const computerId = bot.demo.fleet.jamf.computers.find((c) => c.hardware.serialNumber === mac.serial)!.id;
    const res = await bot.post(
      cardActionActivity('device.refresh', { computerId }, { serviceUrl: bot.connector.serviceUrl }),
    );
    const text = cardText((res.body as { value: unknown }).value);
    expect(text).toContain(LABEL.not_compliant);
    expect(text).not.toContain('inventory as loaded');
    expect(
      jamfCalls().some(
        (e) =>
          e.path.endsWith(`/computers-inventory-detail/${computerId}`) ||
          e.path.endsWith(`/computers-inventory/${computerId}`),
      ),
    ).toBe(true);
  });
});
