import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import type { JamfWebhookSettings } from '../../src/compliance/jamfWebhookTypes';
import { webhookComputer } from '../../demo/jamfWebhookSender';
import { jamfHarness, type JamfHarness } from './jamfHarness';

/**
 * The simulated Jamf Pro posting its webhooks: webhooks created through the Classic API (the real
 * client) receive each event as Jamf documents it — JSON or `<JSSEvent>` XML by content type, with
 * the configured header — and the knobs make duplicates, reordering and a burst of membership
 * changes from one smart-group recalculation.
 */
interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

let h: JamfHarness;
let server: Server;
let url = '';
const received: Received[] = [];

beforeAll(async () => {
  h = await jamfHarness({ size: 40 });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/jamf`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await h.close();
});
beforeEach(() => {
  received.length = 0;
  h.sim.webhooks.configure({ duplicateShare: 0, reorderWindow: 1 });
});

const settings = (over: Partial<JamfWebhookSettings>): JamfWebhookSettings => ({
  name: `hook ${Math.random().toString(36).slice(2)}`,
  enabled: true,
  url,
  contentType: 'application/json',
  event: 'ComputerInventoryCompleted',
  connectionTimeout: 5,
  readTimeout: 5,
  authenticationType: 'HEADER',
  headers: { 'X-Jamf-Webhook-Secret': 'the-secret' },
  smartGroupId: null,
  ...over,
});

describe('Jamf simulator webhook sender', () => {
  let membershipHook = '';
  const group = () => h.fleet.jamf.smartGroups[0]!;

  beforeAll(async () => {
    const c = h.client();
    await c.createWebhook(settings({ event: 'ComputerInventoryCompleted' }));
    await c.createWebhook(settings({ event: 'ComputerInventoryCompleted', contentType: 'text/xml' }));
    await c.createWebhook(settings({ event: 'ComputerInventoryCompleted', enabled: false }));
    await c.createWebhook(settings({ event: 'ComputerAdded', authenticationType: 'NONE', headers: null }));
    membershipHook = (
      await c.createWebhook(
        settings({ event: 'SmartGroupComputerMembershipChange', smartGroupId: group().id }),
      )
    ).id;
  });

  it('posts a computer event as JSON and as XML to every enabled webhook for it, with the header', async () => {
    const record = h.fleet.jamf.computers[0]!;
    const sent = await h.sim.webhooks.emit({
      type: 'ComputerInventoryCompleted',
      computer: webhookComputer(record),
    });
    expect(sent.map((d) => d.status)).toEqual([202, 202]);
    expect(received).toHaveLength(2);
    for (const r of received) expect(r.headers['x-jamf-webhook-secret']).toBe('the-secret');
    const json = received.find((r) => String(r.headers['content-type']).startsWith('application/json'))!;
    const payload = JSON.parse(json.body) as {
      event: Record<string, unknown>;
      webhook: Record<string, unknown>;
    };
    expect(payload.webhook).toMatchObject({
      webhookEvent: 'ComputerInventoryCompleted',
      name: expect.any(String),
    });
    expect(typeof payload.webhook.eventTimestamp).toBe('number');
    expect(payload.event).toMatchObject({
      jssID: Number(record.id),
      serialNumber: record.hardware.serialNumber,
      udid: record.udid,
    });
    const xml = received.find((r) => String(r.headers['content-type']).startsWith('text/xml'))!;
    const doc = new XMLParser().parse(xml.body) as {
      JSSEvent: { event: { jssID: number }; webhook: { webhookEvent: string } };
    };
    expect(doc.JSSEvent.webhook.webhookEvent).toBe('ComputerInventoryCompleted');
    expect(doc.JSSEvent.event.jssID).toBe(Number(record.id));
  });

  it('sends no header for NONE authentication, and a membership change only to the webhook of that group', async () => {
    await h.sim.webhooks.emit({
      type: 'ComputerAdded',
      computer: webhookComputer(h.fleet.jamf.computers[1]!),
    });
    expect(received).toHaveLength(1);
    expect(received[0]!.headers['x-jamf-webhook-secret']).toBeUndefined();
    received.length = 0;
    await h.sim.webhooks.emit({
      type: 'SmartGroupComputerMembershipChange',
      groupId: 999,
      added: [1],
      removed: [],
    });
    expect(received).toEqual([]);
    await h.sim.webhooks.emit({
      type: 'SmartGroupComputerMembershipChange',
      groupId: Number(group().id),
      added: [1, 2],
      removed: [3],
    });
    const p = JSON.parse(received[0]!.body) as { event: Record<string, unknown>; webhook: { id: number } };
    expect(p.webhook.id).toBe(Number(membershipHook));
    expect(p.event).toMatchObject({
      jssid: Number(group().id),
      name: group().name,
      smartGroup: true,
      computer: true,
      groupAddedDevicesIds: [1, 2],
      groupRemovedDevicesIds: [3],
    });
  });

  it('a burst: 5,000 ids from one recalculation in 50 deliveries of 100', async () => {
    const added = Array.from({ length: 3000 }, (_, i) => i + 1);
    const removed = Array.from({ length: 2000 }, (_, i) => i + 10_001);
    const sent = await h.sim.webhooks.membershipBurst(Number(group().id), added, removed, 100);
    expect(sent).toHaveLength(50);
    const payloads = received.map(
      (r) =>
        JSON.parse(r.body) as { event: { groupAddedDevicesIds: number[]; groupRemovedDevicesIds: number[] } },
    );
    const ids = payloads.flatMap((p) => [...p.event.groupAddedDevicesIds, ...p.event.groupRemovedDevicesIds]);
    expect(ids.sort((a, b) => a - b)).toEqual([...added, ...removed]);
    expect(
      Math.max(
        ...payloads.map((p) => p.event.groupAddedDevicesIds.length + p.event.groupRemovedDevicesIds.length),
      ),
    ).toBe(100);
  });

  it('duplicates a share of deliveries and reorders within a window', async () => {
    h.sim.webhooks.configure({ duplicateShare: 0.3, reorderWindow: 5 });
    const groupId = Number(group().id);
    const events = Array.from({ length: 40 }, (_, i) => ({
      type: 'SmartGroupComputerMembershipChange' as const,
      groupId,
      added: [i + 1],
      removed: [],
    }));
    const sent = await h.sim.webhooks.emit(events);
    const dups = sent.filter((d) => d.duplicate);
    expect(dups.length).toBeGreaterThan(0);
    expect(sent).toHaveLength(40 + dups.length);
    // Every duplicate is byte-for-byte an earlier delivery.
    const bodies = new Set(sent.filter((d) => !d.duplicate).map((d) => d.body));
    for (const d of dups) expect(bodies.has(d.body)).toBe(true);
    const order = received
      .slice(0, 40)
      .map(
        (r) =>
          (JSON.parse(r.body) as { event: { groupAddedDevicesIds: number[] } }).event
            .groupAddedDevicesIds[0]!,
      );
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
    // Reordering stays within its window of 5 (plus 4 deliveries in flight at once).
    order.forEach((id, i) => expect(Math.abs(id - 1 - i)).toBeLessThan(8));
  });

  it('computerChanged raises ComputerAdded, ComputerInventoryCompleted and the membership changes', async () => {
    const before = structuredClone(h.fleet.jamf.computers[2]!);
    const after = structuredClone(before);
    after.groupMemberships = [
      ...before.groupMemberships.filter((g) => g.groupId !== group().id),
      { groupId: group().id, groupName: group().name, smartGroup: true },
    ];
    before.groupMemberships = before.groupMemberships.filter((g) => g.groupId !== group().id);
    const sent = await h.sim.webhooks.computerChanged(undefined, after);
    expect(sent.map((d) => d.event).sort()).toEqual(
      [
        'ComputerAdded',
        'ComputerInventoryCompleted',
        'ComputerInventoryCompleted',
        'SmartGroupComputerMembershipChange',
      ].sort(),
    );
    received.length = 0;
    const left = await h.sim.webhooks.computerChanged(after, before);
    const change = left.find((d) => d.event === 'SmartGroupComputerMembershipChange');
    expect(JSON.parse(change!.body)).toMatchObject({
      event: { groupRemovedDevicesIds: [Number(before.id)] },
    });
  });
});
