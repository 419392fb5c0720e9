import { route } from '../../../src/teams/pipeline/route';
import { END_USER, actionTurn, messageTurn, messages, sentText, spyNext } from './fakeTurns';
import { testRegistry } from './testRegistry';

const registry = testRegistry();
const channel = {
  conversation: { id: '19:c', conversationType: 'channel', isGroup: true, name: '' },
  channelData: { channel: { id: '19:c' } },
};

describe('route (messages)', () => {
  it('finds the command by name, with its arguments, and names the turn after it', async () => {
    const m = messageTurn('Connector Status now');
    const next = spyNext();
    await route(registry)(m.turn, next);
    expect(next).toHaveBeenCalledTimes(1);
    expect(m.turn.match).toMatchObject({ invokedAs: 'Connector Status', args: 'now' });
    expect(m.turn.handler).toEqual({ name: 'connector status', audience: 'admin' });
  });

  it('answers an unknown command with "did you mean" for admins, counted as unknown', async () => {
    const m = messageTurn('hepl');
    const next = spyNext();
    await route(registry)(m.turn, next);
    expect(next).not.toHaveBeenCalled();
    expect(messages(m)).toEqual(['message did not match a command']);
    expect(m.counts).toEqual([['unknown', 'unknown_command']]);
    expect(sentText(m)).toContain("I didn't catch that");
    expect(sentText(m)).toContain('You wrote: hepl');
  });

  it('shows an end user in 1:1 the menu, and in a channel the "did you mean" card', async () => {
    const dm = messageTurn('what now', { caller: END_USER });
    await route(registry)(dm.turn, spyNext());
    expect(sentText(dm)).not.toContain("I didn't catch that");
    const inChannel = messageTurn('what now', { caller: END_USER, activity: channel });
    await route(registry)(inChannel.turn, spyNext());
    expect(sentText(inChannel)).toContain("I didn't catch that");
  });

  it("keeps an admin's typo of an admin command a typo, with the suggestion, uncounted", async () => {
    const m = messageTurn('conector status');
    const next = spyNext();
    await route(registry)(m.turn, next);
    expect(next).not.toHaveBeenCalled();
    expect(messages(m)).toEqual(['close to an admin command: suggesting it']);
    expect(m.counts).toEqual([]);
    expect(sentText(m)).toContain('connector status');
  });

  it('routes free text by intent when it is not close to an admin command', async () => {
    const m = messageTurn('is the connector ok?');
    const next = spyNext();
    await route(registry)(m.turn, next);
    expect(next).toHaveBeenCalledTimes(1);
    expect(m.turn.match?.intent).toBe('connector-health');
  });
});

describe('route (card actions)', () => {
  it('finds the action by its verb', async () => {
    const a = actionTurn('device.refresh');
    const next = spyNext();
    await route(registry)(a.turn, next);
    expect(next).toHaveBeenCalledTimes(1);
    expect(a.turn.handler).toEqual({ name: 'device.refresh', audience: 'admin' });
  });

  it('answers an unknown verb, logging at most 100 characters of it', async () => {
    const a = actionTurn('x'.repeat(500));
    await route(registry)(a.turn, spyNext());
    expect(a.turn.result?.value).toBe('That button no longer does anything. Type **help** to start again.');
    expect(a.logs[0]).toMatchObject({ msg: 'card action with an unknown verb', verb: 'x'.repeat(100) });
    expect(a.counts).toEqual([['unknown', 'unknown_command']]);
  });
});
