import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import type {
  JamfWebhook,
  JamfWebhookAuthentication,
  JamfWebhookSettings,
} from '../../compliance/jamfWebhookTypes';

/**
 * The Classic API's webhooks (`/JSSResource/webhooks`): read as JSON (`Accept: application/json`),
 * written as XML (the Classic API takes XML bodies), answered with `<webhook><id>…</id></webhook>`.
 * The Classic swagger documents only `id` and `name`; the other elements are Jamf's reference
 * (`createwebhookbyid`: name, enabled, url, content_type, event, connection_timeout,
 * read_timeout, authentication_type, username, password, smart_group_id) and, for HEADER
 * authentication, `header`: the headers as a JSON object (`{"Name":"value"}`), as Jamf's
 * console asks for them.
 */

const id = z.union([z.number(), z.string()]).transform(String);
const num = z.union([z.number(), z.string()]).transform(Number);

/** `GET /JSSResource/webhooks`. */
export const webhookListWire = z.object({
  webhooks: z.array(z.object({ id, name: z.string() })),
});

/** `GET /JSSResource/webhooks/id/{id}`. */
export const webhookWire = z.object({
  webhook: z.object({
    id,
    name: z.string(),
    enabled: z.boolean().nullish(),
    url: z.string().nullish(),
    content_type: z.string().nullish(),
    event: z.string().nullish(),
    connection_timeout: num.nullish(),
    read_timeout: num.nullish(),
    authentication_type: z.string().nullish(),
    header: z.union([z.string(), z.record(z.string(), z.string())]).nullish(),
    smart_group_id: num.nullish(),
  }),
});

/** The write's answer: `<webhook><id>12</id></webhook>` (XML text). */
export const webhookIdWire = z.string().transform((xml, ctx) => {
  const parsed = new XMLParser({ parseTagValue: false }).parse(xml) as { webhook?: { id?: unknown } };
  const got = parsed.webhook?.id;
  if (typeof got === 'string' && /^\d+$/.test(got.trim())) return got.trim();
  ctx.addIssue({ code: 'custom', message: 'no webhook id in the answer' });
  return z.NEVER;
});

const AUTH: readonly JamfWebhookAuthentication[] = ['NONE', 'BASIC', 'HEADER'];

function parseHeaders(h: string | Record<string, string> | null | undefined): Record<string, string> | null {
  if (h === null || h === undefined || h === '') return null;
  if (typeof h !== 'string') return h;
  try {
    const o = JSON.parse(h) as unknown;
    if (typeof o !== 'object' || o === null || Array.isArray(o)) return null;
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));
  } catch {
    return null;
  }
}

export function mapWebhook(w: z.infer<typeof webhookWire>): JamfWebhook {
  const h = w.webhook;
  const auth = (h.authentication_type ?? 'NONE').toUpperCase() as JamfWebhookAuthentication;
  const group = h.smart_group_id ?? null;
  return {
    id: h.id,
    name: h.name,
    enabled: h.enabled ?? false,
    url: h.url ?? '',
    contentType: h.content_type ?? '',
    event: h.event ?? '',
    connectionTimeout: h.connection_timeout ?? 0,
    readTimeout: h.read_timeout ?? 0,
    authenticationType: AUTH.includes(auth) ? auth : 'NONE',
    headers: auth === 'HEADER' ? parseHeaders(h.header) : null,
    // Jamf answers -1 (or 0) for "no smart group".
    smartGroupId: group !== null && Number.isFinite(group) && group > 0 ? String(group) : null,
  };
}

/** The XML body of a create or update. */
export function webhookXml(s: JamfWebhookSettings): string {
  const body: Record<string, unknown> = {
    name: s.name,
    enabled: s.enabled,
    url: s.url,
    content_type: s.contentType,
    event: s.event,
    connection_timeout: s.connectionTimeout,
    read_timeout: s.readTimeout,
    authentication_type: s.authenticationType,
    ...(s.authenticationType === 'HEADER' ? { header: JSON.stringify(s.headers ?? {}) } : {}),
    ...(s.smartGroupId !== null ? { smart_group_id: Number(s.smartGroupId) } : {}),
  };
  return `<?xml version="1.0" encoding="UTF-8"?>${new XMLBuilder({ format: false }).build({ webhook: body }) as string}`;
}
