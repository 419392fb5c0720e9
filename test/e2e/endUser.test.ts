import { DEMO_PEOPLE, DEMO_TEAM, type DemoPerson } from '../../demo/demoIdentities';
import { ADMIN, cardActionActivity, installActivity, messageActivity } from '../helpers/activities';
import { cardOf, cardText, expectSentCardsValid, startBot, type BotHarness } from '../helpers/botHarness';

const person = (first: string) => DEMO_PEOPLE.find((p) => p.givenName === first)!;
const MEGAN = person('Megan'); // one Mac, not registered
const PATTI = person('Patti'); // two Macs: out of sync and stale
const LYNNE = person('Lynne'); // waiting for first report, not in the connector's group
const ISAIAH = person('Isaiah'); // not compliant (FileVault)

/**
 * A person of the demo tenant's directory who has no Mac at all: test-only, so the Playground's
 * five people (`.m365agentsplayground.yml`) stay as they are.
 */
function personWithoutMac(bot: BotHarness): DemoPerson {
  const { graph, jamf } = bot.demo.fleet;
  const jamfEmails = new Set(jamf.computers.map((c) => (c.userAndLocation.email ?? '').toLowerCase()));
  const named = new Set(DEMO_PEOPLE.map((p) => p.aadObjectId));
  const macOwners = new Set(
    graph.devices.filter((d) => /^mac/i.test(d.operatingSystem ?? '')).flatMap((d) => d.registeredOwnerIds),
  );
  const u = graph.users.find(
    (x) => !named.has(x.id) && !jamfEmails.has(x.userPrincipalName.toLowerCase()) && !macOwners.has(x.id),
  )!;
  expect(u).toBeDefined();
  return {
    teamsId: `29:test-no-mac-${u.id}`,
    aadObjectId: u.id,
    name: u.displayName,
    givenName: u.givenName ?? '',
    surname: u.surname ?? '',
    upn: u.userPrincipalName,
    admin: false,
    macs: [],
    inConnectorGroup: false,
  };
}

/** A generated person of the demo tenant (not one of the Playground's five), by UPN: test-only. */
function directoryPerson(bot: BotHarness, upn: string): DemoPerson {
  const u = bot.demo.fleet.graph.users.find((x) => x.userPrincipalName === upn)!;
  expect(u).toBeDefined();
  return {
    teamsId: `29:test-${u.id}`,
    aadObjectId: u.id,
    name: u.displayName,
    givenName: u.givenName ?? '',
    surname: u.surname ?? '',
    upn: u.userPrincipalName,
    admin: false,
    macs: [],
    inConnectorGroup: true,
  };
}

describe('end users in 1:1 chat, through /api/messages against the demo tenant', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot({ ROLLOUT_DEADLINE: '2026-12-31', SELF_SERVICE_POLICY_NAME: 'Register this Mac' });
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

  /** Sends a 1:1 message and returns the text of the bot's reply in that chat (not channel posts). */
  const ask = async (text: string, from: DemoPerson) => {
    bot.connector.reset();
    await bot.post(messageActivity(text, { from, serviceUrl: bot.connector.serviceUrl }));
    const chat = `a:${from.teamsId}-personal`;
    for (let i = 0; i < 100; i++) {
      // The first reply, not a typing indicator (a slow answer gets one first).
      const reply = bot.connector.calls.find(
        (c) => c.conversationId === chat && c.method === 'POST' && c.body?.type !== 'typing',
      );
      if (reply) return cardText(cardOf(reply.body ?? undefined));
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no reply to "${text}"`);
  };
  const press = async (verb: string, from: DemoPerson, data: Record<string, unknown> = {}) =>
    bot.post(cardActionActivity(verb, data, { from, serviceUrl: bot.connector.serviceUrl }));
  const settle = () => new Promise((r) => setTimeout(r, 300));

  describe('Contact IT', () => {
    const channelPosts = () =>
      bot.connector.calls.filter(
        (c) => c.method === 'POST' && c.conversationId === DEMO_TEAM.channel.id && c.activityId === null,
      );

    it('without an admin channel yet: tells the user, and the attempt does not count', async () => {
      const text = await ask('contact IT', ISAIAH);
      expect(text).toContain('could not reach IT');
      expect(channelPosts()).toHaveLength(0);
    });

    it('posts an escalation card with the user, their Macs and the diagnosis; a second attempt the same day is refused kindly', async () => {
      // The admin channel becomes known when an admin talks to the bot there.
      await bot.post(messageActivity('help', { scope: 'channel', serviceUrl: bot.connector.serviceUrl }));
      await bot.connector.waitForSent(1);

      const answer = await ask('I need to talk to someone in IT', PATTI);
      expect(answer).toContain('I sent your request to IT');
      const posts = channelPosts();
      expect(posts).toHaveLength(1);
      const escalation = cardText(cardOf(posts[0]!.body ?? undefined));
      expect(escalation).toContain('Patti Fernandez asked IT for help');
      expect(escalation).toContain('They wrote: “I need to talk to someone in IT”');
      expect(escalation).toContain(PATTI.upn);
      for (const m of PATTI.macs) expect(escalation).toContain(m.serial);
      expect(escalation).toContain('Out of sync');
      expect(escalation).toContain('Stale');
      expect(escalation).toContain(`check device ${PATTI.macs[0]!.serial}`);

      // Again, by the button this time: refused kindly, nothing posted.
      bot.connector.reset();
      const res = await press('contact.it', PATTI);
      expect(res.body).toMatchObject({ statusCode: 200 });
      const [reply] = await bot.connector.waitForSent(1);
      expect(cardText(cardOf(reply))).toContain('IT already has your request');
      expect(channelPosts()).toHaveLength(0);

      const audit = await bot.app.store.listAudit({ limit: 10, action: 'contact it' });
      expect(audit.map((a) => a.outcome)).toEqual(['refused', 'sent', 'failed']);
      expect(audit[1]).toMatchObject({ actor: { aadObjectId: PATTI.aadObjectId }, target: PATTI.upn });

      // Isaiah's attempt before the channel was known did not count: he can contact IT now.
      bot.connector.reset();
      expect(await ask('contact IT', ISAIAH)).toContain('I sent your request to IT');
      expect(channelPosts()).toHaveLength(1);
    });

    it('the button works the first time too, and two presses at once post one card', async () => {
      await Promise.all([press('contact.it', MEGAN), press('contact.it', MEGAN)]);
      await bot.connector.waitForSent(2);
      await settle();
      expect(channelPosts()).toHaveLength(1);
      const replies = bot.connector
        .sent()
        .map((a) => cardText(cardOf(a)))
        .filter((t) => !t.includes('asked IT for help'));
      expect(replies.filter((t) => t.includes('I sent your request to IT'))).toHaveLength(1);
      expect(replies.filter((t) => t.includes('IT already has your request'))).toHaveLength(1);
    });
  });

  describe('welcome', () => {
    it('welcomes once on install, even when Teams sends installationUpdate and conversationUpdate', async () => {
      const install = installActivity({ from: ISAIAH, serviceUrl: bot.connector.serviceUrl });
      const membersAdded = {
        ...install,
        id: `f:${Date.now()}`,
        type: 'conversationUpdate',
        action: undefined,
        membersAdded: [{ id: install.recipient.id }, { id: ISAIAH.teamsId, aadObjectId: ISAIAH.aadObjectId }],
      };
      // Both at once, as Teams may send them.
      await Promise.all([bot.post(install), bot.post(membersAdded)]);
      await bot.connector.waitForSent(1);
      await settle();
      const sent = bot.connector.sent();
      expect(sent).toHaveLength(1);
      const text = cardText(cardOf(sent[0]));
      expect(text).toContain('Hi Isaiah');
      expect(text).toContain('31 December 2026');
      expect(text).toContain('Register this Mac');
      expect(text).toContain('Self Service');
      expect(text).toMatch(/Company Portal.*AccountNotOnboarded/s);
      // Another update later: still no second welcome.
      bot.connector.reset();
      await bot.post({ ...install, id: 'f:again' });
      await settle();
      expect(bot.connector.sent()).toHaveLength(0);
    });

    it('stores the conversation reference for broadcasts', async () => {
      await bot.post(installActivity({ from: LYNNE, serviceUrl: bot.connector.serviceUrl }));
      await bot.connector.waitForSent(1);
      const stored = await bot.app.store.getConversation(`a:${LYNNE.teamsId}-personal`);
      expect(stored).toMatchObject({ scope: 'personal', aadObjectId: LYNNE.aadObjectId });
    });

    it('welcomes again after the app was removed and installed again', async () => {
      const install = installActivity({ from: PATTI, serviceUrl: bot.connector.serviceUrl });
      await bot.post(install);
      await bot.connector.waitForSent(1);
      await bot.post({ ...install, id: 'f:remove', action: 'remove' });
      bot.connector.reset();
      await bot.post({ ...install, id: 'f:add-again' });
      const [again] = await bot.connector.waitForSent(1);
      expect(cardText(cardOf(again))).toContain('Hi Patti');
    });
  });

  describe('status', () => {
    it('0 Macs: says what was looked for and what to do', async () => {
      const nobody = personWithoutMac(bot);
      const text = await ask('status', nobody);
      expect(text).toContain('I could not find a Mac for you');
      expect(text).toContain(nobody.upn);
      expect(text).toContain('About This Mac');
      expect(text).toContain('Contact IT');
    });

    it('1 Mac (not registered): plain verdict, the Self Service step, Check again', async () => {
      const text = await ask('am I compliant?', MEGAN);
      expect(text).toContain('Your Mac');
      expect(text).toContain(MEGAN.macs[0]!.name);
      expect(text).toContain('Not registered yet');
      expect(text).toContain('Register this Mac');
      expect(text).toContain('AccountNotOnboarded');
      // No admin jargon, no admin links.
      expect(text).not.toMatch(
        /Open in Jamf Pro|Open in Entra|Applicable group|jamfcloud|entra\.microsoft\.com/,
      );
      const card = cardOf(bot.connector.sent()[0]) as { actions: Record<string, unknown>[] };
      expect(card.actions).toContainEqual(
        expect.objectContaining({
          type: 'Action.Execute',
          title: 'Check again',
          verb: 'status.check',
          data: {},
        }),
      );
    });

    it('2 Macs in different verdicts: each with its own plain verdict and steps', async () => {
      const text = await ask('is my mac ok', PATTI);
      expect(text).toContain('Your 2 Macs');
      for (const m of PATTI.macs) expect(text).toContain(m.name);
      expect(text).toContain('Stuck: one more step'); // out of sync
      expect(text).toContain('gatherAADInfo');
      expect(text).toContain('Has not checked in lately'); // stale
      expect(text).toContain('Update Inventory');
    });

    it.each([
      'status',
      'my mac',
      'check my device',
      'Am I compliant',
      'STATUS?',
      'hi, how is my macbook doing',
    ])('understands "%s"', async (phrase) => {
      expect(await ask(phrase, ISAIAH)).toContain('Needs a fix');
    });

    it('Check again (status.check, empty data) answers with the status card in place', async () => {
      const res = await press('status.check', ISAIAH);
      expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
      const card = (res.body as { value: unknown }).value;
      expect(cardText(card)).toContain(ISAIAH.macs[0]!.name);
      expect(cardText(card)).toContain('FileVault');
    });

    it('a system that does not answer is named as such, never as "no Mac"', async () => {
      bot.demo.jamf.faults.failNext(1000, { status: 503 });
      const text = await ask('status', MEGAN);
      expect(text).toContain('I could not check your Mac right now');
      expect(text).not.toContain('I could not find a Mac');
      bot.demo.jamf.faults.clear();
      bot.demo.graph.faults.failNext(1000, { status: 503 });
      // Without Graph the bot cannot even tell who is asking: the error card, nothing invented.
      const down = await ask('status', MEGAN);
      expect(down).toContain('Microsoft Graph');
      expect(down).not.toContain(MEGAN.macs[0]!.name);
    });

    it('works for an admin too (their own Mac)', async () => {
      const text = await ask('status', ADMIN);
      expect(text).toContain(ADMIN.macs[0]!.name);
      expect(text).toContain('All set');
    });

    it('answers about your own Mac only in 1:1, not in a channel', async () => {
      bot.connector.reset();
      await bot.post(
        messageActivity('status', { from: ADMIN, scope: 'channel', serviceUrl: bot.connector.serviceUrl }),
      );
      const [sent] = await bot.connector.waitForSent(1);
      const text = cardText(cardOf(sent));
      expect(text).toContain('only talk about your own Mac in our 1:1 chat');
      expect(text).not.toContain(ADMIN.macs[0]!.name);
    });
  });

  describe("other people's devices", () => {
    const alex = ADMIN.macs[0]!;
    it.each([
      `status ${alex.serial}`,
      `status ${alex.name}`,
      "is Alex's mac ok",
      `check device ${alex.serial}`,
      `status ${ADMIN.upn}`,
      `my mac ${alex.serial}`,
    ])('"%s" from an end user says nothing about that Mac', async (phrase) => {
      const text = await ask(phrase, MEGAN);
      expect(text).not.toContain(alex.serial.slice(3)); // C02 is in every demo serial
      expect(text).not.toContain(alex.name);
      expect(text).not.toContain('All set');
      expect(text).not.toMatch(/Alex Wilber|alex\.wilber/i);
    });

    it('says the typed serial was not looked up, and shows the caller their own Mac', async () => {
      const text = await ask(`status ${alex.serial}`, MEGAN);
      expect(text).toContain('I did not look up');
      expect(text).toContain(MEGAN.macs[0]!.name);
    });

    it("two people whose Macs share a name each see only their own (the other's Entra device is not theirs)", async () => {
      const [chrisMac, jordanMac] = bot.demo.fleet.edgeCases.duplicateName.computerIds.map((id) =>
        bot.demo.fleet.jamf.computers.find((c) => c.id === id)!,
      );
      const pairs = [
        [chrisMac!, jordanMac!],
        [jordanMac!, chrisMac!],
      ] as const;
      for (const [mine, theirs] of pairs) {
        const owner = directoryPerson(bot, mine.userAndLocation.email!);
        const text = await ask('status', owner);
        expect(text).toContain('Your Mac\n'); // one Mac, not "Your 2 Macs"
        expect(text).toContain(mine.hardware.serialNumber);
        expect(text).not.toContain(theirs.hardware.serialNumber);
        expect(text).not.toContain('Registered to you with Microsoft');
      }
    });

    it('a card action cannot name another Mac: status.check ignores its data', async () => {
      const res = await press('status.check', MEGAN, { computerId: '1', upn: ADMIN.upn });
      const text = cardText((res.body as { value: unknown }).value);
      expect(text).toContain(MEGAN.macs[0]!.name);
      expect(text).not.toContain(alex.name);
    });

    it('admin commands and admin buttons are refused', async () => {
      expect(await ask('check device C02DEMO0001', MEGAN)).toContain('That command is for IT admins');
      const res = await press('device.check', MEGAN, { computerId: '1' });
      expect(JSON.stringify(res.body)).toContain('Only IT admins');
    });
  });

  describe('troubleshooting', () => {
    it.each([
      ['AccountNotOnboarded', MEGAN, ['wrong app', 'Self Service', 'Register this Mac']],
      ['i got an error: Account Not Onboarded', MEGAN, ['wrong app']],
      ['accountnotonbaorded??', MEGAN, ['wrong app']],
      ['should I use the company portal?', MEGAN, ['not in Company Portal', 'Self Service']],
      ['how do I register my mac', MEGAN, ['How to register your Mac', 'Register this Mac']],
      ['my mac shows N/A', PATTI, ['N/A', 'What I checked for you']],
      ['still not compliant after an hour', PATTI, ['Still not compliant after waiting']],
      ['why is my device not compliant', ISAIAH, ['Your Mac is not compliant', 'FileVault']],
      ['what does gatherAADInfo do', PATTI, ['gatherAADInfo', 'acquired', 'sign-in window']],
      ['jamfaad gather aad info', PATTI, ['What you see, and what it means']],
    ] as const)('"%s" gets the right answer', async (phrase, from, expected) => {
      const text = await ask(phrase, from);
      for (const e of expected) expect(text).toContain(e);
    });

    it('checks the Compliance group and the connector group first, then gatherAADInfo and its three outcomes', async () => {
      // Patti's MacBook Pro: registered and in the Compliance group, Patti in the connector group.
      const text = await ask('my mac still shows N/A after an hour', PATTI);
      expect(text).toMatch(/Patti’s MacBook Pro” is registered/);
      expect(text).toMatch(/Patti’s MacBook Pro” passes IT’s security checks/);
      expect(text).toContain('Your account is allowed to report Mac compliance');
      expect(text).toContain('/usr/local/jamf/bin/jamfaad gatherAADInfo');
      expect(text).toContain('Microsoft Entra ID acquired for macOS user');
      expect(text).toContain('you sign in without an error');
      expect(text).toContain('signing in shows an error');
    });

    it('a failed check is the answer: Lynne is not in the connector group, so no gatherAADInfo yet', async () => {
      const text = await ask('my mac shows N/A', LYNNE);
      expect(text).toContain('not in the group allowed to report Mac compliance');
      expect(text).not.toContain('/usr/local/jamf/bin/jamfaad gatherAADInfo');
    });

    it('an unknown message from an end user gets the menu, never silence', async () => {
      const text = await ask('what is the weather like', MEGAN);
      expect(text).toContain('here is what I can help with');
      expect(text).toContain('You wrote: what is the weather like');
      for (const b of ['Is my Mac OK?', 'How do I register?', 'Contact IT']) expect(text).toContain(b);
    });

    it('an admin\'s typo of an admin command still gets "did you mean", not the intent', async () => {
      expect(await ask('conector status', ADMIN)).toContain('Did you mean **connector status**');
      expect(await ask('rolout status', ADMIN)).toContain('Did you mean **rollout**');
      // Clearly about their own Mac: the status card.
      expect(await ask('check my mac', ADMIN)).toContain('All set');
    });

    it('an admin\'s unknown message still gets "did you mean"', async () => {
      const text = await ask('chek devise', ADMIN);
      expect(text).toContain("I didn't catch that");
      expect(text).toContain('Did you mean **check device**');
    });
  });
});
