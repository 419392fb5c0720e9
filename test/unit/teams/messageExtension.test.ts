import type { TurnContext } from 'botbuilder';
import { DEFAULT_CRITERIA } from '../../../src/compliance/defaultCriteria';
import { silentLogger } from '../../../src/log';
import type { MacLookup } from '../../../src/lookup/lookupMacs';
import {
  EXTENSION_INVOKES_PER_MINUTE,
  messageExtensionInvokes,
  type MessageExtensionDeps,
} from '../../../src/teams/messageExtension';
import { activity, fakeContext } from './fakeTurns';

const EMPTY: MacLookup = {
  records: [],
  jamfAsOf: null,
  entraOnly: [],
  failures: [],
  connector: null,
  user: null,
};

function rig(lookupMacs: () => Promise<MacLookup>, over: Partial<MessageExtensionDeps> = {}) {
  const counts: Array<[string, string]> = [];
  const invokes = messageExtensionInvokes({
    device: {
      lookupMacs,
      suggestMacs: async () => [],
      criteria: DEFAULT_CRITERIA,
      jamfUrl: 'https://jamf.example',
    },
    access: { tenantAllowed: () => true, isAdmin: async () => true },
    logger: silentLogger(),
    now: () => new Date(),
    metrics: { commandFinished: (c: string, o: string) => void counts.push([c, o]) } as never,
    ...over,
  });
  const search = async (text: string) => {
    const context: TurnContext = fakeContext(
      activity({
        type: 'invoke',
        name: 'composeExtension/query',
        value: { commandId: 'findMac', parameters: [{ name: 'query', value: text }] },
      }),
      [],
    );
    const res = await invokes.get('composeExtension/query')!(context);
    return res as { status: number; body: { composeExtension: { type: string; text?: string } } };
  };
  return { search, counts };
}

describe('the message extension goes through the pipeline steps', () => {
  it('answers a search that misses its deadline with a line and a reference, in time for Teams', async () => {
    const { search, counts } = rig(() => new Promise<never>(() => undefined), { deadlineMs: 1_000 });
    const started = Date.now();
    const res = await search('C02DEMO0004');
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(res.status).toBe(200);
    expect(res.body.composeExtension).toMatchObject({ type: 'message' });
    expect(res.body.composeExtension.text).toMatch(/\(reference [0-9a-f]{8}\)$/);
    expect(counts).toEqual([['composeExtension/query', 'timeout']]);
  });

  it('limits each person: Teams sends a search at every pause in typing', async () => {
    const lookups = jest.fn(async () => EMPTY);
    const { search, counts } = rig(lookups);
    for (let i = 0; i < EXTENSION_INVOKES_PER_MINUTE; i++)
      expect((await search(`C02DEMO${i}`)).body.composeExtension.type).toBe('message');
    expect((await search('C02DEMO0004')).body.composeExtension).toEqual({
      type: 'message',
      text: 'Please wait a moment, then search again.',
    });
    expect(lookups).toHaveBeenCalledTimes(EXTENSION_INVOKES_PER_MINUTE);
    expect(counts[counts.length - 1]).toEqual(['composeExtension/query', 'rate_limited']);
  });

  it('answers a failure with its headline and a reference, never throwing at Teams', async () => {
    const { search, counts } = rig(async () => {
      throw new Error('boom');
    });
    const res = await search('C02DEMO0004');
    expect(res.status).toBe(200);
    expect(res.body.composeExtension.text).toMatch(/reference [0-9a-f]{8}/);
    expect(res.body.composeExtension.text).not.toContain('boom');
    expect(counts).toEqual([['composeExtension/query', 'error']]);
  });
});
