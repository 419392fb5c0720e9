import type { CommandContext } from '../../../src/commands/commandTypes';
import type { AccessPolicy } from '../../../src/teams/accessPolicy';
import { runChain } from '../../../src/teams/pipeline/runChain';
import { turnPipelines, type PipelineDeps } from '../../../src/teams/pipeline/turnPipelines';
import { END_USER, TENANT, actionTurn, messageTurn, messages, sentText } from './fakeTurns';
import { testRegistry } from './testRegistry';

const access = (admin: boolean): AccessPolicy => ({
  tenantAllowed: (t) => t === TENANT,
  isAdmin: async () => admin,
});
const endUserFrom = { from: { id: END_USER.teamsUserId, name: 'Eve User', aadObjectId: 'bbbb' } };

const base = {
  registry: testRegistry({
    run: async (ctx: CommandContext) => {
      if (ctx.args === 'fail') throw new Error('the command broke');
      await ctx.reply(`ran ${ctx.args}`);
    },
  }),
  access: access(true),
  now: () => new Date('2026-12-01T10:00:00Z'),
  rateLimit: { commands: 2, windowSeconds: 60 },
};

function pipelines(overrides: Partial<PipelineDeps> = {}) {
  return turnPipelines({ ...base, ...overrides });
}

describe('turnPipelines', () => {
  it('runs a message through every step to the command, counted ok', async () => {
    const m = messageTurn('help me', { caller: null });
    await runChain(pipelines().message, m.turn);
    expect(sentText(m)).toContain('ran me');
    expect(messages(m)).toEqual(['running command']);
    expect(m.counts).toEqual([['help', 'ok']]);
  });

  it('ends an empty message before the rate limit: no answer, no count, no token used', async () => {
    const p = pipelines();
    for (let i = 0; i < 5; i++) {
      const m = messageTurn('', { caller: null });
      await runChain(p.message, m.turn);
      expect(m.sent).toEqual([]);
      expect(m.counts).toEqual([]);
    }
    const after = messageTurn('help', { caller: null });
    await runChain(p.message, after.turn);
    expect(after.counts).toEqual([['help', 'ok']]);
  });

  it('rate-limits messages before routing them (nonsense counts too), and overlong ones quietly', async () => {
    const p = pipelines();
    for (const text of ['nonsense', 'more nonsense'])
      await runChain(p.message, messageTurn(text, { caller: null }).turn);
    const limited = messageTurn('x'.repeat(5_000), { caller: null });
    await runChain(p.message, limited.turn);
    expect(limited.counts).toEqual([['any', 'rate_limited']]);
    expect(sentText(limited)).toContain('Let me catch up for a moment');
  });

  it('sends the error card for an overlong message within the limit, counted as an unknown error', async () => {
    const m = messageTurn('x'.repeat(5_000), { caller: null });
    await runChain(pipelines().message, m.turn);
    expect(m.counts).toEqual([['unknown', 'error']]);
    expect(sentText(m)).toContain('5,000 characters long');
  });

  it('refuses an admin command to an end user before it runs', async () => {
    const m = messageTurn('connector status', { caller: null, activity: endUserFrom });
    await runChain(pipelines({ access: access(false) }).message, m.turn);
    expect(m.counts).toEqual([['connector status', 'refused_admin']]);
    expect(sentText(m)).not.toContain('ran');
  });

  it('sends a failing command to the error sink, counted as an error under its name', async () => {
    const m = messageTurn('help fail', { caller: null });
    await runChain(pipelines().message, m.turn);
    expect(m.counts).toEqual([['help', 'error']]);
    expect(messages(m)).toEqual(['running command', 'command failed']);
  });

  it('routes a button before the rate limit: an unknown verb uses no token', async () => {
    const p = pipelines();
    for (let i = 0; i < 5; i++) await runChain(p.action, actionTurn('gone.verb', {}, { caller: null }).turn);
    const a = actionTurn('device.refresh', {}, { caller: null });
    await runChain(p.action, a.turn);
    expect(a.turn.result?.value).toBe('refreshed');
    expect(a.counts).toEqual([['device.refresh', 'ok']]);
  });

  it('answers a failing card action with the short message and the error card', async () => {
    const registry = testRegistry({ action: { run: async () => Promise.reject(new Error('broke')) } });
    const a = actionTurn('device.refresh', {}, { caller: null });
    await runChain(pipelines({ registry }).action, a.turn);
    expect(a.turn.result?.value).toBe('That did not work — see the message below.');
    expect(a.counts).toEqual([['device.refresh', 'error']]);
    expect(a.sent).toHaveLength(1);
  });
});
