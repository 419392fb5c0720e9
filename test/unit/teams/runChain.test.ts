import { runChain, type Step } from '../../../src/teams/pipeline/runChain';

describe('runChain', () => {
  it('runs the steps in order, each around the ones after it', async () => {
    const seen: string[] = [];
    const step =
      (name: string): Step<string[]> =>
      async (turn, next) => {
        turn.push(`${name} in`);
        await next();
        turn.push(`${name} out`);
      };
    await runChain([step('a'), step('b'), step('c')], seen);
    expect(seen).toEqual(['a in', 'b in', 'c in', 'c out', 'b out', 'a out']);
  });

  it('stops where a step does not call next', async () => {
    const seen: string[] = [];
    await runChain<string[]>(
      [
        async (t, next) => {
          t.push('a');
          await next();
        },
        async (t) => void t.push('b ends the turn'),
        async (t) => void t.push('c never runs'),
      ],
      seen,
    );
    expect(seen).toEqual(['a', 'b ends the turn']);
  });

  it('propagates an error out through the earlier steps, to the error sink', async () => {
    const caught: unknown[] = [];
    const after: string[] = [];
    await runChain<string[]>(
      [
        async (_t, next) => {
          try {
            await next();
          } catch (e) {
            caught.push(e);
          }
        },
        async (t, next) => {
          await next();
          t.push('not reached after a throw');
        },
        async () => {
          throw new Error('boom');
        },
      ],
      after,
    );
    expect(caught).toEqual([new Error('boom')]);
    expect(after).toEqual([]);
  });

  it('rejects when nothing catches, and when a step calls next twice', async () => {
    await expect(runChain<null>([async () => Promise.reject(new Error('x'))], null)).rejects.toThrow('x');
    const twice: Step<null> = async (_t, next) => {
      await next();
      await next();
    };
    await expect(runChain([twice, async () => undefined], null)).rejects.toThrow('called next() twice');
  });

  it('resolves for an empty chain', async () => {
    await expect(runChain([], null)).resolves.toBeUndefined();
  });
});
