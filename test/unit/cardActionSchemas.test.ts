import { createCommands, type CommandDeps } from '../../src/commands/allCommands';

/** Deps that are never called: only the actions' schemas are looked at. */
const unused: CommandDeps = new Proxy({}, { get: () => unused }) as CommandDeps;
const ALL_CARD_ACTIONS = createCommands(unused).actions;

describe('card action payloads', () => {
  it('every card action declares the schema of its data (checked before it runs)', () => {
    const without = ALL_CARD_ACTIONS.filter((a) => !a.schema).map((a) => a.verb);
    expect(without).toEqual([]);
  });

  it('device buttons take a Jamf computer id and nothing that could smuggle a query', () => {
    const refresh = ALL_CARD_ACTIONS.find((a) => a.verb === 'device.refresh')!;
    expect(refresh.schema!.safeParse({ computerId: '42' }).success).toBe(true);
    for (const bad of [
      {},
      { computerId: 42 },
      { computerId: '4 2' },
      { computerId: { $ne: '' } },
      { computerId: '1'.repeat(13) },
    ]) {
      expect(refresh.schema!.safeParse(bad).success).toBe(false);
    }
  });
});
