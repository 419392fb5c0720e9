import { InFlightTurns } from '../../src/http/inFlightTurns';
import { checkActivityShape } from '../../src/http/checkActivityShape';

describe('InFlightTurns', () => {
  it('drains: stops accepting, waits for running turns, and gives up after the bound', async () => {
    const turns = new InFlightTurns();
    let finish!: () => void;
    const running = turns.run(() => new Promise<void>((r) => (finish = r)));
    expect(turns.size).toBe(1);
    const drained = turns.drain(5_000);
    expect(turns.accepting).toBe(false);
    finish();
    await running;
    expect(await drained).toBe(true);

    const stuck = new InFlightTurns();
    void stuck.run(() => new Promise<void>(() => undefined));
    expect(await stuck.drain(20)).toBe(false);
  });
});

describe('checkActivityShape', () => {
  it('accepts a Teams activity and names the malformed fields of a bad one', () => {
    expect(
      checkActivityShape({ type: 'message', text: 'hi', conversation: { id: 'a' }, extra: [1] }),
    ).toBeNull();
    expect(checkActivityShape({ type: {} })).toMatch(/check type/);
    expect(checkActivityShape({ type: 'message', conversation: [] })).toMatch(/check conversation/);
    expect(checkActivityShape({ type: 'message', from: 'me', entities: {} })).toMatch(
      /from.*entities|entities.*from/,
    );
  });
});
