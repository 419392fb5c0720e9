import { DEMO_FLEET_IDS } from '../../demo/demoFleetIds';
import { DEMO_PEOPLE } from '../../demo/demoIdentities';
import type { AuditEntry } from '../../src/store/botStore';
import { ADMIN, END_USER, cardActionActivity, messageActivity } from '../helpers/activities';
import {
  adminInChannel,
  askCard,
  cardOf,
  cardText,
  expectSentCardsValid,
  startBot,
  waitUntil,
  type BotHarness,
} from '../helpers/botHarness';
import { checkJamfRequest } from '../helpers/checkJamfRequest';
import { jamfOperation, validateJamfRequest } from '../helpers/contracts';
import { resolveCsdlPath } from '../helpers/csdl';
import { checkCard } from '../helpers/validateCard';

/**
 * Fix it from the card (issue 19): each device-card fix through /api/messages against the demo
 * tenant — only for the verdicts it helps, a confirm step showing exactly what goes to which
 * service, the request checked against the contract, every press audited, a non-admin's press
 * refused, a double press sending once, and a service's 403/404 shown plainly.
 */
type Card = Record<string, unknown>;
/** A card's text as Teams shows it: markdown escapes (names, a service's message) undone. */
const shownText = (card: unknown) => cardText(card).replace(/\\([\\`*_[\]()<>~])/g, '$1');
const MEGAN = DEMO_PEOPLE[1]!; // not registered
const PATTI_MBP = 'C02DEMO0005'; // out of sync
const PATTI_IMAC = 'C02DEMO0015'; // stale
const LYNNE = DEMO_PEOPLE.find((p) => p.givenName === 'Lynne')!; // waiting for first report, outside the connector group
const GROUP = DEMO_FLEET_IDS.connectorGroupId;

interface Pressed {
  value: unknown;
}

/** Every Action.Execute of a card, the body's ActionSets included. */
function executes(card: unknown): { title?: string; verb?: string; data?: Record<string, unknown> }[] {
  const out: { title?: string; verb?: string; data?: Record<string, unknown> }[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'Action.Execute') out.push(o as never);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

const fixTitles = (card: unknown) =>
  executes(card)
    .filter((a) => a.verb === 'device.fix')
    .map((a) => a.title);

describe('device card fixes through /api/messages (demo tenant)', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot({ BROADCAST_MAX_PER_SECOND: '200' }, { size: 60 });
  });
  afterAll(() => bot.close());
  beforeEach(() => {
    bot.connector.reset();
    bot.demo.jamf.requests.clear();
    bot.demo.graph.requests.entries.length = 0;
    bot.demo.jamf.faults.clear();
    bot.demo.graph.faults.clear();
  });
  afterEach(() => {
    expectSentCardsValid(bot);
    expect(bot.demo.jamf.requests.entries.flatMap(checkJamfRequest)).toEqual([]);
  });

  async function press(verb: string, data: Record<string, unknown>, from = ADMIN): Promise<Pressed> {
    const res = await bot.post(
      cardActionActivity(verb, data, { from, serviceUrl: bot.connector.serviceUrl }),
    );
    expect(res.status).toBe(200);
    const body = res.body as { statusCode: number; value: unknown };
    expect(body.statusCode).toBe(200);
    if (body.value && typeof body.value === 'object') expect(checkCard(body.value).problems).toEqual([]);
    return { value: body.value };
  }

  /** The device card, as Refresh answers it. */
  async function deviceCard(serial: string): Promise<Card> {
    const computerId = bot.demo.fleet.jamf.computers.find((c) => c.hardware.serialNumber === serial)!.id;
    return (await press('device.refresh', { computerId })).value as Card;
  }

  const fixData = (card: Card, title: string) =>
    executes(card).find((a) => a.verb === 'device.fix' && a.title === title)?.data;
  const confirmData = (card: unknown) => executes(card).find((a) => a.verb === 'device.fix.confirm')?.data;

  const jamfWrites = () =>
    bot.demo.jamf.requests.entries.filter((e) => e.method !== 'GET' && !e.path.includes('/oauth/token'));
  const graphWrites = () =>
    bot.demo.graph.requests.entries.filter(
      (e) => e.method === 'POST' && e.endpoint === 'POST /groups/{id}/members/$ref',
    );

  const lastAuditId = async () => (await bot.app.store.listAudit({ limit: 1 }))[0]?.id ?? 0;
  const auditSince = async (id: number): Promise<AuditEntry[]> =>
    (await bot.app.store.listAudit({ limit: 100, action: 'device.fix' })).filter((e) => e.id > id).reverse();

  // First: the bot has seen no Teams channel yet, so it knows no Bot Connector URL to start a 1:1 from.
  it('Send the user the fix to someone without a stored conversation, before the bot has seen a channel: said plainly, nothing sent', async () => {
    expect(await bot.app.store.firstChannel()).toBeNull();
    expect(await bot.app.store.findPersonalConversation(LYNNE.aadObjectId)).toBeNull();
    const confirm = await press(
      'device.fix',
      fixData(await deviceCard(LYNNE.macs[0]!.serial), 'Send the user the fix')!,
    );
    const before = await lastAuditId();
    const text = shownText((await press('device.fix.confirm', confirmData(confirm.value)!)).value);
    expect(text).toContain('Not done');
    expect(text).toContain('Lynne Robbins was not sent the fix: no conversation with the user.');
    expect(text).toContain('mention it once in the team’s channel (or set BOT_SERVICE_URL)');
    expect(text).not.toContain('Refused by Teams');
    expect(bot.connector.calls).toEqual([]);
    const [entry] = await auditSince(before);
    expect(entry).toMatchObject({ outcome: 'failed', details: { kind: 'send-fix' } });
  });

  it('offers only the fixes that can help the verdict', async () => {
    expect(fixTitles(await deviceCard('C02DEMO0001'))).toEqual([]); // compliant
    expect(fixTitles(await deviceCard('C02DEMO0007'))).toEqual([]); // not applicable
    expect(fixTitles(await deviceCard(PATTI_IMAC))).toEqual(['Wake the Mac']);
    expect(fixTitles(await deviceCard(PATTI_MBP))).toEqual(['Recalculate smart groups']);
    expect(fixTitles(await deviceCard(MEGAN.macs[0]!.serial))).toEqual(['Send the user the fix']);
    expect(fixTitles(await deviceCard(LYNNE.macs[0]!.serial))).toEqual([
      'Add the user to the connector group',
      'Send the user the fix',
    ]);
  });

  it("refuses a non-admin's press, of the fix and of Confirm, sending nothing", async () => {
    const card = await deviceCard(PATTI_IMAC);
    const before = await lastAuditId();
    const refused = await press('device.fix', fixData(card, 'Wake the Mac')!, END_USER);
    expect(refused.value).toBe('Only IT admins can use this button.');
    // An admin's confirm card, pressed by someone else.
    const confirm = await press('device.fix', fixData(card, 'Wake the Mac')!);
    const again = await press('device.fix.confirm', confirmData(confirm.value)!, END_USER);
    expect(again.value).toBe('Only IT admins can use this button.');
    expect(jamfWrites()).toEqual([]);
    const all = (await bot.app.store.listAudit({ limit: 20 })).filter((e) => e.id > before);
    expect(
      all.filter((e) => e.outcome === 'refused' && e.actor.aadObjectId === END_USER.aadObjectId),
    ).toHaveLength(2);
  });

  it('Wake the Mac: the confirm step shows the blank push, Confirm sends it once, both presses audited', async () => {
    const computer = bot.demo.fleet.jamf.computers.find((c) => c.hardware.serialNumber === PATTI_IMAC)!;
    const managementId = computer.general.managementId!;
    const before = await lastAuditId();
    const confirm = await press('device.fix', fixData(await deviceCard(PATTI_IMAC), 'Wake the Mac')!);
    const text = shownText(confirm.value);
    expect(text).toContain('Wake the Mac');
    expect(text).toContain('Jamf Pro');
    expect(text).toContain('POST /api/v2/mdm/blank-push');
    expect(text).toContain(managementId);
    expect(jamfWrites()).toEqual([]); // nothing sent on the confirm step

    const data = confirmData(confirm.value)!;
    const done = await press('device.fix.confirm', data);
    expect(shownText(done.value)).toContain('Done');
    expect(executes(done.value).map((a) => a.title)).toContain('Refresh');
    const [push, ...more] = jamfWrites();
    expect(more).toEqual([]);
    expect(push).toMatchObject({ method: 'POST', path: '/api/v2/mdm/blank-push', status: 200 });
    expect(push!.body).toEqual({ clientManagementIds: [managementId] });
    expect(validateJamfRequest('POST', '/api/v2/mdm/blank-push', push!.body).errors).toEqual([]);

    // Pressed again (a double click, or Teams replaying the invoke): nothing more is sent.
    const twice = await press('device.fix.confirm', data);
    expect(shownText(twice.value)).toContain('nothing was sent again');
    // A card posted before the `fixKey` rename carries `key`: the same fix, still sent once.
    const legacy = await press('device.fix.confirm', { key: data.fixKey, computerId: data.computerId });
    expect(shownText(legacy.value)).toContain('nothing was sent again');
    expect(jamfWrites()).toHaveLength(1);

    const audit = await auditSince(before);
    expect(audit.map((e) => e.outcome)).toEqual(['planned', 'done', 'refused', 'refused']);
    expect(audit[0]).toMatchObject({
      target: computer.general.name,
      actor: { aadObjectId: ADMIN.aadObjectId },
    });
    expect(audit[1]!.details).toMatchObject({
      kind: 'wake',
      request: {
        service: 'Jamf Pro',
        path: '/api/v2/mdm/blank-push',
        body: { clientManagementIds: [managementId] },
      },
    });
    // And an admin reads them with `audit device.fix`.
    bot.connector.reset();
    const log = shownText(await askCard(bot, 'audit device.fix', ADMIN));
    expect(log).toContain('device.fix');
    expect(log).toContain(computer.general.name);
  });

  it('Wake the Mac: Jamf Pro answering 404 is shown plainly and audited as failed', async () => {
    const confirm = await press('device.fix', fixData(await deviceCard(PATTI_IMAC), 'Wake the Mac')!);
    bot.demo.jamf.faults.failNext(1, { path: '/api/v2/mdm/blank-push', status: 404 });
    const before = await lastAuditId();
    const res = await press('device.fix.confirm', confirmData(confirm.value)!);
    const text = shownText(res.value);
    expect(text).toContain('Not done');
    expect(text).toContain('Jamf Pro answered 404 Not Found');
    expect(jamfWrites()).toHaveLength(1); // not retried
    const [entry] = await auditSince(before);
    expect(entry).toMatchObject({ outcome: 'failed', details: { status: 404 } });
  });

  it('Recalculate smart groups: the contract request, once; a 403 names the Jamf privilege', async () => {
    const computer = bot.demo.fleet.jamf.computers.find((c) => c.hardware.serialNumber === PATTI_MBP)!;
    const path = `/api/v1/computers/${computer.id}/recalculate-smart-groups`;
    const confirm = await press(
      'device.fix',
      fixData(await deviceCard(PATTI_MBP), 'Recalculate smart groups')!,
    );
    expect(shownText(confirm.value)).toContain(`POST ${path}`);
    const data = confirmData(confirm.value)!;
    await Promise.all([press('device.fix.confirm', data), press('device.fix.confirm', data)]);
    const writes = jamfWrites();
    expect(writes.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([`POST ${path} 200`]);
    // The contract's operation takes no body, and none was sent.
    expect(jamfOperation('POST', path)).not.toBeNull();
    expect(writes[0]!.body).toBeUndefined();

    const second = await press(
      'device.fix',
      fixData(await deviceCard(PATTI_MBP), 'Recalculate smart groups')!,
    );
    bot.demo.jamf.faults.failNext(1, { path: /recalculate-smart-groups$/, status: 403 });
    const before = await lastAuditId();
    const refused = await press('device.fix.confirm', confirmData(second.value)!);
    const text = shownText(refused.value);
    expect(text).toContain('Jamf Pro refused it (403 Forbidden)');
    expect(text).toContain('Update Smart Computer Groups');
    const [entry] = await auditSince(before);
    expect(entry).toMatchObject({ outcome: 'failed', details: { status: 403 } });
  });

  it('Add the user to the connector group: a dynamic group shows its rule; else the Graph $ref write, once', async () => {
    const group = bot.demo.fleet.graph.groups.find((g) => g.id === GROUP)!;
    const card = await deviceCard(LYNNE.macs[0]!.serial);
    const add = fixData(card, 'Add the user to the connector group')!;

    // A dynamic connector group: nothing to send, the rule shown.
    const saved = { groupTypes: group.groupTypes, membershipRule: group.membershipRule };
    group.groupTypes = ['DynamicMembership'];
    group.membershipRule = '(user.department -eq "Sales")';
    try {
      const dynamic = await press('device.fix', add);
      const text = shownText(dynamic.value);
      expect(text).toContain('is a dynamic group');
      expect(text).toContain('user.department -eq');
      expect(confirmData(dynamic.value)).toBeUndefined();
    } finally {
      Object.assign(group, saved);
    }

    // Graph refusing (403) first: shown plainly, nothing changed.
    const first = await press('device.fix', add);
    bot.demo.graph.faults.failNext(1, { path: /members\/\$ref$/, status: 403 });
    const refused = await press('device.fix.confirm', confirmData(first.value)!);
    expect(shownText(refused.value)).toContain('refused it (403 Forbidden)');
    expect(group.memberIds).not.toContain(LYNNE.aadObjectId);

    bot.demo.graph.requests.entries.length = 0;
    const confirm = await press('device.fix', add);
    const text = shownText(confirm.value);
    expect(text).toContain('Microsoft Graph');
    expect(text).toContain(`POST /groups/${GROUP}/members/$ref`);
    expect(text).toContain(`https://graph.microsoft.com/v1.0/directoryObjects/${LYNNE.aadObjectId}`);
    const data = confirmData(confirm.value)!;
    const done = await press('device.fix.confirm', data);
    expect(shownText(done.value)).toContain(`Added ${LYNNE.upn}`);
    await press('device.fix.confirm', data);
    const writes = graphWrites();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ status: 204, path: `/groups/${GROUP}/members/$ref` });
    expect(writes[0]!.body).toEqual({
      '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${LYNNE.aadObjectId}`,
    });
    // The route is the group's `members` navigation in the v1.0 CSDL.
    expect(resolveCsdlPath('/groups/{id}/members/$ref').steps).toEqual([
      'EntitySet groups',
      'key',
      expect.stringMatching(/^NavigationProperty members: Collection\(.*directoryObject\)$/),
      '$ref',
    ]);
    expect(group.memberIds).toContain(LYNNE.aadObjectId);
    // Now in the group: the fix is no longer offered.
    expect(fixTitles(await deviceCard(LYNNE.macs[0]!.serial))).not.toContain(
      'Add the user to the connector group',
    );
  });

  it('Send the user the fix: the reminder for that Mac with the Self Service link, sent once', async () => {
    // The admin asked for the card in the team's channel: the bot has seen the Teams service there
    // (a card press alone is not remembered — it may come from a chat the bot is not in).
    await bot.post(
      messageActivity('help', { from: ADMIN, scope: 'channel', serviceUrl: bot.connector.serviceUrl }),
    );
    const policy = bot.demo.fleet.jamf.policies.find((p) => /regist/i.test(p.general.name))!;
    const link = `jamfselfservice://content?entity=policy&id=${policy.general.id}&action=view`;
    const confirm = await press(
      'device.fix',
      fixData(await deviceCard(MEGAN.macs[0]!.serial), 'Send the user the fix')!,
    );
    const text = shownText(confirm.value);
    expect(text).toContain('Teams');
    expect(text).toContain(MEGAN.upn);
    expect(text).toContain(link);

    const data = confirmData(confirm.value)!;
    const before = await lastAuditId();
    const done = await press('device.fix.confirm', data);
    expect(shownText(done.value)).toMatch(/Sent Megan Bowen the fix|on its way/);
    await press('device.fix.confirm', data);
    const reminders = () =>
      bot.connector.calls.filter(
        (c) => c.method === 'POST' && shownText(cardOf(c.body ?? undefined)).includes('Open in Self Service'),
      );
    await waitUntil(async () => reminders().length === 1);
    const card = cardOf(reminders()[0]!.body ?? undefined)!;
    expect(checkCard(card).problems).toEqual([]);
    expect(JSON.stringify(card)).toContain(link);
    expect(shownText(card)).toContain(MEGAN.macs[0]!.name);
    await new Promise((r) => setTimeout(r, 300));
    expect(reminders()).toHaveLength(1);
    const audit = await auditSince(before);
    expect(audit.map((e) => e.outcome)).toEqual(['done', 'refused']);
  });
  describe('edge cases', () => {
    const computerOf = (serial: string) =>
      bot.demo.fleet.jamf.computers.find((c) => c.hardware.serialNumber === serial)!;
    const group = () => bot.demo.fleet.graph.groups.find((g) => g.id === GROUP)!;
    /** Runs `fn` with Lynne outside the connector group (the fix is offered), then restores the group. */
    async function withLynneOutside(fn: () => Promise<void>): Promise<void> {
      const saved = [...group().memberIds];
      group().memberIds = saved.filter((id) => id !== LYNNE.aadObjectId);
      try {
        await fn();
      } finally {
        group().memberIds = saved;
      }
    }
    /** A refusal in words: no stack trace, no error class, no response body. */
    const expectPlain = (text: string) => {
      expect(text).not.toMatch(/\n\s+at \S|Error\b|\{"/);
      expect(text).toContain('Not done');
    };

    it('Add the user to the connector group: Graph answering 400 "already exist" is shown as already a member, audited done', async () => {
      await withLynneOutside(async () => {
        const confirm = await press(
          'device.fix',
          fixData(await deviceCard(LYNNE.macs[0]!.serial), 'Add the user to the connector group')!,
        );
        // Someone adds her in the Entra admin center between the confirm card and Confirm.
        group().memberIds = [...group().memberIds, LYNNE.aadObjectId];
        const before = await lastAuditId();
        const done = shownText((await press('device.fix.confirm', confirmData(confirm.value)!)).value);
        expect(done).toContain('Done');
        expect(done).toContain(
          `${LYNNE.upn} was already a member of ${group().displayName}: nothing changed.`,
        );
        // Graph's own answer: the 400 for a member already there, sent once.
        expect(graphWrites().map((e) => e.status)).toEqual([400]);
        const [entry, ...more] = await auditSince(before);
        expect(more).toEqual([]);
        expect(entry).toMatchObject({ outcome: 'done', details: { kind: 'add-to-group' } });
        expect(String(entry!.details.result)).toContain('already a member');
      });
    });

    it('Wake the Mac: Jamf Pro listing the Mac in errorUuids is a plain failure for that Mac, audited', async () => {
      const computer = computerOf(PATTI_IMAC);
      const saved = computer.general.managementId;
      const confirm = await press('device.fix', fixData(await deviceCard(PATTI_IMAC), 'Wake the Mac')!);
      // Re-enrolled in between: Jamf Pro no longer knows the management id the card names.
      computer.general.managementId = '00000000-0000-4000-8000-00000000dead';
      try {
        const before = await lastAuditId();
        const text = shownText((await press('device.fix.confirm', confirmData(confirm.value)!)).value);
        expectPlain(text);
        expect(text).toContain('Jamf Pro could not send the push to Patti’s iMac');
        const [push, ...more] = jamfWrites();
        expect(more).toEqual([]);
        expect(push).toMatchObject({ path: '/api/v2/mdm/blank-push', status: 200 });
        const [entry] = await auditSince(before);
        expect(entry).toMatchObject({ outcome: 'failed', details: { kind: 'wake' } });
      } finally {
        computer.general.managementId = saved;
      }
    });

    it.each([
      ['Wake the Mac', 'Jamf Pro', 403, PATTI_IMAC, /blank-push$/, 'Jamf Pro refused it (403 Forbidden)'],
      [
        'Recalculate smart groups',
        'Jamf Pro',
        404,
        PATTI_MBP,
        /recalculate-smart-groups$/,
        'Jamf Pro answered 404 Not Found: Patti’s MacBook Pro is not there any more',
      ],
      [
        'Add the user to the connector group',
        'Microsoft Graph',
        404,
        LYNNE.macs[0]!.serial,
        /members\/\$ref$/,
        'Entra ID (Microsoft Graph) answered 404 Not Found: the group or the user is not there any more',
      ],
    ] as const)(
      '%s: %s answering %i is shown plainly on the card and audited',
      async (title, service, status, serial, path, says) => {
        await withLynneOutside(async () => {
          const confirm = await press('device.fix', fixData(await deviceCard(serial), title)!);
          if (service === 'Jamf Pro') bot.demo.jamf.faults.failNext(1, { path, status });
          else bot.demo.graph.faults.failNext(1, { path, status });
          const before = await lastAuditId();
          const res = await press('device.fix.confirm', confirmData(confirm.value)!);
          const text = shownText(res.value);
          expectPlain(text);
          expect(text).toContain(says);
          expect(executes(res.value).map((a) => a.title)).toEqual(['Refresh']);
          const [entry] = await auditSince(before);
          expect(entry).toMatchObject({ outcome: 'failed', details: { status } });
        });
      },
    );

    it('Send the user the fix to someone with no stored conversation: an install refused on the way is a plain reason; else the chat is opened and kept', async () => {
      const store = bot.app.store;
      // The bot is in the team's channel and has seen it: it can start 1:1s.
      await adminInChannel(() => bot).say('help');
      expect(await store.findPersonalConversation(LYNNE.aadObjectId)).toBeNull();
      // Lynne has not got the app, and the tenant refuses its install for her.
      bot.demo.teamsApps.uninstall(LYNNE.aadObjectId);
      bot.demo.graph.faults.failNext(1, {
        method: 'POST',
        path: new RegExp(`^/users/${LYNNE.aadObjectId}/teamwork/installedApps$`),
        status: 403,
      });
      const sendFix = async () =>
        press('device.fix', fixData(await deviceCard(LYNNE.macs[0]!.serial), 'Send the user the fix')!);
      const before = await lastAuditId();
      const refused = shownText(
        (await press('device.fix.confirm', confirmData((await sendFix()).value)!)).value,
      );
      expectPlain(refused);
      expect(refused).toContain(
        'Lynne Robbins was not sent the fix: app could not be installed (blocked or no permission).',
      );
      expect((await auditSince(before)).map((e) => e.outcome)).toEqual(['planned', 'failed']);
      expect(await store.findPersonalConversation(LYNNE.aadObjectId)).toBeNull();

      // Next time the install goes through: the 1:1 is opened, stored, and the fix sent in it.
      const sent = shownText(
        (await press('device.fix.confirm', confirmData((await sendFix()).value)!)).value,
      );
      expect(sent).toMatch(/Sent Lynne Robbins the fix|on its way/);
      await waitUntil(async () => (await store.findPersonalConversation(LYNNE.aadObjectId)) !== null);
      await waitUntil(async () =>
        bot.connector.calls.some(
          (c) =>
            c.method === 'POST' &&
            c.chat === bot.connector.conversationFor(LYNNE.aadObjectId) &&
            shownText(cardOf(c.body ?? undefined)).includes('Open in Self Service'),
        ),
      );
    });
  });
});
