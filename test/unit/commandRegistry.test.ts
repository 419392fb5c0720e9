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
});
