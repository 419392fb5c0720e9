import { authorize } from '../../../src/teams/pipeline/authorize';
import { ADMIN, END_USER, actionTurn, messageTurn, messages, sentText, spyNext } from './fakeTurns';

const at = new Date('2026-12-01T10:00:00Z');
function auditLog(fail = false) {
  const entries: unknown[] = [];
  return {
    entries,
    audit: {
      appendAudit: async (e: unknown) => {
        if (fail) throw new Error('disk full');
        return entries.push(e);
      },
    },
  };
}

describe('authorize', () => {
  it('lets admins run admin commands and anyone run the rest', async () => {
    const step = authorize({ now: () => at });
    const admin = messageTurn('connector status', { caller: ADMIN });
    admin.turn.handler = { name: 'connector status', audience: 'admin' };
    const next = spyNext();
    await step(admin.turn, next);
    const user = messageTurn('help', { caller: END_USER });
    user.turn.handler = { name: 'help', audience: 'everyone' };
    await step(user.turn, next);
    expect(next).toHaveBeenCalledTimes(2);
  });

  it('refuses an admin command to a non-admin: logged, counted, audited, answered', async () => {
    const { entries, audit } = auditLog();
    const m = messageTurn('connector status', { caller: END_USER });
    m.turn.handler = { name: 'connector status', audience: 'admin' };
    const next = spyNext();
    await authorize({ audit, now: () => at })(m.turn, next);
    expect(next).not.toHaveBeenCalled();
    expect(m.logs[0]).toMatchObject({
      msg: 'refused: admin command from a non-admin',
      command: 'connector status',
      aadObjectId: END_USER.aadObjectId,
      scope: 'personal',
    });
    expect(m.counts).toEqual([['connector status', 'refused_admin']]);
    expect(entries).toEqual([
      {
        at: at.toISOString(),
        actor: { teamsUserId: END_USER.teamsUserId, aadObjectId: END_USER.aadObjectId, name: END_USER.name },
        action: 'connector status',
        target: null,
        outcome: 'refused',
        details: { reason: 'admin command from a non-admin' },
      },
    ]);
    expect(sentText(m)).toContain('That command is for IT admins');
  });

  it('refuses an admin button to a non-admin with a message, whatever the card says', async () => {
    const { entries, audit } = auditLog();
    const a = actionTurn('device.refresh', {}, { caller: END_USER });
    a.turn.handler = { name: 'device.refresh', audience: 'admin' };
    await authorize({ audit, now: () => at })(a.turn, spyNext());
    expect(a.logs[0]).toMatchObject({
      msg: 'refused: admin card action from a non-admin',
      verb: 'device.refresh',
    });
    expect(entries).toMatchObject([
      { action: 'device.refresh', details: { reason: 'admin card action from a non-admin' } },
    ]);
    expect(a.turn.result?.value).toBe('Only IT admins can use this button.');
  });

  it('still answers when the audit fails, and logs the failure', async () => {
    const m = messageTurn('connector status', { caller: END_USER });
    m.turn.handler = { name: 'connector status', audience: 'admin' };
    await authorize({ audit: auditLog(true).audit, now: () => at })(m.turn, spyNext());
    expect(messages(m)).toEqual(['refused: admin command from a non-admin', 'could not audit a refusal']);
    expect(sentText(m)).toContain('That command is for IT admins');
  });
});
