import type { AccessPolicy } from '../../../src/teams/accessPolicy';
import { identifyCaller } from '../../../src/teams/pipeline/identifyCaller';
import { ADMIN, TENANT, actionTurn, messageTurn, messages, spyNext } from './fakeTurns';

const FOREIGN = '11111111-2222-3333-4444-555555555555';
const access = (admin: boolean): AccessPolicy => ({
  tenantAllowed: (t) => t === TENANT,
  isAdmin: async () => admin,
});
const foreign = {
  channelData: { tenant: { id: FOREIGN } },
  conversation: { id: 'x', tenantId: FOREIGN, isGroup: false, name: '', conversationType: 'personal' },
};

describe('identifyCaller', () => {
  it('admits our tenant and records who the caller is and whether they are an admin', async () => {
    const m = messageTurn('help', { caller: null });
    const next = spyNext();
    await identifyCaller(access(true))(m.turn, next);
    expect(next).toHaveBeenCalledTimes(1);
    expect(m.turn.caller).toEqual(ADMIN);
    const u = messageTurn('help', { caller: null });
    await identifyCaller(access(false))(u.turn, spyNext());
    expect(u.turn.caller?.isAdmin).toBe(false);
  });

  it('ends a foreign tenant turn silently, logging (not auditing) it', async () => {
    const m = messageTurn('help', { caller: null, activity: foreign });
    const next = spyNext();
    await identifyCaller(access(true))(m.turn, next);
    expect(next).not.toHaveBeenCalled();
    expect(m.sent).toEqual([]);
    expect(messages(m)).toEqual(['refused: activity from a tenant that is not ours']);
    expect(m.logs[0]).toMatchObject({ tenantId: FOREIGN, from: ADMIN.teamsUserId, scope: 'personal' });
  });

  it('answers a foreign card action with 403', async () => {
    const a = actionTurn('device.refresh', {}, { caller: null, activity: foreign });
    await identifyCaller(access(true))(a.turn, spyNext());
    expect(a.turn.result).toEqual({
      statusCode: 403,
      type: 'application/vnd.microsoft.error',
      value: { code: 'Forbidden', message: 'This bot only serves its own tenant.' },
    });
  });
});
