import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';

/**
 * A Classic API webhook write (`POST|PUT /JSSResource/webhooks/id/{id}`) as Jamf's reference
 * documents it (`createwebhookbyid`/`updatewebhookbyid` samples; the swagger names only `id` and
 * `name`): one `<webhook>` element holding only these elements. The simulator refuses anything
 * else with 400, and the conformance suite checks every request the client sends with it.
 */

export const WEBHOOK_EVENTS = [
  'ComputerAdded',
  'ComputerCheckIn',
  'ComputerInventoryCompleted',
  'ComputerPolicyFinished',
  'ComputerPushCapabilityChanged',
  'DeviceAddedToDEP',
  'JSSShutdown',
  'JSSStartup',
  'MobileDeviceCheckIn',
  'MobileDeviceCommandCompleted',
  'MobileDeviceEnrolled',
  'MobileDeviceInventoryCompleted',
  'MobileDevicePushSent',
  'MobileDeviceUnEnrolled',
  'PatchSoftwareTitleUpdated',
  'PushSent',
  'RestAPIOperation',
  'SCEPChallenge',
  'SmartGroupComputerMembershipChange',
  'SmartGroupMobileDeviceMembershipChange',
  'SmartGroupUserMembershipChange',
] as const;

/** Header names Jamf refuses in a webhook's authentication header (its console says so). */
export const FORBIDDEN_WEBHOOK_HEADERS = [
  'content-type',
  'user-agent',
  'accept-encoding',
  'content-length',
  'host',
];

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const int = z
  .string()
  .regex(/^-?\d{1,9}$/, 'an integer')
  .transform(Number);
const text = z.string();

/** The elements of `<webhook>`, all optional in the XML (an update may send a few). */
export const classicWebhookXml = z
  .object({
    id: int.optional(),
    name: text.min(1).max(255).optional(),
    enabled: bool.optional(),
    url: text.regex(/^https?:\/\/\S+$/, 'an http(s) URL').optional(),
    content_type: z.enum(['application/json', 'text/xml']).optional(),
    event: z.enum(WEBHOOK_EVENTS).optional(),
    connection_timeout: int.optional(),
    read_timeout: int.optional(),
    authentication_type: z.enum(['NONE', 'BASIC', 'HEADER']).optional(),
    username: text.optional(),
    password: text.optional(),
    /** HEADER authentication: the headers as a JSON object of strings. */
    header: text
      .refine((h) => {
        try {
          const o = JSON.parse(h) as unknown;
          return (
            typeof o === 'object' &&
            o !== null &&
            !Array.isArray(o) &&
            Object.values(o).every((v) => typeof v === 'string') &&
            Object.keys(o).every((k) => !FORBIDDEN_WEBHOOK_HEADERS.includes(k.toLowerCase()))
          );
        } catch {
          return false;
        }
      }, 'a JSON object of header names and string values (not Content-Type, User-Agent, Accept-Encoding, Content-Length or Host)')
      .optional(),
    smart_group_id: int.optional(),
    enable_display_fields_for_group_object: bool.optional(),
  })
  .strict();

export type ClassicWebhookXml = z.infer<typeof classicWebhookXml>;

/** `{ok, value}` for a conforming body, else `{ok: false, problems}`. */
export function parseClassicWebhookXml(
  raw: string,
): { ok: true; value: ClassicWebhookXml } | { ok: false; problems: string[] } {
  let doc: unknown;
  try {
    // Every element's text kept as a string: the schema says what each must be.
    doc = new XMLParser({ parseTagValue: false, ignoreDeclaration: true, trimValues: true }).parse(raw, true);
  } catch (e) {
    return { ok: false, problems: [`not XML: ${e instanceof Error ? e.message : String(e)}`] };
  }
  const root = doc as Record<string, unknown>;
  const keys = Object.keys(root);
  if (keys.length !== 1 || keys[0] !== 'webhook' || typeof root.webhook !== 'object' || root.webhook === null)
    return { ok: false, problems: ['the body is not one <webhook> element'] };
  // `<username/>` parses as ''.
  const parsed = classicWebhookXml.safeParse(root.webhook);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((i) => `${i.path.join('.') || 'webhook'}: ${i.message}`),
  };
}

/**
 * A webhook write as the simulator's request log keeps it: `{webhook: {…}}` with every element's
 * text as sent, except the header values and the password (`(redacted)`); the raw text when it is
 * not XML.
 */
export function redactWebhookXml(raw: string): unknown {
  let doc: Record<string, unknown>;
  try {
    doc = new XMLParser({ parseTagValue: false, ignoreDeclaration: true, trimValues: true }).parse(
      raw,
      true,
    ) as Record<string, unknown>;
  } catch {
    return '(not XML)';
  }
  const hook = doc.webhook;
  if (typeof hook !== 'object' || hook === null || Array.isArray(hook)) return doc;
  const out: Record<string, unknown> = { ...(hook as Record<string, unknown>) };
  if (typeof out.password === 'string' && out.password !== '') out.password = '(redacted)';
  if (typeof out.header === 'string') {
    try {
      const h = JSON.parse(out.header) as unknown;
      if (typeof h === 'object' && h !== null && !Array.isArray(h))
        out.header = JSON.stringify(Object.fromEntries(Object.keys(h).map((k) => [k, '(redacted)'])));
    } catch {
      out.header = '(not JSON; redacted)';
    }
  }
  return { ...doc, webhook: out };
}
