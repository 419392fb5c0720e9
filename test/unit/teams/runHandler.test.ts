import type { CardActionContext, CommandContext } from '../../../src/commands/commandTypes';
import { runHandler } from '../../../src/teams/pipeline/runHandler';
import { ADMIN, actionTurn, messageTurn, messages } from './fakeTurns';
import { testRegistry } from './testRegistry';

const now = () => new Date('2026-12-01T10:00:00Z');
/** Passed as a variable: the handler deps may shrink without this test changing. */
const deps = { now };

describe('runHandler and buildCommandContext', () => {
  it('runs the matched command with its context, replies through the turn', async () => {
    const seen: CommandContext[] = [];
    const registry = testRegistry({
      run: async (ctx) => {
        seen.push(ctx);
        await ctx.reply('hello');
      },
    });
    const m = messageTurn('help me');
    m.turn.match = registry.match('help me');
    await runHandler(deps)(m.turn, async () => undefined);
    expect(messages(m)).toEqual(['running command']);
    expect(seen[0]).toMatchObject({
      caller: ADMIN,
      conversation: { scope: 'personal' },
      text: 'help me',
      args: 'me',
      invokedAs: 'help',
      intent: null,
    });
    expect(seen[0]?.now()).toEqual(now());
    expect(m.sent).toHaveLength(1);
  });

  it('runs the card action with the validated data and answers with its result', async () => {
    const seen: CardActionContext[] = [];
    const registry = testRegistry({
      action: { run: async (ctx) => (seen.push(ctx), { message: `refreshed ${String(ctx.data.serial)}` }) },
    });
    const a = actionTurn('device.refresh', { serial: 'C02X' });
    a.turn.action = registry.action('device.refresh') ?? null;
    await runHandler(deps)(a.turn, async () => undefined);
    expect(messages(a)).toEqual(['running card action']);
    expect(seen[0]).toMatchObject({
      verb: 'device.refresh',
      data: { serial: 'C02X' },
      cardActivityId: 'card-1',
    });
    expect(a.turn.result?.value).toBe('refreshed C02X');
  });

  it('refuses to run a turn that was not routed (a chain built in the wrong order)', async () => {
    await expect(runHandler(deps)(messageTurn('help').turn, async () => undefined)).rejects.toThrow(
      'route runs first',
    );
  });
});
