import { parseClassicWebhookXml, type ClassicWebhookXml } from './classicWebhookShape';
import { jamfApiError, type SimulatorResult } from './jamfApiError';

/** A webhook as the simulated Jamf Pro keeps it (the Classic API's JSON shape). */
export interface SimulatedWebhook {
  id: number;
  name: string;
  enabled: boolean;
  url: string;
  content_type: 'application/json' | 'text/xml';
  event: string;
  connection_timeout: number;
  read_timeout: number;
  authentication_type: 'NONE' | 'BASIC' | 'HEADER';
  username: string;
  password: string;
  /** HEADER authentication: the headers as JSON text (`{"Name":"value"}`); '' otherwise. */
  header: string;
  /** -1: not limited to a smart group. */
  smart_group_id: number;
  enable_display_fields_for_group_object: boolean;
}

const MEMBERSHIP_EVENTS = new Set([
  'SmartGroupComputerMembershipChange',
  'SmartGroupMobileDeviceMembershipChange',
  'SmartGroupUserMembershipChange',
]);

/**
 * The simulated Jamf Pro's webhooks (`/JSSResource/webhooks`), as strict as the Classic API:
 * XML bodies of the documented elements only, a unique name, the fields a new webhook needs, a
 * `smart_group_id` only for membership events and naming an existing computer smart group.
 * Answers JSON to reads and `<webhook><id>…</id></webhook>` (201) to writes.
 */
export class JamfWebhookStore {
  private readonly hooks = new Map<number, SimulatedWebhook>();
  private nextId = 1;

  constructor(private readonly smartGroupExists: (id: number) => boolean) {}

  /** Every stored webhook (the sender reads them). */
  all(): SimulatedWebhook[] {
    return [...this.hooks.values()].map((h) => ({ ...h }));
  }

  list(): SimulatorResult {
    return { status: 200, body: { webhooks: this.all().map((h) => ({ id: h.id, name: h.name })) } };
  }

  get(id: string): SimulatorResult {
    const h = this.hooks.get(Number(id));
    return h ? { status: 200, body: { webhook: { ...h } } } : notFound();
  }

  create(id: string, raw: unknown): SimulatorResult {
    if (!/^\d+$/.test(id)) return notFound();
    const x = this.parse(raw);
    if ('status' in x) return x;
    const missing = (['name', 'url', 'event'] as const).filter((k) => x[k] === undefined);
    if (missing.length > 0) return bad(`Missing ${missing.join(', ')}`);
    const hook = this.merge(
      {
        id: this.nextId,
        name: '',
        enabled: true,
        url: '',
        content_type: 'application/json',
        event: '',
        connection_timeout: 5,
        read_timeout: 2,
        authentication_type: 'NONE',
        username: '',
        password: '',
        header: '',
        smart_group_id: -1,
        enable_display_fields_for_group_object: false,
      },
      x,
    );
    const problem = this.check(hook);
    if (problem) return problem;
    this.nextId++;
    this.hooks.set(hook.id, hook);
    return written(hook.id);
  }

  update(id: string, raw: unknown): SimulatorResult {
    const current = this.hooks.get(Number(id));
    if (!current) return notFound();
    const x = this.parse(raw);
    if ('status' in x) return x;
    const hook = this.merge({ ...current }, x);
    const problem = this.check(hook);
    if (problem) return problem;
    this.hooks.set(hook.id, hook);
    return written(hook.id);
  }

  private parse(raw: unknown): ClassicWebhookXml | SimulatorResult {
    if (typeof raw !== 'string') return bad('The body must be XML');
    const r = parseClassicWebhookXml(raw);
    return r.ok ? r.value : bad(r.problems.join('; '));
  }

  private merge(base: SimulatedWebhook, x: ClassicWebhookXml): SimulatedWebhook {
    const { id: _ignored, ...rest } = x;
    const out = { ...base, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) };
    if (out.authentication_type !== 'HEADER') out.header = '';
    if (out.authentication_type !== 'BASIC') out.password = '';
    return out as SimulatedWebhook;
  }

  private check(h: SimulatedWebhook): SimulatorResult | null {
    const dup = [...this.hooks.values()].find(
      (o) => o.id !== h.id && o.name.toLowerCase() === h.name.toLowerCase(),
    );
    if (dup) return jamfApiError(409, 'DUPLICATE_FIELD', 'Duplicate name', 'name');
    if (h.authentication_type === 'HEADER' && h.header === '')
      return bad('HEADER authentication needs a header');
    if (h.smart_group_id > 0) {
      if (!MEMBERSHIP_EVENTS.has(h.event)) return bad('smart_group_id applies only to membership events');
      if (!this.smartGroupExists(h.smart_group_id)) return bad(`No smart group ${h.smart_group_id}`);
    }
    return null;
  }
}

function written(id: number): SimulatorResult {
  return {
    status: 201,
    body: `<?xml version="1.0" encoding="UTF-8"?><webhook><id>${id}</id></webhook>`,
  };
}

function bad(description: string): SimulatorResult {
  return jamfApiError(400, 'INVALID_FIELD', description);
}

function notFound(): SimulatorResult {
  return jamfApiError(404, 'NOT_FOUND', 'The server has not found anything matching the request URI');
}
