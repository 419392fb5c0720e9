import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import type { WebhookDelivery, WebhookGroupChange } from '../store/ports/webhookQueue';
import { COMPUTER_EVENTS, isHandledEvent } from './jamfWebhookEvents';

/** What a body turned out to be: a delivery to queue, an event the bot ignores, or why it is refused. */
export type ParsedWebhook =
  | { kind: 'delivery'; delivery: WebhookDelivery }
  | { kind: 'ignored'; event: string }
  | { kind: 'malformed'; reason: string };

/** A Jamf id: an integer in JSON, text in XML. */
const jamfId = z
  .union([
    z.number().int().nonnegative(),
    z
      .string()
      .trim()
      .regex(/^\d{1,18}$/),
  ])
  .transform(String);
/** An id list: an array in JSON; in XML whatever `xmlIdList` made of the element. */
const idList = z
  .array(jamfId)
  .nullish()
  .transform((v) => v ?? []);

const webhookSchema = z.object({
  id: jamfId,
  webhookEvent: z.string().trim().min(1).max(100),
  // Epoch milliseconds (Jamf's "epoch" type).
  eventTimestamp: z
    .union([
      z.number().int().nonnegative(),
      z
        .string()
        .trim()
        .regex(/^\d{1,16}$/),
    ])
    .transform(Number),
});
const envelopeSchema = z.object({ webhook: webhookSchema, event: z.unknown() });
const computerEventSchema = z.object({ jssID: jamfId });
const groupEventSchema = z.object({
  jssid: jamfId,
  name: z.string().max(1_000).default(''),
  groupAddedDevicesIds: idList,
  groupRemovedDevicesIds: idList,
});

const xmlParser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, processEntities: true });

/** The ids in an XML list element, whatever its children are called (`<id>`, `<computer>`, …) or a comma list. */
function xmlIdList(v: unknown): unknown {
  if (v === undefined || v === null || v === '') return [];
  if (typeof v === 'string') return v.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(v)) return v.flatMap((x) => xmlIdList(x) as unknown[]);
  if (typeof v === 'object') return Object.values(v).flatMap((x) => xmlIdList(x) as unknown[]);
  return [v];
}

/** `<JSSEvent><webhook>…</webhook><event>…</event></JSSEvent>` as the JSON shape Jamf sends. */
function fromXml(text: string): unknown {
  // Jamf never sends a DTD; refusing one rules out entity tricks.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new Error('XML with a DTD is not accepted');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  const doc = xmlParser.parse(text) as Record<string, unknown>;
  const root = doc.JSSEvent;
  if (root === null || typeof root !== 'object') throw new Error('the XML root must be <JSSEvent>');
  const { webhook, event } = root as { webhook?: unknown; event?: Record<string, unknown> | '' };
  if (!event || typeof event !== 'object') return { webhook, event };
  return {
    webhook,
    event: {
      ...event,
      groupAddedDevicesIds: xmlIdList(event.groupAddedDevicesIds),
      groupRemovedDevicesIds: xmlIdList(event.groupRemovedDevicesIds),
    },
  };
}

/** JSON or XML, as the content type says (sniffed from the first character when it says neither). */
function decode(text: string, contentType: string): unknown {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const xml =
    type.endsWith('/xml') ||
    type.endsWith('+xml') ||
    (!type.endsWith('/json') && text.trimStart().startsWith('<'));
  if (xml) return fromXml(text);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error('not valid JSON');
  }
}

const firstIssue = (e: z.ZodError): string => {
  const i = e.issues[0]!;
  return `${i.path.join('.') || 'body'}: ${i.message}`;
};

const uniqueSorted = (ids: string[]): string[] => [...new Set(ids)].sort((a, b) => Number(a) - Number(b));

/** The key of a delivery: the same event delivered twice (in JSON or XML) hashes the same. */
function deliveryKeyOf(d: Omit<WebhookDelivery, 'deliveryKey'>): string {
  const body = [d.webhookId, d.event, d.eventTimestamp, d.computerIds, d.group];
  return createHash('sha256').update(JSON.stringify(body)).digest('base64url');
}

/**
 * A Jamf Pro webhook body (`{webhook: {id, name, webhookEvent, eventTimestamp}, event: {…}}` in
 * JSON, or the same as `<JSSEvent>` XML) → a normalised delivery: the computer events name
 * `event.jssID`; a computer smart group change names the added ∪ removed ids and keeps the group.
 */
export function parseJamfWebhook(text: string, contentType: string): ParsedWebhook {
  let raw: unknown;
  try {
    raw = decode(text, contentType);
  } catch (e) {
    return { kind: 'malformed', reason: (e as Error).message };
  }
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) return { kind: 'malformed', reason: firstIssue(envelope.error) };
  const { webhook, event } = envelope.data;
  if (!isHandledEvent(webhook.webhookEvent)) return { kind: 'ignored', event: webhook.webhookEvent };
  const at = new Date(webhook.eventTimestamp);
  if (Number.isNaN(at.getTime()))
    return { kind: 'malformed', reason: 'webhook.eventTimestamp: not an instant' };
  let computerIds: string[];
  let group: WebhookGroupChange | null = null;
  if (COMPUTER_EVENTS.has(webhook.webhookEvent)) {
    const e = computerEventSchema.safeParse(event);
    if (!e.success) return { kind: 'malformed', reason: `event.${firstIssue(e.error)}` };
    computerIds = [e.data.jssID];
  } else {
    const e = groupEventSchema.safeParse(event);
    if (!e.success) return { kind: 'malformed', reason: `event.${firstIssue(e.error)}` };
    group = {
      groupId: e.data.jssid,
      groupName: e.data.name,
      added: uniqueSorted(e.data.groupAddedDevicesIds),
      removed: uniqueSorted(e.data.groupRemovedDevicesIds),
    };
    computerIds = uniqueSorted([...group.added, ...group.removed]);
  }
  const delivery = {
    webhookId: webhook.id,
    event: webhook.webhookEvent,
    eventTimestamp: at.toISOString(),
    computerIds,
    group,
  };
  return { kind: 'delivery', delivery: { deliveryKey: deliveryKeyOf(delivery), ...delivery } };
}
