import { z } from 'zod';
import { validatePayload } from '../../../src/teams/pipeline/validatePayload';
import { actionTurn, spyNext } from './fakeTurns';
import { testRegistry } from './testRegistry';

const schema = z.object({ serial: z.string().min(1) }).strict();
const routed = (data: unknown, withSchema = true) => {
  const a = actionTurn('device.refresh', data);
  a.turn.action = testRegistry({ action: withSchema ? { schema } : {} }).action('device.refresh') ?? null;
  a.turn.handler = { name: 'device.refresh', audience: 'admin' };
  return a;
};

describe('validatePayload', () => {
  it('hands the action the parsed data', async () => {
    const a = routed({ serial: 'C02X' });
    const next = spyNext();
    await validatePayload(a.turn, next);
    expect(next).toHaveBeenCalledTimes(1);
    expect(a.turn.data).toEqual({ serial: 'C02X' });
  });

  it('refuses a payload that does not match, logging paths and codes but not the values', async () => {
    const a = routed({ serial: '', extra: 'secret-ish value' });
    const next = spyNext();
    await validatePayload(a.turn, next);
    expect(next).not.toHaveBeenCalled();
    expect(a.turn.result?.value).toBe(
      "That button sent something I can't use — the card may be out of date. Type **help** to start again.",
    );
    expect(a.counts).toEqual([['device.refresh', 'invalid_payload']]);
    expect(a.logs[0]).toMatchObject({
      msg: 'refused: card action payload does not match its schema',
      verb: 'device.refresh',
    });
    expect(JSON.stringify(a.logs)).not.toContain('secret-ish value');
  });

  it('reads data that is not an object as an empty one, and passes it on without a schema', async () => {
    const a = routed(['not', 'an object'], false);
    const next = spyNext();
    await validatePayload(a.turn, next);
    expect(next).toHaveBeenCalledTimes(1);
    expect(a.turn.data).toEqual({});
  });
});
