import { skipEmptyText } from '../../../src/teams/pipeline/skipEmptyText';
import { messageTurn, spyNext } from './fakeTurns';

describe('skipEmptyText', () => {
  it('ends a turn without text (a card submit, a reaction) and passes any other on', async () => {
    const empty = spyNext();
    await skipEmptyText(messageTurn('').turn, empty);
    expect(empty).not.toHaveBeenCalled();
    const some = spyNext();
    await skipEmptyText(messageTurn('help').turn, some);
    expect(some).toHaveBeenCalledTimes(1);
  });

  it('treats a message that is only the @mention as empty', async () => {
    const next = spyNext();
    await skipEmptyText(messageTurn('<at>Jamf Compliance</at>').turn, next);
    expect(next).not.toHaveBeenCalled();
  });
});
