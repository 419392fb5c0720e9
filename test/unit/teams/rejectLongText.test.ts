import { UserInputError } from '../../../src/errors';
import { rejectLongText } from '../../../src/teams/pipeline/rejectLongText';
import { messageTurn, spyNext } from './fakeTurns';

describe('rejectLongText', () => {
  it('passes 2,000 characters on and refuses 2,001 with a hint', async () => {
    const next = spyNext();
    await rejectLongText(messageTurn('x'.repeat(2_000)).turn, next);
    expect(next).toHaveBeenCalledTimes(1);
    const refused = rejectLongText(messageTurn('x'.repeat(2_001)).turn, spyNext());
    await expect(refused).rejects.toBeInstanceOf(UserInputError);
    await expect(refused).rejects.toThrow('That message is 2,001 characters long; I read up to 2,000.');
  });
});
