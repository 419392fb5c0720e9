import { CommandRegistry, normalizeText } from '../../src/commands/commandRegistry';
import type { Command } from '../../src/commands/commandTypes';

const cmd = (name: string, audience: 'admin' | 'everyone', aliases: string[] = []): Command => ({
  name,
  aliases,
  audience,
  summary: name,
  usage: name,
  examples: [`${name} x`],
  run: async () => undefined,
});

const registry = new CommandRegistry([
  cmd('help', 'everyone', ['?']),
  cmd('check device', 'admin'),
  cmd('check', 'everyone'),
  cmd('connector status', 'admin', ['connector']),
  cmd('status', 'everyone', ['am i compliant']),
]);

describe('CommandRegistry', () => {
  it('matches the longest name at a word boundary and keeps the arguments as typed', () => {
    expect(registry.match('Check Device  C02X O’Brien')).toMatchObject({
      command: { name: 'check device' },
      args: 'C02X O’Brien',
    });
    expect(registry.match('check C02X')?.command.name).toBe('check');
    expect(registry.match('checkdevice')).toBeNull();
    expect(registry.match('connector')?.command.name).toBe('connector status');
    expect(registry.match('am I compliant')?.command.name).toBe('status');
    expect(registry.match('')).toBeNull();
  });

  it('lists for help only what the caller may run', () => {
    expect(registry.visibleTo(false).map((c) => c.name)).toEqual(['help', 'check', 'status']);
    expect(registry.visibleTo(true)).toHaveLength(5);
  });

  it('suggests the closest command the caller may run, or nothing', () => {
    expect(registry.closest('conector staus', true)?.name).toBe('connector status');
    expect(registry.closest('conector staus', false)?.name).not.toBe('connector status');
    expect(registry.closest('hlep', false)?.name).toBe('help');
    expect(registry.closest('what is the weather in Paris', true)).toBeNull();
    expect(registry.closest('x'.repeat(100_000), true)).toBeNull();
  });

  it('refuses two commands with one name', () => {
    expect(() => new CommandRegistry([cmd('help', 'everyone'), cmd('Help', 'admin')])).toThrow(
      /Two commands/,
    );
  });

  it('normalizes whitespace and smart quotes', () => {
    expect(normalizeText('  a\t\nb “c” ‘d’ ')).toBe('a b "c" \'d\'');
  });

  it('falls back to intents: a name or alias wins, then the command that answers the intent', () => {
    const withIntents = new CommandRegistry(
      [
        { ...cmd('status', 'everyone'), intents: ['status'] },
        { ...cmd('contact it', 'everyone'), intents: ['contact_it'] },
      ],
      [],
      (text) =>
        /mac/i.test(text)
          ? 'status'
          : /someone/i.test(text)
            ? 'contact_it'
            : /x/.test(text)
              ? 'nobody'
              : null,
    );
    expect(withIntents.match('is my Mac OK?')).toMatchObject({
      command: { name: 'status' },
      intent: 'status',
      args: '',
    });
    expect(withIntents.match('talk to someone')?.command.name).toBe('contact it');
    expect(withIntents.match('status of my mac')).toMatchObject({
      command: { name: 'status' },
      args: 'of my mac',
    });
    expect(withIntents.match('x')).toBeNull(); // an intent no command answers
    expect(withIntents.match('hello')).toBeNull();
    expect(
      () =>
        new CommandRegistry([
          { ...cmd('a', 'everyone'), intents: ['i'] },
          { ...cmd('b', 'everyone'), intents: ['i'] },
        ]),
    ).toThrow(/intent "i"/);
  });

  it('closest takes a stricter bound when asked', () => {
    expect(registry.closest('conector status', true, 0.2)?.name).toBe('connector status');
    expect(registry.closest('check my mac', true, 0.2)?.name).not.toBe('check device');
  });

  it('nearest lists a few different commands, closest first, each once, only what the caller may run', () => {
    expect(registry.nearest('chek devise', true).map((c) => c.name)).toEqual(['check device', 'check']);
    // `connector` and `connector status` are one command: listed once.
    expect(registry.nearest('conector', true).map((c) => c.name)).toEqual(['connector status']);
    expect(registry.nearest('chek devise', false).map((c) => c.name)).toEqual(['check']);
    expect(registry.nearest('stauts', true, 0.5, 1).map((c) => c.name)).toEqual(['status']);
    expect(registry.nearest('what is the weather in Paris', true)).toEqual([]);
    expect(registry.nearest('', true)).toEqual([]);
    expect(registry.nearest('hlep', true)[0]).toBe(registry.closest('hlep', true));
  });
});
