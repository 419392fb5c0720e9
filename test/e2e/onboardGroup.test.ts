import { DEMO_FLEET_IDS, DEMO_JAMF_GROUP_NAMES } from '../../demo/demoFleetIds';
import type { AuditEntry } from '../../src/store/botStore';
import { ADMIN, END_USER, cardActionActivity, messageActivity } from '../helpers/activities';
import {
  askCard,
  cardOf,
  cardText,
  expectSentCardsValid,
  startBot,
  type BotHarness,
} from '../helpers/botHarness';
import { validateJamfRequest, validateJamfSchema } from '../helpers/contracts';
import { checkAgainstCsdl, loadCsdl } from '../helpers/csdl';
import { checkCard } from '../helpers/validateCard';

const RULE = '(user.department -eq "Sales")';
const SMART_GROUPS = '/api/v3/computer-groups/smart-groups';
type Card = Record<string, unknown>;

/** The `data` of the card's Action.Execute with this verb, or undefined when the card has no such button. */
function actionData(card: Card | undefined, verb: string): Record<string, unknown> | undefined {
  const actions = (card?.actions ?? []) as { verb?: string; data?: Record<string, unknown> }[];
  return actions.find((a) => a.verb === verb)?.data;
}

/** Presses a card button as `from`; returns the invoke response (card or message). */
async function press(bot: BotHarness, verb: string, data: Record<string, unknown>, from = ADMIN) {
  const res = await bot.post(cardActionActivity(verb, data, { from, serviceUrl: bot.connector.serviceUrl }));
  expect(res.status).toBe(200);
  const body = res.body as { statusCode: number; type: string; value: unknown };
  expect(body.statusCode).toBe(200);
  return body;
}

/** Cards the bot put in place of the pressed one (`PUT …/activities/{id}`), in order; each must validate. */
function updates(bot: BotHarness): Card[] {
  const cards = bot.connector.calls
    .filter((c) => c.method === 'PUT')
    .map((c) => cardOf(c.body ?? undefined))
    .filter((c): c is Card => c !== undefined);
  for (const c of cards) expect(checkCard(c).problems).toEqual([]);
  return cards;
}

const writes = (bot: BotHarness) => ({
  graph: bot.demo.graph.requests.entries.filter(
    (e) =>
      e.method !== 'GET' &&
      e.endpoint !== 'POST /$batch' &&
      !e.endpoint.includes('checkMemberGroups') &&
      !e.path.includes('oauth2'),
  ),
  jamf: bot.demo.jamf.requests.entries.filter((e) => e.method !== 'GET' && !e.path.includes('/oauth/token')),
});

async function auditSince(bot: BotHarness, id: number): Promise<AuditEntry[]> {
  return (await bot.app.store.listAudit({ limit: 100 })).filter((e) => e.id > id).reverse();
}

async function lastAuditId(bot: BotHarness): Promise<number> {
  return (await bot.app.store.listAudit({ limit: 1 }))[0]?.id ?? 0;
}

/**
 * Starts the bot with the contract validators and the card checker loaded first: parsing the
 * 3 MB CSDL or the 2 MB OpenAPI in the middle of a test blocks the event loop for seconds, long
 * enough for the bot's server to drop the test client's idle keep-alive connection (ECONNRESET).
 * A request on such a dropped connection never reached the bot, so it is sent once more.
 */
async function startOnboardingBot(opts: { fresh?: boolean } = {}): Promise<BotHarness> {
  loadCsdl();
  validateJamfSchema('ApiError', {});
  checkCard({ type: 'AdaptiveCard', version: '1.5', body: [] });
  const bot = await startBot({}, opts);
  const post = bot.post.bind(bot);
  bot.post = async (activity) => {
    try {
      return await post(activity);
    } catch (e) {
      const code = (e as { cause?: { code?: string } }).cause?.code;
      if (code !== 'ECONNRESET' && code !== 'UND_ERR_SOCKET') throw e;
      return post(activity);
    }
  };
  return bot;
}

function clearLogs(bot: BotHarness): void {
  bot.connector.reset();
  bot.demo.graph.requests.entries.length = 0;
  bot.demo.jamf.requests.clear();
}

describe('onboard group on a fresh tenant: plan, apply, nothing to do the second time', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startOnboardingBot({ fresh: true });
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(() => clearLogs(bot));
  afterEach(() => expectSentCardsValid(bot));

  let planId = '';

  it('the plan lists every change and writes nothing', async () => {
    const before = await lastAuditId(bot);
    const card = await askCard(bot, `onboard group Mac users rule “${RULE.replace(/"/g, '”')}”`, ADMIN);
    const text = cardText(card);
    expect(text).toContain('Onboard Mac users: 4 changes to apply');
    expect(text).toContain('nothing has changed yet');
    expect(text).toContain('No Entra group is called **Mac users**');
    expect(text).toContain(
      '➕ Create the dynamic security group **Mac users** with the rule \\(user.department -eq "Sales"\\)',
    );
    expect(text).toContain('The connector’s macOS assignment has no group.');
    expect(text).toContain(`➕ Create the smart group **${DEMO_JAMF_GROUP_NAMES.applicable}**`);
    expect(text).toContain(`➕ Create the smart group **${DEMO_JAMF_GROUP_NAMES.compliance}**`);
    // Read through the Classic API: the fresh tenant has no registration policy; Apply cannot make one.
    expect(text).toContain('Jamf Pro has no policy named “Register with Microsoft Entra ID”');
    expect(text).toContain('Create it: Jamf Pro › Computers › Policies › New');
    expect(text).toMatch(/Company ?Portal\.app is installed on \d+ of 300 Macs/);
    expect(text).toContain('5. Conditional Access');
    planId = String(actionData(card, 'onboard.apply')?.planId ?? '');
    expect(planId).toMatch(/^[0-9a-f-]{36}$/);
    expect(writes(bot)).toEqual({ graph: [], jamf: [] });
    // Every read ran before the plan; the independent ones together.
    const [planned] = await auditSince(bot, before);
    expect(planned).toMatchObject({
      action: 'onboard group',
      target: 'Mac users',
      outcome: 'planned',
      actor: { aadObjectId: ADMIN.aadObjectId },
    });
    expect(planned?.details).toMatchObject({ planId, rule: RULE });
  });

  it('Apply makes the changes in order, updating the card after each step; the tenant then has everything', async () => {
    const before = await lastAuditId(bot);
    const res = await press(bot, 'onboard.apply', { planId });
    expect(res.type).toBe('application/vnd.microsoft.card.adaptive');
    const final = res.value as Card;
    expect(checkCard(final).problems).toEqual([]);
    const text = cardText(final);
    expect(text).toContain('Applied: Mac users is set up');
    expect(text).toContain('3 steps changed, applied by Alex Wilber');
    expect(text).toContain('Created the dynamic security group “Mac users”');
    expect(actionData(final, 'onboard.apply')).toBeUndefined();

    // In place, step by step: started, then after steps 1, 2 and 3.
    const steps = updates(bot).map(cardText);
    expect(steps).toHaveLength(4);
    expect(steps[0]).toContain('Applying the plan for Mac users…');
    expect(steps[1]).toMatch(/✅ Done[\s\S]*⏳ Waiting to apply[\s\S]*⏳ Waiting to apply/);
    expect(steps[3]).toContain('Applied: Mac users is set up');

    // The writes, in the real request shapes, in order.
    const w = writes(bot);
    expect(w.graph.map((e) => `${e.method} ${e.endpoint}`)).toEqual([
      'POST POST /groups',
      'PATCH PATCH /deviceManagement/complianceManagementPartners/{id}',
    ]);
    expect(w.graph[0]?.body).toEqual({
      displayName: 'Mac users',
      mailNickname: 'mac-users',
      description: expect.any(String),
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: ['DynamicMembership'],
      membershipRule: RULE,
      membershipRuleProcessingState: 'On',
    });
    expect(checkAgainstCsdl('group', w.graph[0]?.body)).toEqual([]);
    expect(checkAgainstCsdl('complianceManagementPartner', w.graph[1]?.body)).toEqual([]);
    expect(w.jamf.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      `POST ${SMART_GROUPS} 201`,
      `POST ${SMART_GROUPS} 201`,
    ]);
    for (const e of w.jamf) expect(validateJamfRequest('POST', e.path, e.body).errors).toEqual([]);

    // What the simulators now hold.
    const fleet = bot.demo.fleet;
    const group = fleet.graph.groups.find((g) => g.displayName === 'Mac users');
    expect(group).toMatchObject({
      securityEnabled: true,
      mailEnabled: false,
      groupTypes: ['DynamicMembership'],
      membershipRule: RULE,
      membershipRuleProcessingState: 'On',
    });
    const partner = fleet.graph.compliancePartners.find((p) => p.id === DEMO_FLEET_IDS.compliancePartnerId);
    expect(partner?.macOsEnrollmentAssignments).toEqual([
      { target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: group?.id } },
    ]);
    const applicable = fleet.jamf.smartGroups.find((g) => g.name === DEMO_JAMF_GROUP_NAMES.applicable);
    const compliance = fleet.jamf.smartGroups.find((g) => g.name === DEMO_JAMF_GROUP_NAMES.compliance);
    expect(applicable?.criteria.map((c) => `${c.name} ${c.searchType} ${c.value}`)).toEqual([
      'Application Title is CompanyPortal.app',
    ]);
    expect(compliance?.criteria.map((c) => `${c.andOr} ${c.name} ${c.searchType} ${c.value}`)).toEqual([
      'and Last Inventory Update less than x days ago 2',
      'and Application Title is CompanyPortal.app',
      'and FileVault 2 Partition Encryption State is All Partitions Encrypted',
    ]);
    // Jamf evaluated them: Macs with Company Portal are Applicable, fewer are compliant.
    expect(applicable?.members.length).toBeGreaterThan(0);
    expect(compliance?.members.length).toBeGreaterThan(0);
    expect(compliance!.members.length).toBeLessThan(applicable!.members.length);

    // Who pressed, and each step, in the audit log.
    const log = await auditSince(bot, before);
    expect(log.map((e) => [e.action, e.outcome, e.details.step ?? null])).toEqual([
      ['onboard.apply', 'started', null],
      ['onboard.apply', 'step_ok', 1],
      ['onboard.apply', 'step_ok', 2],
      ['onboard.apply', 'step_ok', 3],
      ['onboard.apply', 'applied', null],
    ]);
    for (const e of log) expect(e.actor).toMatchObject({ aadObjectId: ADMIN.aadObjectId, name: ADMIN.name });
  });

  it('a second plan shows nothing to do, and offers no Apply', async () => {
    const card = await askCard(bot, `onboard group "Mac users" rule "${RULE}"`, ADMIN);
    const text = cardText(card);
    expect(text).toContain('Onboard Mac users: nothing to change');
    expect(text).not.toContain('➕');
    expect(text).toContain('**Mac users** exists: security group, dynamic membership');
    expect(text).toContain('has the configured criteria');
    expect(actionData(card, 'onboard.apply')).toBeUndefined();
    expect(actionData(card, 'onboard.plan')).toEqual({ target: 'Mac users', rule: RULE });
    expect(writes(bot)).toEqual({ graph: [], jamf: [] });
  });

  it('pressing Apply on the old card again re-reads and changes nothing', async () => {
    const res = await press(bot, 'onboard.apply', { planId });
    const text = cardText(res.value);
    expect(text).toContain('Nothing changed: Mac users was already set up');
    expect(text).toContain('✅ Already in place — nothing changed');
    expect(writes(bot)).toEqual({ graph: [], jamf: [] });
    updates(bot);
  });

  it('Plan again replaces the card with a fresh plan', async () => {
    const res = await press(bot, 'onboard.plan', { target: 'Mac users', rule: RULE });
    expect(cardText(res.value)).toContain('Onboard Mac users: nothing to change');
    expect(checkCard(res.value).problems).toEqual([]);
  });
});

describe('onboard group on a partly set-up tenant', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startOnboardingBot();
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(() => clearLogs(bot));
  afterEach(() => expectSentCardsValid(bot));

  it('the existing connector group: only the missing Compliance group is created', async () => {
    const fleet = bot.demo.fleet;
    fleet.jamf.smartGroups = fleet.jamf.smartGroups.filter(
      (g) => g.id !== DEMO_FLEET_IDS.jamfGroups.compliance,
    );
    const card = await askCard(bot, 'onboard group Jamf Device Compliance Users', ADMIN);
    const text = cardText(card);
    expect(text).toContain('Onboard Jamf Device Compliance Users: 1 change to apply');
    expect(text).toContain('The connector’s macOS assignment: **Jamf Device Compliance Users**.');
    expect(text).toContain('Applicable: **Jamf-Intune Applicable Group** has the configured criteria.');
    expect(text).toContain('Compliance: no smart group is called **Jamf-Intune Compliance Group**.');
    const res = await press(bot, 'onboard.apply', { planId: actionData(card, 'onboard.apply')?.planId });
    expect(cardText(res.value)).toContain('Applied: Jamf Device Compliance Users is set up');
    expect(writes(bot).graph).toEqual([]);
    expect(writes(bot).jamf.map((e) => `${e.method} ${e.path}`)).toEqual([`POST ${SMART_GROUPS}`]);
    expect(fleet.jamf.smartGroups.filter((g) => g.name === DEMO_JAMF_GROUP_NAMES.compliance)).toHaveLength(1);
    updates(bot);
  });

  it('a new group beside an existing assignment: created and added, the old group kept', async () => {
    const card = await askCard(bot, 'onboard group Mac pilot', ADMIN);
    expect(cardText(card)).toContain('➕ Create the security group **Mac pilot** with assigned membership');
    const res = await press(bot, 'onboard.apply', { planId: actionData(card, 'onboard.apply')?.planId });
    expect(cardText(res.value)).toContain('Applied: Mac pilot is set up');
    const pilot = bot.demo.fleet.graph.groups.find((g) => g.displayName === 'Mac pilot');
    expect(pilot).toMatchObject({ groupTypes: [], membershipRule: null, securityEnabled: true });
    const partner = bot.demo.fleet.graph.compliancePartners[0];
    expect(partner?.macOsEnrollmentAssignments.map((a) => a.target.groupId)).toEqual([
      DEMO_FLEET_IDS.connectorGroupId,
      pilot?.id,
    ]);
  });

  it('an *all users* assignment is shown and removed; drift in a smart group is reported, not changed', async () => {
    const fleet = bot.demo.fleet;
    const partner = fleet.graph.compliancePartners[0]!;
    partner.macOsEnrollmentAssignments = [
      { target: { '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget' } },
    ];
    const compliance = fleet.jamf.smartGroups.find((g) => g.name === DEMO_JAMF_GROUP_NAMES.compliance)!;
    const saved = compliance.criteria;
    compliance.criteria = saved.map((c) => (c.name === 'Last Inventory Update' ? { ...c, value: '7' } : c));
    try {
      const card = await askCard(bot, 'onboard group Jamf Device Compliance Users', ADMIN);
      const text = cardText(card);
      expect(text).toContain('The connector’s macOS assignment: *all users*.');
      expect(text).toContain('➕ Remove the *all users* target');
      expect(text).toContain('I do not change an existing smart group');
      expect(text).toContain('less than x days ago 7');
      await press(bot, 'onboard.apply', { planId: actionData(card, 'onboard.apply')?.planId });
      expect(partner.macOsEnrollmentAssignments).toEqual([
        {
          target: {
            '@odata.type': '#microsoft.graph.groupAssignmentTarget',
            groupId: DEMO_FLEET_IDS.connectorGroupId,
          },
        },
      ]);
      expect(compliance.criteria.find((c) => c.name === 'Last Inventory Update')?.value).toBe('7');
      expect(writes(bot).jamf).toEqual([]);
    } finally {
      compliance.criteria = saved;
    }
  });

  it('a non-admin pressing Apply is refused, audited, and nothing changes', async () => {
    const card = await askCard(bot, 'onboard group Sales Macs', ADMIN);
    const planId = actionData(card, 'onboard.apply')?.planId;
    const before = await lastAuditId(bot);
    clearLogs(bot);
    const res = await press(bot, 'onboard.apply', { planId }, END_USER);
    expect(res.value).toBe('Only IT admins can use this button.');
    expect(writes(bot)).toEqual({ graph: [], jamf: [] });
    expect(bot.demo.fleet.graph.groups.some((g) => g.displayName === 'Sales Macs')).toBe(false);
    const [refusal] = await auditSince(bot, before);
    expect(refusal).toMatchObject({
      action: 'onboard.apply',
      outcome: 'refused',
      actor: { aadObjectId: END_USER.aadObjectId },
      details: { reason: 'admin card action from a non-admin' },
    });
    // …and typing the command is refused too.
    expect(cardText(await askCard(bot, 'onboard group Sales Macs', END_USER))).toContain(
      'That command is for IT admins',
    );
  });

  it('a rule Graph rejects comes back as a clear message at step 1', async () => {
    const card = await askCard(bot, 'onboard group Rule test rule "department is Sales"', ADMIN);
    const res = await press(bot, 'onboard.apply', { planId: actionData(card, 'onboard.apply')?.planId });
    const text = cardText(res.value);
    expect(text).toContain('Step 1 failed: Entra user group');
    expect(text).toContain("Invalid value specified for property 'membershipRule'");
    expect(text).toContain('Check the group name and rule, then plan again.');
    expect(bot.demo.fleet.graph.groups.some((g) => g.displayName === 'Rule test')).toBe(false);
  });

  it('what it cannot read gets a clear message, not a crash', async () => {
    expect(cardText(await askCard(bot, 'onboard group "Mac users', ADMIN))).toContain('never closed');
    bot.connector.reset();
    expect(
      cardText(await askCard(bot, 'onboard group Mac users rule "(user.department -eq "Sales")', ADMIN)),
    ).toContain('must end with its closing quote');
    bot.connector.reset();
    expect(cardText(await askCard(bot, 'onboard group', ADMIN))).toContain('Tell me which Entra user group');
    bot.connector.reset();
    const unknownId = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    expect(cardText(await askCard(bot, `onboard group ${unknownId}`, ADMIN))).toContain(
      `No Entra group has the object id ${unknownId}`,
    );
    bot.connector.reset();
    const r = await press(bot, 'onboard.apply', { planId: 'not-a-plan' });
    expect(r.value).toContain("That button sent something I can't use");
    const gone = await press(bot, 'onboard.apply', { planId: '00000000-0000-4000-8000-000000000000' });
    expect(gone.value).toContain('I do not have that plan any more');
  });

  it('a failed read stops the plan with the error card; only the inventory count may be missing', async () => {
    bot.demo.jamf.faults.failNext(1000, { status: 503, path: '/api/v4/computers-inventory' });
    const partial = cardText(await askCard(bot, 'onboard group Jamf Device Compliance Users', ADMIN));
    expect(partial).toContain('nothing to change');
    expect(partial).toContain('I could not read the Jamf inventory to look for Company Portal.');
    bot.demo.jamf.faults.clear();
    bot.connector.reset();
    const before = await lastAuditId(bot);
    bot.demo.graph.faults.failNext(1000, { status: 503, path: '/identity/conditionalAccess' });
    const failed = cardText(await askCard(bot, 'onboard group Jamf Device Compliance Users', ADMIN));
    bot.demo.graph.faults.clear();
    expect(failed).toContain('Microsoft Graph (Entra ID and Intune)');
    expect(failed).toContain('What to try');
    expect(await auditSince(bot, before)).toEqual([]); // no plan was made
  });

  it('audit shows the newest entries, pages back with Older, and is for admins only', async () => {
    const card = await askCard(bot, 'audit', ADMIN);
    const text = cardText(card);
    expect(text).toContain('Audit log');
    expect(text).toContain('onboard.apply');
    expect(text).toContain('⛔ refused');
    expect(text).toContain('append-only');
    const older = actionData(card, 'audit.page');
    expect(older).toBeDefined();
    const page = await press(bot, 'audit.page', older!);
    const pageText = cardText(page.value);
    expect(checkCard(page.value).problems).toEqual([]);
    expect(pageText).toContain(`Entries before #${String(older!.beforeId)}`);
    const ids = (t: string) => [...t.matchAll(/\*\*#(\d+)\*\*/g)].map((m) => Number(m[1]));
    expect(Math.max(...ids(pageText))).toBeLessThan(Math.min(...ids(text)));
    bot.connector.reset();
    const filtered = cardText(await askCard(bot, 'audit onboard group', ADMIN));
    expect(filtered).toContain('📝 planned');
    expect(filtered).not.toContain('onboard.apply');
    bot.connector.reset();
    expect(cardText(await askCard(bot, 'audit', END_USER))).toContain('That command is for IT admins');
    const refused = await press(bot, 'audit.page', {}, END_USER);
    expect(refused.value).toBe('Only IT admins can use this button.');
  });
});

describe('onboard group: a write rejected mid-way', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startOnboardingBot({ fresh: true });
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(() => clearLogs(bot));
  afterEach(() => expectSentCardsValid(bot));

  it('Jamf Pro answers 403 on step 3: the run stops there, says why, and steps 1–2 are recorded; Apply again finishes', async () => {
    const card = await askCard(bot, 'onboard group Mac users', ADMIN);
    const planId = actionData(card, 'onboard.apply')?.planId;
    const before = await lastAuditId(bot);
    bot.demo.jamf.faults.failNext(1, { status: 403, method: 'POST', path: SMART_GROUPS });
    const res = await press(bot, 'onboard.apply', { planId });
    const final = res.value as Card;
    const text = cardText(final);
    expect(text).toContain('Step 3 failed: Jamf smart groups (Applicable, Compliance)');
    expect(text).toContain(
      'Steps 1 and 2 were applied and recorded in the audit log; nothing after step 3 ran.',
    );
    expect(text).toContain(
      'Jamf Pro answered 403 to POST /api/v3/computer-groups/smart-groups: INVALID\\_PRIVILEGE',
    );
    expect(text).toContain('Create Smart Computer Groups');
    expect(actionData(final, 'onboard.apply')).toBeDefined(); // Apply again
    expect(cardText(updates(bot).at(-1))).toContain('Step 3 failed');

    const log = await auditSince(bot, before);
    expect(log.map((e) => [e.outcome, e.details.step ?? null])).toEqual([
      ['started', null],
      ['step_ok', 1],
      ['step_ok', 2],
      ['step_failed', 3],
      ['failed', null],
    ]);
    expect(String(log[3]?.details.summary)).toContain('403');
    // Steps 1–2 really happened; step 3 did not.
    const group = bot.demo.fleet.graph.groups.find((g) => g.displayName === 'Mac users');
    expect(group).toBeDefined();
    expect(bot.demo.fleet.graph.compliancePartners[0]?.macOsEnrollmentAssignments[0]?.target.groupId).toBe(
      group?.id,
    );
    expect(bot.demo.fleet.jamf.smartGroups.some((g) => g.name === DEMO_JAMF_GROUP_NAMES.applicable)).toBe(
      false,
    );

    // The privilege fixed, Apply again: 1–2 are skipped (already there), 3 is made.
    clearLogs(bot);
    const again = await press(bot, 'onboard.apply', { planId });
    const againText = cardText(again.value);
    expect(againText).toContain('Applied: Mac users is set up');
    expect(againText).toContain('✅ Already in place — nothing changed');
    expect(writes(bot).graph).toEqual([]);
    expect(writes(bot).jamf).toHaveLength(2);
  });

  it('two presses at once: each thing is created once', async () => {
    const card = await askCard(bot, 'onboard group Twice Macs', ADMIN);
    const planId = actionData(card, 'onboard.apply')?.planId;
    const [a, b] = await Promise.all([
      press(bot, 'onboard.apply', { planId }),
      press(bot, 'onboard.apply', { planId }),
    ]);
    const answers = [a, b].map((r) => (typeof r.value === 'string' ? r.value : cardText(r.value)));
    expect(answers.some((t) => t.includes('Applied: Twice Macs is set up'))).toBe(true);
    expect(bot.demo.fleet.graph.groups.filter((g) => g.displayName === 'Twice Macs')).toHaveLength(1);
    expect(writes(bot).graph.filter((e) => e.endpoint === 'POST /groups')).toHaveLength(1);
    expect(writes(bot).graph.filter((e) => e.method === 'PATCH')).toHaveLength(1);
  });

  it('a plan older than an hour is not applied', async () => {
    const id = '11111111-1111-4111-8111-111111111111';
    await bot.app.store.saveOnboardingPlan({
      id,
      createdAt: new Date(Date.now() - 61 * 60_000).toISOString(),
      actor: { teamsUserId: ADMIN.teamsId, aadObjectId: ADMIN.aadObjectId, name: ADMIN.name },
      target: 'Old Macs',
      plan: { steps: [], changeCount: 1, groupLabel: 'Old Macs' },
    });
    const res = await press(bot, 'onboard.apply', { planId: id });
    expect(res.value).toContain('more than an hour old');
    const [entry] = await bot.app.store.listAudit({ limit: 1 });
    expect(entry).toMatchObject({ action: 'onboard.apply', outcome: 'refused', details: { planId: id } });
    expect(writes(bot)).toEqual({ graph: [], jamf: [] });
  });

  it('Graph answers 403 on step 1: nothing after it runs', async () => {
    const card = await askCard(bot, 'onboard group Other Macs', ADMIN);
    bot.demo.graph.faults.failNext(1, { status: 403, method: 'POST', path: '/groups' });
    const res = await press(bot, 'onboard.apply', { planId: actionData(card, 'onboard.apply')?.planId });
    const text = cardText(res.value);
    expect(text).toContain('Step 1 failed: Entra user group');
    expect(text).toContain('Authorization\\_RequestDenied');
    expect(text).toContain('Group.ReadWrite.All');
    expect(text).toContain('Nothing after step 1 ran.');
    expect(text).toContain('⏸️ Not run');
    expect(bot.demo.fleet.graph.groups.some((g) => g.displayName === 'Other Macs')).toBe(false);
  });

  it('planning from a team channel writes nothing either', async () => {
    const res = await bot.post(
      messageActivity('onboard group Channel Macs', {
        scope: 'channel',
        serviceUrl: bot.connector.serviceUrl,
      }),
    );
    expect(res.status).toBe(200);
    const [sent] = await bot.connector.waitForSent(1);
    expect(cardText(cardOf(sent))).toContain('Onboard Channel Macs');
    expect(writes(bot)).toEqual({ graph: [], jamf: [] });
  });
});

describe('onboard group with the inventory index loaded', () => {
  it('counts Company Portal from the index: planning reads no Jamf inventory', async () => {
    const bot = await startBot();
    try {
      // The index is the fleet snapshot's computers (no second load of the fleet from Jamf).
      await bot.app.fleetSync.syncNow();
      await bot.app.inventory.refresh();
      bot.demo.jamf.requests.clear();
      const text = cardText(await askCard(bot, 'onboard group Mac users', ADMIN));
      expect(text).toMatch(/Company ?Portal\.app is installed on \d+ of 300 Macs/);
      expect(
        bot.demo.jamf.requests.entries.filter((e) => e.path.startsWith('/api/v4/computers-inventory')),
      ).toEqual([]);
    } finally {
      await bot.close();
    }
  });
});
