import type { Logger } from '../../log';
import type { RetryPolicy } from '../retryPolicy';
import type { GraphCall, GraphReply, GraphTransport } from './graphTransport';
import { MAX_BATCH_SIZE, runGraphBatch } from './runGraphBatch';

interface Waiting {
  call: GraphCall;
  resolve: (reply: GraphReply) => void;
  reject: (error: unknown) => void;
}

/**
 * Sends the read requests made in one turn of the event loop as one Graph `$batch` (≤ 20 steps
 * each) instead of one HTTPS exchange apiece — `check device` asks for a Mac's Entra device, its
 * user and the user's connector groups at once, and commands running side by side share batches.
 * A request alone in its turn goes as itself. Each caller gets its own step's reply, or the
 * typed error for its step (`runGraphBatch` retries throttled and 5xx steps); when the batch
 * call itself fails, every request in it gets that error.
 */
export class GraphRequestBatcher {
  private queue: Waiting[] = [];
  private scheduled = false;

  constructor(
    private readonly transport: GraphTransport,
    private readonly policy: RetryPolicy,
    private readonly logger: Logger,
  ) {}

  /** Resolves like `GraphTransport.request`: a 2xx reply, or an `UpstreamError('graph', …)`. */
  request(call: GraphCall): Promise<GraphReply> {
    return new Promise<GraphReply>((resolve, reject) => {
      this.queue.push({ call, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate, not a microtask: requests made after an await in the same turn join too.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const waiting = this.queue;
    this.queue = [];
    this.scheduled = false;
    for (let i = 0; i < waiting.length; i += MAX_BATCH_SIZE) {
      void this.send(waiting.slice(i, i + MAX_BATCH_SIZE));
    }
  }

  private async send(group: Waiting[]): Promise<void> {
    if (group.length === 1) {
      const only = group[0]!;
      this.transport.request(only.call).then(only.resolve, only.reject);
      return;
    }
    try {
      const results = await runGraphBatch(
        this.transport,
        group.map(({ call }) => ({
          method: call.method,
          url: call.url,
          ...(call.body !== undefined ? { body: call.body } : {}),
          ...(call.headers ? { headers: call.headers } : {}),
          ...(call.idempotent !== undefined ? { idempotent: call.idempotent } : {}),
        })),
        this.policy,
        this.logger,
      );
      // All callers at once: spreading them over event-loop turns (tried) left the last callers
      // of a batch waiting one busy turn each, and a command needs all of its steps.
      results.forEach((r, i) => {
        const w = group[i]!;
        if (r.error) w.reject(r.error);
        else w.resolve({ status: r.status, headers: new Headers(r.headers), body: r.body });
      });
    } catch (e) {
      for (const w of group) w.reject(e);
    }
  }
}
