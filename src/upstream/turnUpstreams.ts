import { AsyncLocalStorage } from 'node:async_hooks';
import type { UpstreamService } from '../errors';
import type { UpstreamObserver } from './upstreamObserver';

/** Which upstream services one turn is waiting on, so a missed deadline can name the culprit. */
export class TurnUpstreams {
  private readonly pending = new Map<UpstreamService, number>();
  private last: UpstreamService | null = null;

  begin(service: UpstreamService): () => void {
    this.pending.set(service, (this.pending.get(service) ?? 0) + 1);
    this.last = service;
    return () => this.pending.set(service, (this.pending.get(service) ?? 1) - 1);
  }

  /** The service with requests still open (the latest one started), else the last one called. */
  waitingOn(): UpstreamService | null {
    const open = [...this.pending].filter(([, n]) => n > 0).map(([s]) => s);
    if (this.last && open.includes(this.last)) return this.last;
    return open[0] ?? this.last;
  }
}

const current = new AsyncLocalStorage<TurnUpstreams>();

/** Runs `fn` with `turn` collecting the upstream calls made on its behalf. */
export function trackTurnUpstreams<T>(turn: TurnUpstreams, fn: () => Promise<T>): Promise<T> {
  return current.run(turn, fn);
}

/** Feeds the current turn's `TurnUpstreams` (outside a turn it does nothing). */
export const turnUpstreamObserver: UpstreamObserver = {
  start(service) {
    const end = current.getStore()?.begin(service);
    return () => end?.();
  },
};
