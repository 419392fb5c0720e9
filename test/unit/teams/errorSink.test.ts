import { UpstreamError, UserInputError } from '../../../src/errors';
import { errorSink } from '../../../src/teams/pipeline/errorSink';
import { actionTurn, messageTurn, messages, sentText } from './fakeTurns';

describe('errorSink', () => {
  it('passes a turn without an error through untouched', async () => {
    const m = messageTurn('help');
    await errorSink(m.turn, async () => undefined);
    expect(m.sent).toEqual([]);
    expect(m.logs).toEqual([]);
  });

  it('logs a failure with a reference and answers with the error card carrying it', async () => {
    const m = messageTurn('help');
    await errorSink(m.turn, async () => Promise.reject(new Error('bug')));
    expect(m.logs[0]).toMatchObject({ msg: 'command failed', level: 50 });
    const reference = String(m.logs[0]?.reference);
    expect(reference).toMatch(/^[0-9a-f]{8}$/);
    expect(sentText(m)).toContain(`Reference: ${reference}`);
  });

  it('logs an upstream failure as a warning with its service, and refused input at info', async () => {
    const up = messageTurn('help');
    await errorSink(up.turn, async () =>
      Promise.reject(new UpstreamError('jamf', 'timeout', 'No answer within 12 s', { status: 504 })),
    );
    expect(up.logs[0]).toMatchObject({
      msg: 'No answer within 12 s',
      level: 40,
      service: 'jamf',
      code: 'timeout',
      status: 504,
    });
    const input = messageTurn('help');
    await errorSink(input.turn, async () => Promise.reject(new UserInputError('That is too long.')));
    expect(messages(input)).toEqual(['input refused: That is too long.']);
    expect(sentText(input)).toContain('That is too long.');
  });

  it('gives a card action the short message as well as the card', async () => {
    const a = actionTurn('device.refresh');
    await errorSink(a.turn, async () => Promise.reject(new Error('bug')));
    expect(a.turn.result?.value).toBe('That did not work — see the message below.');
    expect(a.sent).toHaveLength(1);
  });

  it('logs, never throws, when the error card cannot be sent', async () => {
    const m = messageTurn('help', { failSend: true });
    await expect(errorSink(m.turn, async () => Promise.reject(new Error('bug')))).resolves.toBeUndefined();
    expect(messages(m)).toEqual(['command failed', 'could not send the error card']);
  });
});
