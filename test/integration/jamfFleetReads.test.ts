/**
 * The Jamf Pro reads the fleet sync relies on, against the simulator over loopback HTTPS:
 * `general.reportDate` filters returning exactly the Macs that reported, the keyset id listing,
 * `id=in=`, a response time that grows with page size and sections, a long `Retry-After` that
 * surfaces at once as `throttled`, and fleet mutations every route sees.
 */
import type { JamfInventoryRecord } from '../../demo/fleetTypes';
import { UpstreamError } from '../../src/errors';
import type { JamfClient, JamfFleetReads } from '../../src/upstream/jamf';
import { DEFAULT_RETRY_POLICY } from '../../src/upstream/retryPolicy';
import { computerIdIn, reportedSince } from '../../src/upstream/jamf/rsql';
import { jamfHarness, type JamfHarness } from './jamfHarness';

const INVENTORY = '/api/v4/computers-inventory';
const HOUR = 3_600_000;
/** A whole second some hours from now: later than any generated report, and exact in Jamf's dates. */
const later = (hours: number) => Math.floor(Date.now() / 1000) * 1000 + hours * HOUR;

let h: JamfHarness;
let token: string;
beforeAll(async () => {
  h = await jamfHarness({ size: 300 });
  token = await h.token();
});
afterAll(() => h.close());
afterEach(() => h.sim.faults.clear());

/** Whole seconds in UTC, as Jamf Pro writes `reportDate`. */
const jamfDate = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** An inventory report: the Mac as it is, with a new `reportDate`. */
function reported(id: string, at: number): JamfInventoryRecord {
  const c = h.sim.computer(id);
  if (!c) throw new Error(`no computer ${id}`);
  return { ...c, general: { ...c.general, reportDate: jamfDate(at) } };
}

async function idsMatching(filter: string): Promise<string[]> {
  const r = await h.raw(
    'GET',
    `${INVENTORY}?sort=id:asc&page-size=2000&filter=${encodeURIComponent(filter)}`,
    {
      token,
    },
  );
  expect(r.status).toBe(200);
  return (r.body as { results: { id: string }[] }).results.map((c) => c.id);
}

// JamfClient is the fleet sync's Jamf port (a compile-time check).
const _port = (c: JamfClient): JamfFleetReads => c;

describe('general.reportDate filters', () => {
  it('return exactly the Macs that reported since an instant, through the client', async () => {
    const at = later(10);
    const changed = ['7', '42', '199', '250'];
    for (const id of changed) h.sim.putComputer(reported(id, at));
    const client = h.client();
    const page = await client.getComputersPage({
      page: 0,
      pageSize: 100,
      filter: reportedSince(new Date(at)),
    });
    expect(page.totalCount).toBe(changed.length);
    expect(page.computers.map((c) => c.id)).toEqual(changed);
    expect(page.computers[0]?.reportDate).toBe(jamfDate(at));
    // Paging through the changed Macs: sorted by id, no overlap.
    const p0 = await client.getComputersPage({
      page: 0,
      pageSize: 3,
      filter: reportedSince(new Date(at - 1000)),
    });
    const p1 = await client.getComputersPage({
      page: 1,
      pageSize: 3,
      filter: reportedSince(new Date(at - 1000)),
    });
    expect([...p0.computers, ...p1.computers].map((c) => c.id)).toEqual(changed);
  });

  it('compares instants with each operator, whole seconds or milliseconds alike', async () => {
    const at = later(20);
    h.sim.putComputer(reported('11', at));
    h.sim.putComputer(reported('12', at + 1000));
    const s = jamfDate(at);
    const ms = new Date(at).toISOString().replace(/\.\d{3}Z$/, '.000Z');
    expect(await idsMatching(`general.reportDate>=${s}`)).toEqual(['11', '12']);
    expect(await idsMatching(`general.reportDate>"${ms}"`)).toEqual(['12']);
    expect(await idsMatching(`general.reportDate=gt=${s}`)).toEqual(['12']);
    expect(await idsMatching(`general.reportDate==${ms}`)).toEqual(['11']);
    expect(await idsMatching(`general.reportDate>=${s};general.reportDate<${jamfDate(at + 1000)}`)).toEqual([
      '11',
    ]);
    const before = await idsMatching(`general.reportDate<=${jamfDate(at - 1000)}`);
    expect(before).not.toContain('11');
    expect(before.length).toBeGreaterThan(250);
  });

  it('filters on general.lastContact too', async () => {
    const at = later(30);
    const c = h.sim.computer('13') as JamfInventoryRecord;
    h.sim.putComputer({ ...c, general: { ...c.general, lastContact: jamfDate(at) } });
    expect(await idsMatching(`general.lastContact>=${jamfDate(at)}`)).toEqual(['13']);
  });

  it('refuses a date with a numeric offset, as Jamf Pro does', async () => {
    const r = await h.raw(
      'GET',
      `${INVENTORY}?filter=${encodeURIComponent('general.reportDate>=2025-01-01T00:00:00+02:00')}`,
      { token },
    );
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('does not match any of supported formats');
  });
});

describe('id look-ups and the id listing', () => {
  it('id=in= returns the named Macs in one listing', async () => {
    const page = await h
      .client()
      .getComputersPage({ page: 0, pageSize: 50, filter: computerIdIn(['3', '30', '300']) });
    expect(page.computers.map((c) => c.id)).toEqual(['3', '30', '300']);
  });

  it('lists every id by keyset, GENERAL only, and sees deletions', async () => {
    const client = h.client({ idPageSize: 40 });
    h.sim.requests.clear();
    const ids = await client.listComputerIds();
    expect(ids).toEqual(h.sim.computerIds().sort((a, b) => Number(a) - Number(b)));
    expect(new Set(ids).size).toBe(ids.length);
    const listed = h.sim.requests.entries.filter((e) => e.path === INVENTORY);
    expect(listed).toHaveLength(Math.ceil(ids.length / 40) + (ids.length % 40 === 0 ? 1 : 0));
    expect(listed.every((e) => e.query.section?.join() === 'GENERAL' && e.query.page?.join() === '0')).toBe(
      true,
    );
    expect(listed[1]?.query.filter).toEqual([`id>${ids[39]}`]);

    h.sim.deleteComputer('100');
    h.sim.deleteComputer('101');
    const after = await client.listComputerIds();
    expect(after).toHaveLength(ids.length - 2);
    expect(after).not.toContain('100');
    expect(after).not.toContain('101');
  });
});

describe('id listing split into ranges', () => {
  it('reads ranges of the known ids at once and still sees Macs added and deleted since', async () => {
    const client = h.client({ idPageSize: 40 });
    const known = await client.listComputerIds();
    const copy = h.sim.computer(known[0] as string);
    if (!copy) throw new Error('no computer to copy');
    h.sim.putComputer({ ...copy, id: '900001' });
    h.sim.deleteComputer(known[50] as string);
    h.sim.requests.clear();
    const ids = await client.listComputerIds({ knownIds: known });
    expect(ids).toEqual(h.sim.computerIds().sort((a, b) => Number(a) - Number(b)));
    expect(ids).toContain('900001');
    expect(ids).not.toContain(known[50]);
    const filters = h.sim.requests.entries
      .filter((e) => e.path === INVENTORY)
      .map((e) => e.query.filter?.join() ?? '');
    // Five ranges, each bounded by a known id; no extra page where a range ends on its bound.
    expect(filters.filter((f) => !f.startsWith('id>'))).toHaveLength(1);
    expect(filters.filter((f) => /^id>\d+;id<=\d+$/.test(f)).length).toBeGreaterThanOrEqual(4);
    expect(filters.length).toBeLessThanOrEqual(Math.ceil(known.length / 40) + 2);
  });
});

describe('response time grows with page size and sections', () => {
  it('a bigger page with more sections takes longer', async () => {
    const client = h.client();
    h.sim.faults.setRecordCost(0.5);
    const time = async (pageSize: number, sections: ('GENERAL' | 'HARDWARE' | 'APPLICATIONS')[]) => {
      const t0 = performance.now();
      await client.getComputersPage({ page: 0, pageSize, sections });
      return performance.now() - t0;
    };
    await time(1, ['GENERAL']); // token and connection out of the way
    const small = await time(10, ['GENERAL']); // 10 × 1 × 0.5 ms
    const big = await time(200, ['GENERAL', 'HARDWARE', 'APPLICATIONS']); // 200 × 3 × 0.5 ms = 300 ms
    expect(big).toBeGreaterThanOrEqual(280);
    expect(big).toBeGreaterThan(small + 150);
  });
});

describe('a long Retry-After', () => {
  it('surfaces at once as throttled with retryAfterMs on the chosen page, without waiting', async () => {
    const client = h.client({ retryPolicy: DEFAULT_RETRY_POLICY });
    h.sim.faults.throttleNext(1, { path: INVENTORY, skip: 2, retryAfterSeconds: 120 });
    await client.getComputersPage({ page: 0, pageSize: 20 });
    await client.getComputersPage({ page: 1, pageSize: 20 });
    const t0 = performance.now();
    const err = await client.getComputersPage({ page: 2, pageSize: 20 }).catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ service: 'jamf', code: 'throttled', retryAfterMs: 120_000 });
    // The fault was spent on that one request: the page reads fine when asked again.
    expect((await client.getComputersPage({ page: 2, pageSize: 20 })).computers).toHaveLength(20);
  });

  it('can be aimed at a page by its query', async () => {
    const client = h.client({ retryPolicy: DEFAULT_RETRY_POLICY });
    h.sim.faults.throttleNext(1, { path: INVENTORY, query: { page: '3' }, retryAfterSeconds: 120 });
    await client.getComputersPage({ page: 2, pageSize: 20 });
    await expect(client.getComputersPage({ page: 3, pageSize: 20 })).rejects.toMatchObject({
      code: 'throttled',
      retryAfterMs: 120_000,
    });
    expect(h.sim.faults.pending()).toBe(0);
  });
});

describe('fleet mutations are visible to every route', () => {
  const APPLICABLE = '2';

  it('a new Mac appears in inventory, smart groups and compliance; a deleted one disappears', async () => {
    const client = h.client();
    const template = h.sim.computer('5') as JamfInventoryRecord;
    const id = String(Math.max(...h.sim.computerIds().map(Number)) + 1);
    h.sim.putComputer({
      ...template,
      id,
      udid: 'A0A0A0A0-0000-4000-8000-000000000001',
      general: { ...template.general, name: 'Churned MacBook', reportDate: jamfDate(Date.now()) },
      hardware: { ...template.hardware, serialNumber: 'CHURN000001' },
      applications: [{ name: 'Company Portal.app' }],
      groupMemberships: [],
    });
    h.sim.putComplianceRecord(id, {
      deviceId: id,
      applicable: true,
      complianceState: 'UNKNOWN',
      complianceVendor: 'Intune',
      complianceVendorDeviceInformation: { deviceIds: ['d0d0d0d0-0000-4000-8000-000000000001'] },
    });
    expect((await client.getComputer(id))?.name).toBe('Churned MacBook');
    expect(await client.findComputersBySerial('CHURN000001')).toHaveLength(1);
    expect(await client.getSmartGroupMembers(APPLICABLE)).toContain(id);
    expect((await client.getComputer(id))?.groups.map((g) => g.groupId)).toContain(APPLICABLE);
    expect((await client.getComplianceInfo(id))?.entraDeviceIds).toEqual([
      'd0d0d0d0-0000-4000-8000-000000000001',
    ]);

    // Company Portal removed: the Mac leaves the Applicable group on its next report.
    h.sim.putComputer({ ...(h.sim.computer(id) as JamfInventoryRecord), applications: [] });
    expect(await client.getSmartGroupMembers(APPLICABLE)).not.toContain(id);

    h.sim.deleteComputer(id);
    expect(await client.getComputer(id)).toBeNull();
    expect(await client.getComplianceInfo(id)).toBeNull();
    expect(h.sim.computer(id)).toBeUndefined();
    expect(await client.listComputerIds()).not.toContain(id);
  });
});
