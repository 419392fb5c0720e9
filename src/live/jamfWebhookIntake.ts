import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '../log';
import type { WebhookQueue } from '../store/ports/webhookQueue';
import { parseJamfWebhook } from './parseJamfWebhook';

/** How a delivery ended, as counted in `jamf_webhooks_total{outcome}`. */
export type WebhookOutcome =
  'queued' | 'duplicate' | 'ignored' | 'unauthorized' | 'malformed' | 'unavailable';

/** An answer for the HTTP edge: status and JSON body. */
export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface JamfWebhookIntakeDeps {
  /** The shared secret Jamf sends in `headerName` (Jamf's HEADER authentication). */
  secret: string;
  headerName: string;
  maxBodyBytes: number;
  queue: Pick<WebhookQueue, 'enqueueWebhook'>;
  logger: Logger;
  now?: () => Date;
  /** Hears every outcome (metrics). */
  observe?: (outcome: WebhookOutcome) => void;
  /** A new delivery is committed: the worker may look now rather than at its next poll. */
  onQueued?: () => void;
}

/** The intake as `createServer` takes it: a header check before the body is read, then the body. */
export interface JamfWebhookIntake {
  maxBodyBytes: number;
  /** null = authenticated, read the body; otherwise the refusal to send (nothing is read or queued). */
  admit(headers: IncomingHttpHeaders): WebhookAnswer | null;
  /** Parses, validates and queues one delivery; answers 202 only once the row is committed. */
  accept(body: string, contentType: string): Promise<WebhookAnswer>;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * `POST /api/webhooks/jamf`, all but the HTTP: Jamf's header secret compared in constant time
 * (equal-length digests, so neither the length nor a prefix leaks), the body parsed (JSON or
 * `<JSSEvent>` XML) and validated, and one insert into the durable queue. The worker does the
 * rest, so Jamf gets its answer in milliseconds. Nothing here logs a header's value.
 */
export function createJamfWebhookIntake(deps: JamfWebhookIntakeDeps): JamfWebhookIntake {
  const expected = digest(deps.secret);
  const header = deps.headerName.toLowerCase();
  const now = deps.now ?? (() => new Date());
  const answer = (outcome: WebhookOutcome, status: number, body: Record<string, unknown>): WebhookAnswer => {
    deps.observe?.(outcome);
    return { status, body };
  };
  return {
    maxBodyBytes: deps.maxBodyBytes,

    admit(headers) {
      const given = headers[header];
      if (typeof given === 'string' && timingSafeEqual(digest(given), expected)) return null;
      deps.logger.info(
        { header: deps.headerName, present: given !== undefined },
        'jamf webhook refused: wrong or missing secret',
      );
      return answer('unauthorized', 401, {
        error: `Send the webhook secret in the ${deps.headerName} header.`,
      });
    },

    async accept(body, contentType) {
      const parsed = parseJamfWebhook(body, contentType);
      if (parsed.kind === 'malformed') return answer('malformed', 400, { error: parsed.reason });
      if (parsed.kind === 'ignored') return answer('ignored', 202, { accepted: true, ignored: parsed.event });
      const { deliveryKey } = parsed.delivery;
      try {
        const fresh = await deps.queue.enqueueWebhook(parsed.delivery, now().toISOString());
        if (fresh) deps.onQueued?.();
        return answer(fresh ? 'queued' : 'duplicate', 202, {
          accepted: true,
          deliveryKey,
          duplicate: !fresh,
        });
      } catch (err) {
        deps.logger.error({ err, event: parsed.delivery.event }, 'jamf webhook could not be queued');
        return answer('unavailable', 503, { error: 'The bot could not queue the event; send it again.' });
      }
    },
  };
}
