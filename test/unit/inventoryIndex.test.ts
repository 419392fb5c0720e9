import { InventoryIndex } from '../../src/lookup/inventoryIndex';
import type { JamfComputer } from '../../src/compliance/types';
import { jamfComputer } from './complianceFixtures';

const T0 = new Date('2026-11-26T10:00:00.000Z');
const MINUTE = 60_000;

const macs: JamfComputer[] = [
  jamfComputer({
    id: '1',
    name: 'Alex’s MacBook Pro',
    serialNumber: 'C02AAA',
    email: 'alex@contoso.com',
    username: 'alex',
  }),
  jamfComputer({
    id: '2',
    name: 'Lab Mac',
    serialNumber: 'C02BBB',
    email: 'Megan@Contoso.com',
    username: 'megan',
  }),
  jamfComputer({
    id: '3',
    name: 'lab mac',
    serialNumber: 'C02CCC',
    email: null,
    username: 'megan@contoso.com',
  }),
];

function index(at = T0, maxAgeMs = 20 * MINUTE) {
  let now = at;
  const listComputers = jest.fn(async () => macs);
  const ix = new InventoryIndex({ jamf: { listComputers }, maxAgeMs, now: () => now });
  return { ix, listComputers, setNow: (d: Date) => (now = d) };
}

const ids = (r: { computers: JamfComputer[] } | null) => r?.computers.map((c) => c.id).sort() ?? null;

describe('InventoryIndex', () => {
  it('answers nothing before its first load (callers then ask Jamf live)', () => {
    const { ix } = index();
    expect(ix.find({ by: 'serial-or-name', value: 'C02AAA' })).toBeNull();
    expect(ix.status()).toBeNull();
  });

  it('finds by serial (any case) and by name (case, spacing and apostrophe style ignored)', async () => {
    const { ix } = index();
    await ix.refresh();
    expect(ix.status()).toEqual({ computers: 3, asOf: T0 });
    expect(ids(ix.find({ by: 'serial-or-name', value: 'c02aaa' }))).toEqual(['1']);
    expect(ids(ix.find({ by: 'serial-or-name', value: "alex's  macbook pro" }))).toEqual(['1']);
    expect(ids(ix.find({ by: 'serial-or-name', value: 'LAB MAC' }))).toEqual(['2', '3']);
    expect(ix.find({ by: 'serial-or-name', value: 'C02ZZZ' })).toBeNull();
  });

  it("finds by Jamf's e-mail field only, ignoring case, as the live search does", async () => {
    const { ix } = index();
    await ix.refresh();
    expect(ids(ix.find({ by: 'email', value: 'megan@contoso.com' }))).toEqual(['2']);
    expect(ix.find({ by: 'email', value: 'nobody@contoso.com' })).toBeNull();
    expect(ids(ix.find({ by: 'names-or-users', names: ['Lab Mac'], users: ['alex@contoso.com'] }))).toEqual([
      '1',
      '2',
      '3',
    ]);
  });

  it('stops answering once older than its maximum age', async () => {
    const { ix, setNow } = index();
    await ix.refresh();
    setNow(new Date(T0.getTime() + 20 * MINUTE));
    expect(ix.find({ by: 'serial-or-name', value: 'C02AAA' })?.asOf).toEqual(T0);
    setNow(new Date(T0.getTime() + 20 * MINUTE + 1));
    expect(ix.find({ by: 'serial-or-name', value: 'C02AAA' })).toBeNull();
  });

  it('shares one Jamf load between concurrent refreshes, and keeps the old tables when a load fails', async () => {
    const { ix, listComputers, setNow } = index();
    await Promise.all([ix.refresh(), ix.refresh(), ix.refresh()]);
    expect(listComputers).toHaveBeenCalledTimes(1);
    setNow(new Date(T0.getTime() + MINUTE));
    listComputers.mockRejectedValueOnce(new Error('Jamf Pro is down'));
    await expect(ix.refresh()).rejects.toThrow('Jamf Pro is down');
    expect(ix.status()?.asOf).toEqual(T0);
    await ix.refresh();
    expect(ix.status()?.asOf).toEqual(new Date(T0.getTime() + MINUTE));
  });

  it('ignores an older load that lands after a newer one', () => {
    const { ix } = index();
    ix.replace(macs.slice(0, 1), new Date(T0.getTime() + MINUTE));
    ix.replace(macs, T0);
    expect(ix.status()?.computers).toBe(1);
  });

  it('hands out every computer while fresh, for whole-fleet counts (null before a load or once stale)', async () => {
    const { ix, setNow } = index();
    expect(ix.all()).toBeNull();
    await ix.refresh();
    expect(ix.all()).toEqual({ computers: macs, asOf: T0 });
    setNow(new Date(T0.getTime() + 20 * MINUTE + 1));
    expect(ix.all()).toBeNull();
  });
});

describe('InventoryIndex fed from the fleet snapshot (source)', () => {
  it('loads from the source instead of Jamf; a partial source finds Macs but answers no `all()`; null keeps what it holds', async () => {
    const listComputers = jest.fn(async () => macs);
    let next: { computers: JamfComputer[]; asOf: Date; complete: boolean } | null = {
      computers: macs,
      asOf: T0,
      complete: true,
    };
    let now = T0;
    const ix = new InventoryIndex({
      jamf: { listComputers },
      maxAgeMs: 20 * MINUTE,
      now: () => now,
      source: async () => next,
    });
    await ix.refresh();
    expect(listComputers).not.toHaveBeenCalled();
    expect(ids(ix.all())).toEqual(['1', '2', '3']);
    next = null;
    await ix.refresh();
    expect(ids(ix.all())).toEqual(['1', '2', '3']);
    // Some Macs (a sync had the full set out) never replace a fresh full set…
    next = { computers: macs.slice(0, 1), asOf: new Date(T0.getTime() + MINUTE), complete: false };
    await ix.refresh();
    expect(ids(ix.all())).toEqual(['1', '2', '3']);
    // …but do replace a stale one: found Macs are used, `all()` answers null.
    now = new Date(T0.getTime() + 30 * MINUTE);
    next = { computers: macs.slice(0, 1), asOf: now, complete: false };
    await ix.refresh();
    expect(ix.all()).toBeNull();
    expect(ids(ix.find({ by: 'serial-or-name', value: 'C02AAA' }))).toEqual(['1']);
    expect(listComputers).not.toHaveBeenCalled();
  });
});
