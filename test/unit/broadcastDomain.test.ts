import { backoffMs, classifySendFailure } from '../../src/broadcasts/classifySendFailure';
import { campaignCsv } from '../../src/broadcasts/campaignCsv';
import { checkCron } from '../../src/broadcasts/campaignSchedules';
import { parseRemindOptions, parseScheduleOptions, tokenize } from '../../src/broadcasts/parseRemindOptions';
import { InstallRefusedError } from '../../src/broadcasts/proactiveInstaller';
import { ConnectorSendError } from '../../src/broadcasts/reminderTransport';
import { RequestPacer } from '../../src/broadcasts/requestPacer';
import { selectAudience } from '../../src/broadcasts/selectAudience';
import { SignedDownloads } from '../../src/broadcasts/signedDownloads';
import { reminderCardModel } from '../../src/cards/reminderCardModel';
import { renderCard } from '../../src/cards/renderCard';
import { diagnoseMac } from '../../src/compliance/diagnoseMac';
import { DEFAULT_CRITERIA } from '../../src/compliance/defaultCriteria';
import type { OutboxRow } from '../../src/store/campaignStore';
import { checkCard } from '../helpers/validateCard';
import { entraUser, macRecord, NOW } from './complianceFixtures';

const err = (
  status: number | null,
  code: string | null,
  retryAfterMs: number | null = null,
  requestWritten: boolean | null = null,
) => new ConnectorSendError('x', status, code, retryAfterMs, requestWritten);

describe('classifySendFailure', () => {
  it.each([
    // Teams certainly did not act: retried.
    [err(429, 'TooManyRequests', 2000), { kind: 'throttled', retryAfterMs: 2000 }],
    [err(412, 'PreconditionFailed'), { kind: 'transient' }],
    [err(408, null), { kind: 'transient' }],
    [err(401, 'Unauthorized'), { kind: 'transient' }],
    [err(503, null, 1000), { kind: 'transient', retryAfterMs: 1000 }],
    [err(null, 'ECONNREFUSED'), { kind: 'transient', detail: 'network ECONNREFUSED' }],
    [err(null, 'ENOTFOUND'), { kind: 'transient' }],
    [err(null, 'EAI_AGAIN'), { kind: 'transient' }],
    [err(null, 'EHOSTUNREACH'), { kind: 'transient' }],
    [err(null, 'UND_ERR_CONNECT_TIMEOUT'), { kind: 'transient' }],
    [err(null, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'), { kind: 'transient' }],
    [err(null, 'DEPTH_ZERO_SELF_SIGNED_CERT'), { kind: 'transient' }],
    [err(null, 'ERR_TLS_CERT_ALTNAME_INVALID'), { kind: 'transient' }],
    [err(null, 'ERR_SSL_WRONG_VERSION_NUMBER'), { kind: 'transient' }],
    // A reset or a timeout before the whole request was written: nothing can have arrived.
    [err(null, 'ECONNRESET', null, false), { kind: 'transient' }],
    [err(null, 'SEND_TIMEOUT', null, false), { kind: 'transient' }],
    // Teams may have acted: in doubt, never retried.
    [err(502, 'BadGateway'), { kind: 'ambiguous', reason: 'gateway_error', detail: '502 BadGateway' }],
    [err(504, null), { kind: 'ambiguous', reason: 'gateway_error' }],
    [err(500, 'InternalServerError'), { kind: 'ambiguous', reason: 'server_error' }],
    [err(503, 'ServiceUnavailable'), { kind: 'ambiguous', reason: 'server_error' }],
    [err(null, 'ECONNRESET', null, true), { kind: 'ambiguous', reason: 'connection_lost' }],
    [err(null, 'EPIPE', null, true), { kind: 'ambiguous', reason: 'connection_lost' }],
    [err(null, 'UND_ERR_SOCKET', null, true), { kind: 'ambiguous', reason: 'connection_lost' }],
    [err(null, 'SEND_TIMEOUT', null, true), { kind: 'ambiguous', reason: 'no_answer' }],
    [err(null, 'UND_ERR_HEADERS_TIMEOUT'), { kind: 'ambiguous', reason: 'no_answer' }],
    [err(null, 'UND_ERR_BODY_TIMEOUT'), { kind: 'ambiguous', reason: 'no_answer' }],
    [err(null, 'ETIMEDOUT', null, true), { kind: 'ambiguous', reason: 'no_answer' }],
    // Written whole, then a TLS or "not connected" code (raised mid-stream, on the answer): the
    // evidence wins over the code — Teams may have the reminder.
    [
      err(null, 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC', null, true),
      { kind: 'ambiguous', reason: 'connection_lost' },
    ],
    [err(null, 'ERR_TLS_CERT_ALTNAME_INVALID', null, true), { kind: 'ambiguous', reason: 'connection_lost' }],
    [err(null, 'ECONNREFUSED', null, true), { kind: 'ambiguous', reason: 'connection_lost' }],
    // Not written: retried whatever the code.
    [err(null, 'ERR_SSL_WRONG_VERSION_NUMBER', null, false), { kind: 'transient' }],
    // The HTTP layer could not tell whether the request was out (a proxy agent): in doubt.
    [err(null, 'ECONNRESET'), { kind: 'ambiguous', reason: 'connection_lost' }],
    [err(null, null), { kind: 'ambiguous', reason: 'connection_lost' }],
    // Not a Bot Connector answer (a re-check's Jamf or Graph error): retried.
    [new Error('socket hang up'), { kind: 'transient' }],
    [err(403, 'ConversationBlockedByUser'), { kind: 'permanent', reason: 'blocked' }],
    [err(403, 'BotDisabledByAdmin'), { kind: 'permanent', reason: 'bot_disabled' }],
    [err(403, 'BotNotInConversationRoster'), { kind: 'permanent', reason: 'not_installed' }],
    [err(404, 'UserNotFound'), { kind: 'permanent', reason: 'user_not_found' }],
    [err(404, 'ConversationNotFound'), { kind: 'permanent', reason: 'conversation_not_found' }],
    [err(403, 'Forbidden'), { kind: 'permanent', reason: 'forbidden' }],
    [err(400, 'BadArgument'), { kind: 'permanent', reason: 'bad_request' }],
    // The bot's own: no Bot Connector URL known to start a 1:1 from (not Teams refusing).
    [err(400, 'NoServiceUrl'), { kind: 'permanent', reason: 'no_conversation' }],
    [
      new InstallRefusedError('Graph 403: blocked'),
      { kind: 'permanent', reason: 'install_refused', detail: 'Graph 403: blocked' },
    ],
  ])('%s → %o', (e, expected) => {
    expect(classifySendFailure(e)).toMatchObject(expected);
  });

  it('backoff grows exponentially with jitter, bounded by the maximum', () => {
    expect(backoffMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffMs(3, 1000, 60_000, () => 1)).toBe(4000);
    expect(backoffMs(20, 1000, 60_000, () => 1)).toBe(60_000);
  });
});

describe('selectAudience', () => {
  const fleet = [
    macRecord({
      jamf: { id: '1', name: 'A1' },
      entra: null,
      user: entraUser({ id: 'u-a', displayName: 'Ann' }),
    }),
    macRecord({
      jamf: { id: '2', name: 'A2', groups: [] },
      user: entraUser({ id: 'u-a', displayName: 'Ann' }),
    }),
    macRecord({ jamf: { id: '3', name: 'B1' }, user: entraUser({ id: 'u-b' }) }), // compliant
    macRecord({ jamf: { id: '4', name: 'C1' }, entra: null, user: null }),
    macRecord({ jamf: { id: '5', name: 'D1' }, entra: null, user: entraUser({ id: 'u-d' }) }),
  ].map((record) => ({ record, diagnosis: diagnoseMac(record, DEFAULT_CRITERIA, NOW) }));

  it('one recipient per user with their Macs in the audience; Macs without a user are counted', () => {
    const all = selectAudience(fleet, 'all', null);
    expect(all.recipients.map((r) => [r.recipientId, r.macs.map((m) => m.name)])).toEqual([
      ['u-a', ['A1']],
      ['u-d', ['D1']],
    ]);
    expect(all.unreachableMacs).toBe(1);
    expect(all.macsByVerdict).toEqual({ not_registered: 2 });
    expect(selectAudience(fleet, 'non-compliant', null).recipients).toEqual([]);
  });

  it('a group keeps only its members', () => {
    const sel = selectAudience(fleet, 'not-registered', new Set(['u-d']));
    expect(sel.recipients.map((r) => r.recipientId)).toEqual(['u-d']);
    expect(sel.outsideGroup).toBe(1);
  });
});

describe('remind options', () => {
  it('tokenizes quoted values', () => {
    expect(tokenize('group "Sales Team" deadline 2026-12-31')).toEqual([
      'group',
      'Sales Team',
      'deadline',
      '2026-12-31',
    ]);
    expect(tokenize('group “Sales Team”')).toEqual(['group', 'Sales Team']);
  });
  it('parses send options and refuses mistakes with a clear message', () => {
    expect(parseRemindOptions('audience not-registered group "IT" deadline 2026-12-31', NOW)).toEqual({
      audience: 'not-registered',
      groupName: 'IT',
      deadline: '2026-12-31',
    });
    expect(parseRemindOptions('', NOW)).toEqual({ audience: 'all', groupName: null, deadline: null });
    expect(() => parseRemindOptions('deadline 2026-02-30', NOW)).toThrow('a date like');
    expect(() => parseRemindOptions('deadline 2020-01-01', NOW)).toThrow('in the past');
    expect(() => parseRemindOptions('audience', NOW)).toThrow('needs a value');
    expect(() => parseRemindOptions('colour red', NOW)).toThrow('don’t know'.replace('’', "'"));
  });
  it('parses schedules and checks the cron and the time zone', () => {
    expect(parseScheduleOptions('"0 9 * * MON" tz Europe/Paris deadline-days 7', NOW, checkCron)).toEqual({
      cron: '0 9 * * MON',
      timeZone: 'Europe/Paris',
      audience: 'all',
      groupName: null,
      deadlineDays: 7,
    });
    expect(checkCron('0 9 * * MON', 'UTC')).toBeNull();
    expect(checkCron('61 * * * *', 'UTC')).toMatch(/not a cron expression/);
    expect(checkCron('0 9 * * MON', 'Nowhere/Atlantis')).toMatch(/not a time zone/);
  });
});

describe('reminder card', () => {
  it('is personal, lists each Mac with numbered steps, the deadline and Check again (status.check)', () => {
    const card = renderCard(
      'reminderCard',
      reminderCardModel(
        { name: 'Megan Bowen' },
        [
          {
            computerId: '2',
            name: 'Megan’s MacBook Air',
            serialNumber: 'C02DEMO0002',
            verdictLabel: 'Not registered',
            headline: 'This Mac is not registered.',
            steps: [
              { label: 'Not registered', fix: 'Run **Register** in Self Service.' },
              { label: 'Portal', fix: 'Install Company Portal from Self Service.' },
            ],
          },
        ],
        '2026-12-01',
        'c-7f3a9e21',
      ),
    );
    const text = JSON.stringify(card);
    expect(text).toContain('Megan, your Mac needs attention');
    expect(text).toContain('Please fix it by Tuesday, 1 December 2026.');
    expect(text).toContain('2. Install Company Portal');
    // Check again says which campaign's reminder it is on (the funnel counts the press).
    expect(card.actions).toEqual([
      {
        type: 'Action.Execute',
        title: 'Check again',
        verb: 'status.check',
        data: { campaignId: 'c-7f3a9e21' },
      },
    ]);
    expect(checkCard(card).problems).toEqual([]);
  });
});

describe('signed download links', () => {
  const links = new SignedDownloads('k'.repeat(32), 60_000);
  it('verify only their own, unexpired path', () => {
    const link = links.link('/downloads/campaigns/c-1.csv', 1000);
    const q = new URLSearchParams(link.split('?')[1]);
    expect(links.verify('/downloads/campaigns/c-1.csv', q, 2000)).toBe(true);
    expect(links.verify('/downloads/campaigns/c-2.csv', q, 2000)).toBe(false);
    expect(links.verify('/downloads/campaigns/c-1.csv', q, 70_000)).toBe(false);
    expect(new SignedDownloads('x'.repeat(32), 60_000).verify('/downloads/campaigns/c-1.csv', q, 2000)).toBe(
      false,
    );
  });
});

describe('campaign CSV', () => {
  it('one line per recipient; a cell a spreadsheet would run as a formula is defused', async () => {
    const row = (seq: number, name: string): OutboxRow => ({
      campaignId: 'c',
      recipientId: `u${seq}`,
      seq,
      recipient: {
        recipientId: `u${seq}`,
        name,
        upn: 'a@b.c',
        macs: [{ computerId: '1', name: 'Mac, "one"', serialNumber: 'S', verdict: 'x' }],
      },
      state: 'sent',
      reason: null,
      detail: null,
      attempts: 0,
      throttles: 0,
      notBefore: null,
      leaseOwner: null,
      leaseUntil: null,
      conversationId: 'a:1',
      activityId: 'm',
      resentAt: null,
      updatedAt: '2026-11-26T00:00:00.000Z',
    });
    const csv = await campaignCsv(
      { listOutbox: async (_id, o) => (o.afterSeq === -1 ? [row(0, 'Ann'), row(1, '=HYPERLINK("x")')] : []) },
      'c',
    );
    const lines = csv.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('u0,Ann,a@b.c,"Mac, ""one"" (S)",sent,,,0,2026-11-26T00:00:00.000Z,,,,');
    expect(lines[2]).toContain(`"'=HYPERLINK(""x"")"`);
  });
});

describe('RequestPacer', () => {
  it('never grants more than the limit in any second, and holds everything during Retry-After', async () => {
    const pacer = new RequestPacer({ perSecond: 20, perConversation: [{ limit: 3, windowMs: 1000 }] });
    const grants: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => pacer.acquire(`c${i}`).then(() => grants.push(Date.now()))),
    );
    const inFirstSecond = grants.filter((t) => t - started < 1000).length;
    expect(inFirstSecond).toBeLessThanOrEqual(19);
    expect(inFirstSecond).toBeGreaterThanOrEqual(17);
    // Per conversation: the fourth request to one conversation waits for its window.
    const same: number[] = [];
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: 4 }, () => pacer.acquire('one').then(() => same.push(Date.now() - t0))),
    );
    expect(same[3]!).toBeGreaterThanOrEqual(900);
    pacer.pauseUntil(Date.now() + 300);
    const t1 = Date.now();
    await pacer.acquire('after');
    expect(Date.now() - t1).toBeGreaterThanOrEqual(290);
    pacer.close();
  });
});
