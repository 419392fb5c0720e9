import { UpstreamError } from '../../src/errors';
import { toDeltaPage, toGroupMembersDelta } from '../../src/upstream/graph/graphDeltaMappers';
import { graphErrorCode } from '../../src/upstream/graph/graphErrorCode';

describe('graphErrorCode: an expired delta or paging token is gone', () => {
  it.each([
    [410, undefined, 'gone'],
    [400, { error: { code: 'syncStateNotFound' } }, 'gone'],
    [400, { error: { code: 'resyncRequired' } }, 'gone'],
    [400, { error: { code: 'Directory_ExpiredPageToken' } }, 'gone'],
    [400, { error: { code: 'BadRequest' } }, 'bad_request'],
    [429, { error: { code: 'syncStateNotFound' } }, 'throttled'],
    [503, undefined, 'unavailable'],
  ])('%i %j → %s', (status, body, code) => {
    expect(graphErrorCode(status, body)).toBe(code);
  });
});

describe('toDeltaPage', () => {
  const id = (x: unknown) => (x as { id: string }).id;

  it('splits present and removed items and keeps the one link Graph sent', () => {
    const p = toDeltaPage(
      {
        value: [{ id: 'a' }, { id: 'b', '@removed': { reason: 'deleted' } }],
        '@odata.deltaLink': 'https://g/d',
      },
      'device delta',
      id,
    );
    expect(p).toEqual({ items: ['a'], removed: ['b'], nextLink: null, deltaLink: 'https://g/d' });
  });

  it('refuses a page with both links or neither, and a removed item without an id', () => {
    const both = { value: [], '@odata.nextLink': 'n', '@odata.deltaLink': 'd' };
    expect(() => toDeltaPage(both, 'device delta', id)).toThrow(UpstreamError);
    expect(() => toDeltaPage({ value: [] }, 'device delta', id)).toThrow(/exactly one/);
    expect(() =>
      toDeltaPage({ value: [{ '@removed': {} }], '@odata.nextLink': 'n' }, 'device delta', id),
    ).toThrow(/without an id/);
  });
});

describe('toGroupMembersDelta', () => {
  it('reads members@delta: added with their type, removed by id', () => {
    expect(
      toGroupMembersDelta({
        id: 'g',
        'members@delta': [
          { '@odata.type': '#microsoft.graph.user', id: 'u1' },
          { '@odata.type': '#microsoft.graph.group', id: 'g2' },
          { '@odata.type': '#microsoft.graph.device', id: 'd1' },
          { '@odata.type': '#microsoft.graph.user', id: 'u2', '@removed': { reason: 'deleted' } },
        ],
      }),
    ).toEqual({
      groupId: 'g',
      added: [
        { id: 'u1', type: 'user' },
        { id: 'g2', type: 'group' },
        { id: 'd1', type: 'other' },
      ],
      removed: ['u2'],
      groupRemoved: false,
    });
    expect(toGroupMembersDelta({ id: 'g', '@removed': { reason: 'deleted' } })).toMatchObject({
      groupRemoved: true,
      added: [],
    });
  });
});
