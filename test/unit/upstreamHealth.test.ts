import { PendingUpstreams } from '../../src/upstream/pendingUpstreams';
import { UpstreamHealth } from '../../src/upstream/upstreamHealth';
import { combineObservers, isUnhealthyOutcome } from '../../src/upstream/upstreamObserver';

describe('UpstreamHealth', () => {
  it('is unknown before any call, ok after a success, failing after three unhealthy outcomes in a row', () => {
    let t = 0;
    const h = new UpstreamHealth({ now: () => t });
    const call = (outcome: number | 'network' | 'timeout') => h.observer.start('jamf')(outcome);
    expect(h.of('jamf')).toBe('unknown');
    call(200);
    expect(h.of('jamf')).toBe('ok');
    call(503);
    call('timeout');
    expect(h.of('jamf')).toBe('ok');
    call('network');
    expect(h.of('jamf')).toBe('failing');
    expect(h.of('graph')).toBe('unknown');
    call(200);
    expect(h.of('jamf')).toBe('ok');
    // A 404 is the caller's question, not the service's health.
    call(404);
    call(404);
    call(404);
    expect(h.of('jamf')).toBe('ok');
    // Outcomes age out: a service nobody called lately is unknown again.
    t = 61_000;
    expect(h.of('jamf')).toBe('unknown');
  });

  it('counts 429 and 5xx and no answer as unhealthy', () => {
    expect([429, 500, 503, 'network', 'timeout'].every((o) => isUnhealthyOutcome(o as never))).toBe(true);
    expect([200, 201, 401, 404].some((o) => isUnhealthyOutcome(o))).toBe(false);
  });

  it('tells every observer it combines', () => {
    const seen: string[] = [];
    const o = combineObservers(
      { start: (s) => (x) => seen.push(`a:${s}:${x}`) },
      { start: (s) => (x) => seen.push(`b:${s}:${x}`) },
    );
    o.start('graph')(200);
    expect(seen).toEqual(['a:graph:200', 'b:graph:200']);
  });
});

describe('PendingUpstreams', () => {
  it('names the service whose request, started during the turn, has been open longest', () => {
    let t = 0;
    const p = new PendingUpstreams(() => t);
    const before = p.observer.start('graph'); // an older request, from another turn
    t = 100;
    const jamf = p.observer.start('jamf');
    t = 200;
    const graph = p.observer.start('graph');
    expect(p.slowest(50)).toBe('jamf');
    jamf(200);
    expect(p.slowest(50)).toBe('graph');
    graph(200);
    before(200);
    expect(p.slowest(50)).toBeNull();
  });
});
