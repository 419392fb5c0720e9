import { silentLogger } from '../../src/log';
import { GraphRequestBatcher } from '../../src/upstream/graph/graphRequestBatcher';
import type { GraphCall, GraphReply, GraphTransport } from '../../src/upstream/graph/graphTransport';
import type { RetryPolicy } from '../../src/upstream/retryPolicy';

const POLICY: RetryPolicy = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, budgetMs: 100 };

/** A transport that answers `$batch` with each step's URL echoed (404 for `/missing`), and records calls. */
function fakeTransport(): GraphTransport & { calls: GraphCall[] } {
  const calls: GraphCall[] = [];
  const baseUrl = 'https://graph.example/v1.0';
  return {
    calls,
    baseUrl,
    absolute: (url: string) => (url.startsWith('https://') ? url : `${baseUrl}${url}`),
    describe: (c: Pick<GraphCall, 'method' | 'url'>) => `${c.method} ${c.url.split('?')[0]}`,
    relativePath: (url: string) => url.split('?')[0] ?? '/',
    request: async (call: GraphCall): Promise<GraphReply> => {
      calls.push(call);
      if (call.url !== '/$batch') return { status: 200, headers: new Headers(), body: { alone: call.url } };
      const steps = (call.body as { requests: { id: string; url: string }[] }).requests;
      return {
        status: 200,
        headers: new Headers(),
        body: {
          responses: steps.map((s) =>
            s.url === '/missing'
              ? { id: s.id, status: 404, body: { error: { code: 'Request_ResourceNotFound' } } }
              : { id: s.id, status: 200, headers: { 'x-step': s.id }, body: { url: s.url } },
          ),
        },
      };
    },
  } as unknown as GraphTransport & { calls: GraphCall[] };
}

describe('GraphRequestBatcher', () => {
  it('sends the requests of one event-loop turn as one $batch, each caller getting its own step', async () => {
    const t = fakeTransport();
    const b = new GraphRequestBatcher(t, POLICY, silentLogger());
    const [a, c] = await Promise.all([
      b.request({ method: 'GET', url: '/users/a' }),
      b.request({ method: 'GET', url: '/devices?$filter=x' }),
    ]);
    expect(t.calls.map((x) => x.url)).toEqual(['/$batch']);
    expect(a.body).toEqual({ url: '/users/a' });
    expect(c.body).toEqual({ url: '/devices?$filter=x' });
    expect(c.headers.get('x-step')).toBe('1');
  });

  it('sends a request alone in its turn as itself', async () => {
    const t = fakeTransport();
    const b = new GraphRequestBatcher(t, POLICY, silentLogger());
    expect((await b.request({ method: 'GET', url: '/users/a' })).body).toEqual({ alone: '/users/a' });
    expect((await b.request({ method: 'GET', url: '/users/b' })).body).toEqual({ alone: '/users/b' });
    expect(t.calls.map((x) => x.url)).toEqual(['/users/a', '/users/b']);
  });

  it('rejects only the caller whose step failed, with the typed error', async () => {
    const t = fakeTransport();
    const b = new GraphRequestBatcher(t, POLICY, silentLogger());
    const [ok, missing] = await Promise.allSettled([
      b.request({ method: 'GET', url: '/users/a' }),
      b.request({ method: 'GET', url: '/missing' }),
    ]);
    expect(ok.status).toBe('fulfilled');
    expect(missing).toMatchObject({
      status: 'rejected',
      reason: { service: 'graph', code: 'not_found', status: 404 },
    });
  });

  it('splits more than 20 requests into batches of at most 20', async () => {
    const t = fakeTransport();
    const b = new GraphRequestBatcher(t, POLICY, silentLogger());
    await Promise.all(Array.from({ length: 45 }, (_, i) => b.request({ method: 'GET', url: `/users/${i}` })));
    expect(t.calls.map((c) => (c.body as { requests: unknown[] }).requests.length)).toEqual([20, 20, 5]);
  });

  it('answers every caller of a batch in the same turn (a command needs all of its steps)', async () => {
    const t = fakeTransport();
    const b = new GraphRequestBatcher(t, POLICY, silentLogger());
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        b.request({ method: 'GET', url: `/users/${id}` }).then(() => {
          order.push(id);
          setImmediate(() => order.push(`${id}: next turn`));
        }),
      ),
    );
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['a', 'b', 'c', 'a: next turn', 'b: next turn', 'c: next turn']);
  });

  it('rejects every caller with the batch call’s own error', async () => {
    const t = fakeTransport();
    t.request = async () => Promise.reject(Object.assign(new Error('unavailable'), { service: 'graph' }));
    const b = new GraphRequestBatcher(t, POLICY, silentLogger());
    const results = await Promise.allSettled([
      b.request({ method: 'GET', url: '/users/a' }),
      b.request({ method: 'GET', url: '/users/b' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
