import type { CardAction, Command } from '../../../src/commands/commandTypes';
import { CommandRegistry } from '../../../src/commands/commandRegistry';

/** A small registry for the pipeline tests: one end-user and one admin command, an intent, an admin button. */
export function testRegistry(overrides: { run?: Command['run']; action?: Partial<CardAction> } = {}) {
  const run = overrides.run ?? (async () => undefined);
  const commands: Command[] = [
    { name: 'help', audience: 'everyone', summary: 'help', usage: 'help', examples: ['help'], run },
    {
      name: 'connector status',
      audience: 'admin',
      summary: 'status',
      usage: 'connector status',
      examples: ['connector status'],
      intents: ['connector-health'],
      run,
    },
  ];
  const actions: CardAction[] = [
    {
      verb: 'device.refresh',
      audience: 'admin',
      run: async () => ({ message: 'refreshed' }),
      ...overrides.action,
    },
  ];
  return new CommandRegistry(commands, actions, (text) =>
    /is (the )?connector ok|conector/i.test(text) ? 'connector-health' : null,
  );
}
