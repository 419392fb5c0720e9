import { XMLBuilder } from 'fast-xml-parser';
import { Agent, request } from 'undici';
import type { JamfInventoryRecord } from './fleetTypes';
import type { SimulatedWebhook } from './jamfWebhookStore';

/** The computer events Jamf Pro sends with a computer in `event` (its webhooks guide). */
export type ComputerWebhookEvent =
  | 'ComputerAdded'
  | 'ComputerCheckIn'
  | 'ComputerInventoryCompleted'
  | 'ComputerPolicyFinished'
  | 'ComputerPushCapabilityChanged';

/** A computer as Jamf's computer events carry it. */
export interface WebhookComputer {
  jssID: number;
  serialNumber: string;
  udid: string;
  deviceName: string;
  model: string;
  osVersion: string;
  osBuild: string;
  username: string;
  realName: string;
  emailAddress: string;
  managementId: string;
  [field: string]: string | number;
}

/** One event the simulated Jamf Pro raises. */
export type JamfWebhookEvent =
  | { type: ComputerWebhookEvent; computer: WebhookComputer }
  | {
      type: 'SmartGroupComputerMembershipChange';
      groupId: number;
      /** Default: the smart group's name in the fleet. */
      groupName?: string;
      added: readonly number[];
      removed: readonly number[];
    };

/** How deliveries misbehave, as Jamf Pro's do: some twice, some out of order. */
export interface WebhookDeliveryKnobs {
  /** Share of deliveries sent a second time (0–1), later in the same batch. */
  duplicateShare: number;
  /** Deliveries are shuffled within windows of this many (1 = in order). */
  reorderWindow: number;
}

export interface JamfWebhookSenderOptions extends Partial<WebhookDeliveryKnobs> {
  /** CA to trust for an https receiver (the demo tenant's). */
  ca?: string | Buffer;
  /** Deliveries in flight at once (Jamf posts from a pool of threads). Default 4. */
  concurrency?: number;
  /** Seeded randomness for duplicates and reordering. Default Math.random. */
  random?: () => number;
  now?: () => number;
  /** A smart group's name for membership events (the simulator reads its fleet). */
  groupName?: (id: number) => string;
}

/** One POST the sender made. */
export interface WebhookDelivery {
  webhookId: number;
  event: string;
  url: string;
  contentType: string;
  /** The receiver's status, or `error` when it could not be reached. */
  status: number | 'error';
  /** The body exactly as posted. */
  body: string;
  /** A resend of an earlier delivery (the duplicates knob). */
  duplicate: boolean;
}

/** What the Jamf simulator exposes as `webhooks`. */
export interface JamfWebhookSender {
  /** Posts each event to every enabled stored webhook for it (duplicates and reordering applied). */
  emit(events: JamfWebhookEvent | readonly JamfWebhookEvent[]): Promise<WebhookDelivery[]>;
  /**
   * One smart-group recalculation: the membership change split into deliveries of at most
   * `perDelivery` ids each (added first, then removed), as Jamf does for a large recalculation —
   * e.g. 5,000 ids at 100 per delivery are 50 deliveries.
   */
  membershipBurst(
    groupId: number,
    added: readonly number[],
    removed: readonly number[],
    perDelivery: number,
  ): Promise<WebhookDelivery[]>;
  /**
   * The events one inventory change raises: `ComputerAdded` (no `before`),
   * `ComputerInventoryCompleted`, and a membership change per smart group the computer entered or
   * left (from `groupMemberships`). For the demo's churn: call it after each `putComputer`.
   */
  computerChanged(
    before: JamfInventoryRecord | undefined,
    after: JamfInventoryRecord,
  ): Promise<WebhookDelivery[]>;
  /** Changes the duplicate and reorder knobs. */
  configure(knobs: Partial<WebhookDeliveryKnobs>): void;
  /** Every delivery so far, in the order sent. */
  deliveries(): WebhookDelivery[];
  /** The webhooks stored in the simulated Jamf Pro. */
  stored(): SimulatedWebhook[];
  close(): Promise<void>;
}

/** A Jamf inventory record as a computer event's `event`. */
export function webhookComputer(r: JamfInventoryRecord): WebhookComputer {
  return {
    jssID: Number(r.id),
    serialNumber: r.hardware.serialNumber,
    udid: r.udid,
    deviceName: r.general.name,
    model: r.hardware.model,
    osVersion: r.operatingSystem.version,
    osBuild: r.operatingSystem.build ?? '',
    username: r.userAndLocation.username ?? '',
    realName: r.userAndLocation.realname ?? '',
    emailAddress: r.userAndLocation.email ?? '',
    managementId: r.general.managementId ?? '',
    alternateMacAddress: '',
    macAddress: '',
    building: '',
    department: '',
    ipAddress: '',
    reportedIpAddress: '',
    phone: '',
    position: '',
    room: '',
    userDirectoryID: '-1',
  };
}

interface Pending {
  hook: SimulatedWebhook;
  event: JamfWebhookEvent;
  at: number;
  duplicate: boolean;
}

/**
 * Jamf Pro's webhook deliveries, for the demo tenant and tests: for each event, a POST to every
 * enabled stored webhook whose event matches (a membership webhook limited to a smart group only
 * for that group), in JSON or `<JSSEvent>` XML by the webhook's content type, with the webhook's
 * HEADER (or BASIC) credentials. Payloads follow Jamf's webhooks guide:
 * `{event: {…}, webhook: {eventTimestamp, id, name, webhookEvent}}`.
 */
export function jamfWebhookSender(
  stored: () => SimulatedWebhook[],
  opts: JamfWebhookSenderOptions = {},
): JamfWebhookSender {
  const knobs: WebhookDeliveryKnobs = {
    duplicateShare: opts.duplicateShare ?? 0,
    reorderWindow: Math.max(1, Math.floor(opts.reorderWindow ?? 1)),
  };
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const dispatcher = new Agent({ connect: opts.ca ? { ca: opts.ca } : {}, connections: 16 });
  const log: WebhookDelivery[] = [];
  const concurrency = Math.max(1, opts.concurrency ?? 4);

  const targets = (event: JamfWebhookEvent): SimulatedWebhook[] =>
    stored().filter(
      (h) =>
        h.enabled &&
        h.event === event.type &&
        (event.type !== 'SmartGroupComputerMembershipChange' ||
          h.smart_group_id <= 0 ||
          h.smart_group_id === event.groupId),
    );

  const deliver = async (p: Pending): Promise<WebhookDelivery> => {
    const payload = payloadOf(p, opts.groupName);
    const xml = p.hook.content_type === 'text/xml';
    const body = xml ? jssEventXml(payload) : JSON.stringify(payload);
    const headers: Record<string, string> = {
      'content-type': xml ? 'text/xml; charset=UTF-8' : 'application/json; charset=UTF-8',
      'user-agent': 'Jamf Pro (simulated)',
      ...authHeaders(p.hook),
    };
    let status: number | 'error' = 'error';
    try {
      const res = await request(p.hook.url, {
        method: 'POST',
        headers,
        body,
        dispatcher,
        headersTimeout: p.hook.read_timeout * 1000,
        bodyTimeout: p.hook.read_timeout * 1000,
      });
      await res.body.dump();
      status = res.statusCode;
    } catch {
      // Jamf Pro does not retry a failed delivery; the log says it failed.
    }
    const d: WebhookDelivery = {
      webhookId: p.hook.id,
      event: p.event.type,
      url: p.hook.url,
      contentType: p.hook.content_type,
      status,
      body,
      duplicate: p.duplicate,
    };
    log.push(d);
    return d;
  };

  const send = async (events: readonly JamfWebhookEvent[]): Promise<WebhookDelivery[]> => {
    const at = now();
    const batch: Pending[] = events.flatMap((event, i) =>
      targets(event).map((hook) => ({ hook, event, at: at + i, duplicate: false })),
    );
    const withDuplicates = [
      ...batch,
      ...batch.filter(() => random() < knobs.duplicateShare).map((p) => ({ ...p, duplicate: true })),
    ];
    const ordered = shuffleWithin(withDuplicates, knobs.reorderWindow, random);
    const out: WebhookDelivery[] = [];
    for (let i = 0; i < ordered.length; i += concurrency) {
      out.push(...(await Promise.all(ordered.slice(i, i + concurrency).map(deliver))));
    }
    return out;
  };

  return {
    emit: (events) => send(Array.isArray(events) ? events : [events as JamfWebhookEvent]),
    membershipBurst: (groupId, added, removed, perDelivery) => {
      const size = Math.max(1, Math.floor(perDelivery));
      const events: JamfWebhookEvent[] = [];
      for (let i = 0; i < added.length; i += size)
        events.push({
          type: 'SmartGroupComputerMembershipChange',
          groupId,
          added: added.slice(i, i + size),
          removed: [],
        });
      for (let i = 0; i < removed.length; i += size)
        events.push({
          type: 'SmartGroupComputerMembershipChange',
          groupId,
          added: [],
          removed: removed.slice(i, i + size),
        });
      return send(events);
    },
    computerChanged: (before, after) => {
      const events: JamfWebhookEvent[] = [];
      const computer = webhookComputer(after);
      if (!before) events.push({ type: 'ComputerAdded', computer });
      events.push({ type: 'ComputerInventoryCompleted', computer });
      const smart = (r: JamfInventoryRecord | undefined) =>
        new Set((r?.groupMemberships ?? []).filter((g) => g.smartGroup).map((g) => Number(g.groupId)));
      const was = smart(before);
      const is = smart(after);
      for (const g of is) if (!was.has(g)) events.push(membership(g, [computer.jssID], []));
      for (const g of was) if (!is.has(g)) events.push(membership(g, [], [computer.jssID]));
      return send(events);
    },
    configure: (k) => {
      if (k.duplicateShare !== undefined) knobs.duplicateShare = Math.min(1, Math.max(0, k.duplicateShare));
      if (k.reorderWindow !== undefined) knobs.reorderWindow = Math.max(1, Math.floor(k.reorderWindow));
    },
    deliveries: () => [...log],
    stored,
    close: () => dispatcher.close(),
  };
}

function membership(groupId: number, added: number[], removed: number[]): JamfWebhookEvent {
  return { type: 'SmartGroupComputerMembershipChange', groupId, added, removed };
}

/** HEADER: the webhook's headers; BASIC: its username and password. */
function authHeaders(h: SimulatedWebhook): Record<string, string> {
  if (h.authentication_type === 'HEADER' && h.header) {
    try {
      return JSON.parse(h.header) as Record<string, string>;
    } catch {
      return {};
    }
  }
  if (h.authentication_type === 'BASIC')
    return { authorization: `Basic ${Buffer.from(`${h.username}:${h.password}`).toString('base64')}` };
  return {};
}

/** The delivery's JSON payload (the XML form is built from it). */
function payloadOf(p: Pending, groupName?: (id: number) => string): Record<string, unknown> {
  const webhook = { eventTimestamp: p.at, id: p.hook.id, name: p.hook.name, webhookEvent: p.event.type };
  if (p.event.type !== 'SmartGroupComputerMembershipChange')
    return { event: { ...p.event.computer }, webhook };
  const e = p.event;
  return {
    event: {
      computer: true,
      groupAddedDevices: e.added.map((id) => ({ jssID: id })),
      groupAddedDevicesIds: [...e.added],
      groupRemovedDevices: e.removed.map((id) => ({ jssID: id })),
      groupRemovedDevicesIds: [...e.removed],
      jssid: e.groupId,
      name: e.groupName ?? groupName?.(e.groupId) ?? '',
      smartGroup: true,
    },
    webhook,
  };
}

/**
 * `<JSSEvent><webhook>…</webhook><event>…</event></JSSEvent>`: the same fields as elements; an id
 * list repeats one element per id (`<groupAddedDevicesIds><id>7</id>…`) and a device list one
 * `<device>` per device.
 */
function jssEventXml(payload: Record<string, unknown>): string {
  const event = { ...(payload.event as Record<string, unknown>) };
  for (const [k, v] of Object.entries(event)) {
    if (!Array.isArray(v)) continue;
    event[k] = k.endsWith('Ids') ? { id: v } : { device: v };
  }
  const doc = { JSSEvent: { webhook: payload.webhook, event } };
  return `<?xml version="1.0" encoding="UTF-8"?>${new XMLBuilder({ format: false }).build(doc) as string}`;
}

/** Shuffles each run of `window` items (Fisher–Yates within the run). */
function shuffleWithin<T>(items: T[], window: number, random: () => number): T[] {
  if (window <= 1) return items;
  const out = [...items];
  for (let start = 0; start < out.length; start += window) {
    const end = Math.min(out.length, start + window);
    for (let i = end - 1; i > start; i--) {
      const j = start + Math.floor(random() * (i - start + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
  }
  return out;
}
