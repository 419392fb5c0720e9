import fc from 'fast-check';
import { joinFleet, type FleetInput } from '../../src/compliance/joinFleet';
import type { EntraDevice, JamfComplianceInfo, JamfComputer } from '../../src/compliance/types';
import { DAY, ago, entraDevice, entraUser, jamfComputer } from './complianceFixtures';

const mac = (id: string, over: Partial<JamfComputer> = {}): JamfComputer =>
  jamfComputer({ id, name: `Mac ${id}`, username: `user${id}`, email: `user${id}@contoso.com`, ...over });
const device = (id: string, over: Partial<EntraDevice> = {}): EntraDevice =>
  entraDevice({ id: `obj-${id}`, deviceId: `dev-${id}`, displayName: `Mac ${id}`, ownerUpns: [], ...over });
const info = (computerId: string, ...entraDeviceIds: string[]): JamfComplianceInfo => ({
  computerId,
  applicable: true,
  complianceState: 'COMPLIANT',
  entraDeviceIds,
});
const join = (over: Partial<FleetInput>): ReturnType<typeof joinFleet> =>
  joinFleet({ computers: [], devices: [], users: [], ...over });
/** computer id → [device object id, join method], for terse assertions. */
const pairs = (input: Partial<FleetInput>): Record<string, [string | null, string]> =>
  Object.fromEntries(join(input).map((r) => [r.jamf.id, [r.entra?.id ?? null, r.joinedBy]]));

describe('joinFleet — devices', () => {
  it('joins by the Entra deviceId Jamf reports, whatever the names say (case-insensitive)', () => {
    const r = join({
      computers: [mac('1', { name: 'Renamed Mac' })],
      devices: [device('a', { deviceId: 'B5D2F1A0-AAAA', displayName: 'Old name' })],
      complianceInfos: [info('1', 'b5d2f1a0-aaaa')],
    });
    expect(r[0]?.entra?.id).toBe('obj-a');
    expect(r[0]?.joinedBy).toBe('jamf-device-id');
    expect(r[0]?.jamfCompliance).toEqual(info('1', 'b5d2f1a0-aaaa'));
  });

  it('skips a reported deviceId Entra does not have and uses the next one, else falls back to names', () => {
    expect(
      pairs({
        computers: [mac('1')],
        devices: [device('a'), device('b', { displayName: 'x' })],
        complianceInfos: [info('1', 'gone', 'dev-b')],
      }),
    ).toEqual({ '1': ['obj-b', 'jamf-device-id'] });
    expect(
      pairs({
        computers: [mac('1')],
        devices: [device('a', { ownerUpns: ['user1@contoso.com'], displayName: 'Mac 1' })],
        complianceInfos: [info('1', 'gone')],
      }),
    ).toEqual({ '1': ['obj-a', 'name-and-owner'] });
  });

  it('joins by name and owner: Jamf email against the owner UPNs', () => {
    expect(
      pairs({
        computers: [mac('1')],
        devices: [device('a', { displayName: 'Mac 1', ownerUpns: ['USER1@contoso.com'] })],
      }),
    ).toEqual({
      '1': ['obj-a', 'name-and-owner'],
    });
  });

  it('joins by name and owner: a bare Jamf username against the UPN before the @', () => {
    const computers = [mac('1', { email: null, username: 'alex' })];
    expect(
      pairs({ computers, devices: [device('a', { displayName: 'Mac 1', ownerUpns: ['alex@contoso.com'] })] }),
    ).toEqual({
      '1': ['obj-a', 'name-and-owner'],
    });
  });

  it("joins by name and owner through the Entra user's UPN or object id when Jamf holds a mail alias", () => {
    const users = [
      entraUser({ id: 'u-9', userPrincipalName: 'awilber@contoso.com', mail: 'alex.wilber@contoso.com' }),
    ];
    const computers = [mac('1', { email: 'alex.wilber@contoso.com', username: 'alexw' })];
    expect(
      pairs({
        computers,
        users,
        devices: [device('a', { displayName: 'Mac 1', ownerUpns: ['awilber@contoso.com'] })],
      }),
    ).toEqual({
      '1': ['obj-a', 'name-and-owner'],
    });
    expect(
      pairs({ computers, users, devices: [device('a', { displayName: 'Mac 1', ownerIds: ['U-9'] })] }),
    ).toEqual({
      '1': ['obj-a', 'name-and-owner'],
    });
  });

  it('a re-registered Mac joins the newest registration', () => {
    const owners = { displayName: 'Mac 1', ownerUpns: ['user1@contoso.com'] };
    const devices = [
      device('old', { ...owners, registrationDateTime: ago(90 * DAY) }),
      device('new', { ...owners, registrationDateTime: ago(2 * DAY) }),
      device('nodate', { ...owners, registrationDateTime: null }),
    ];
    expect(pairs({ computers: [mac('1')], devices })).toEqual({ '1': ['obj-new', 'name-and-owner'] });
  });

  it('Macs sharing a default name are told apart by their owners', () => {
    const computers = [mac('1', { name: 'MacBook Pro' }), mac('2', { name: 'MacBook Pro' })];
    const devices = [
      device('b', { displayName: 'MacBook Pro', ownerUpns: ['user2@contoso.com'] }),
      device('a', { displayName: 'MacBook Pro', ownerUpns: ['user1@contoso.com'] }),
    ];
    expect(pairs({ computers, devices })).toEqual({
      '1': ['obj-a', 'name-and-owner'],
      '2': ['obj-b', 'name-and-owner'],
    });
  });

  it('joins by a unique name alone when owners are unknown: the weak join', () => {
    const d = device('a', { displayName: 'Mac 1' });
    delete d.ownerUpns;
    expect(pairs({ computers: [mac('1')], devices: [d] })).toEqual({ '1': ['obj-a', 'name'] });
    expect(
      pairs({
        computers: [mac('1', { email: null, username: null })],
        devices: [device('a', { displayName: 'Mac 1', ownerUpns: ['x@contoso.com'] })],
      }),
    ).toEqual({
      '1': ['obj-a', 'name'],
    });
  });

  it('never joins by name a device registered by somebody else', () => {
    const devices = [device('a', { displayName: 'Mac 1', ownerUpns: ['someone.else@contoso.com'] })];
    expect(pairs({ computers: [mac('1')], devices })).toEqual({ '1': [null, 'none'] });
  });

  it('two same-name devices without owners are ambiguous: no join', () => {
    const devices = [device('a', { displayName: 'Mac 1' }), device('b', { displayName: 'Mac 1' })];
    expect(pairs({ computers: [mac('1')], devices })).toEqual({ '1': [null, 'none'] });
  });

  it('two unjoined Macs with one same-name device are ambiguous: neither joins', () => {
    const computers = [mac('1', { name: 'MacBook Air' }), mac('2', { name: 'MacBook Air' })];
    expect(pairs({ computers, devices: [device('a', { displayName: 'MacBook Air' })] })).toEqual({
      '1': [null, 'none'],
      '2': [null, 'none'],
    });
  });

  it('a name join may use the device left over once the owners have claimed theirs', () => {
    const computers = [mac('1', { name: 'iMac' }), mac('2', { name: 'iMac', email: null, username: null })];
    const devices = [
      device('a', { displayName: 'iMac', ownerUpns: ['user1@contoso.com'] }),
      device('b', { displayName: 'iMac' }),
    ];
    expect(pairs({ computers, devices })).toEqual({
      '1': ['obj-a', 'name-and-owner'],
      '2': ['obj-b', 'name'],
    });
  });

  it('never joins one device to two Macs, even when Jamf reports it for both', () => {
    const computers = [mac('1'), mac('2', { name: 'Mac 1' })];
    const devices = [
      device('a', { displayName: 'Mac 1', ownerUpns: ['user1@contoso.com', 'user2@contoso.com'] }),
    ];
    expect(pairs({ computers, devices, complianceInfos: [info('1', 'dev-a'), info('2', 'dev-a')] })).toEqual({
      '1': ['obj-a', 'jamf-device-id'],
      '2': [null, 'none'],
    });
  });

  it("a Jamf-reported deviceId beats another Mac's owner match", () => {
    const computers = [mac('1'), mac('2', { name: 'Mac 1' })];
    const devices = [device('a', { displayName: 'Mac 1', ownerUpns: ['user1@contoso.com'] })];
    expect(pairs({ computers, devices, complianceInfos: [info('2', 'dev-a')] })).toEqual({
      '1': [null, 'none'],
      '2': ['obj-a', 'jamf-device-id'],
    });
  });

  it('matches names across apostrophe styles, Unicode forms, case and spacing', () => {
    const computers = [
      mac('1', { name: 'Zo\u00eb\u2019s MacBook Pro' }),
      mac('2', { name: "O'Connor's  mac" }),
      mac('3', { name: 'Łukasz 的 Mac' }),
    ];
    const devices = [
      device('a', { displayName: "Zoe\u0308's MacBook Pro", ownerUpns: ['user1@contoso.com'] }),
      device('b', { displayName: 'O\u2019Connor\u2019s Mac ', ownerUpns: ['user2@contoso.com'] }),
      device('c', { displayName: 'łukasz 的 mac', ownerUpns: ['user3@contoso.com'] }),
    ];
    expect(pairs({ computers, devices })).toEqual({
      '1': ['obj-a', 'name-and-owner'],
      '2': ['obj-b', 'name-and-owner'],
      '3': ['obj-c', 'name-and-owner'],
    });
  });

  it('a Mac with an empty name never joins by name', () => {
    expect(
      pairs({ computers: [mac('1', { name: '  ' })], devices: [device('a', { displayName: ' ' })] }),
    ).toEqual({
      '1': [null, 'none'],
    });
  });

  it('keeps input order and one record per computer; compliance info only where given', () => {
    const computers = [mac('3'), mac('1'), mac('2')];
    const r = join({ computers, complianceInfos: [info('1'), { ...info('1'), applicable: false }] });
    expect(r.map((x) => x.jamf.id)).toEqual(['3', '1', '2']);
    expect(r.map((x) => x.jamfCompliance?.applicable ?? null)).toEqual([null, true, null]);
    expect(r.every((x) => x.entra === null && x.joinedBy === 'none')).toBe(true);
  });

  it('handles an empty fleet', () => {
    expect(join({})).toEqual([]);
  });
});

describe('joinFleet — users and the connector group', () => {
  const users = [
    entraUser({ id: 'u-1', userPrincipalName: 'alex@contoso.com', mail: 'alex.wilber@contoso.com' }),
    entraUser({ id: 'u-2', userPrincipalName: 'megan@contoso.com', mail: null }),
  ];
  const userOf = (c: JamfComputer, members?: string[]): [string | null, boolean | null] => {
    const [r] = join({ computers: [c], users, connectorGroupMembers: members });
    return [r?.user?.id ?? null, r?.userInConnectorGroup ?? null];
  };

  it('finds the user by email as UPN, by email as mail, then by username as UPN', () => {
    expect(userOf(mac('1', { email: 'ALEX@contoso.com' }))).toEqual(['u-1', null]);
    expect(userOf(mac('1', { email: 'alex.wilber@contoso.com' }))).toEqual(['u-1', null]);
    expect(userOf(mac('1', { email: null, username: 'Megan@Contoso.com' }))).toEqual(['u-2', null]);
    expect(userOf(mac('1', { email: 'nobody@contoso.com', username: 'megan@contoso.com' }))).toEqual([
      'u-2',
      null,
    ]);
  });

  it('no user in Jamf, or no match in Entra: no user, membership unknown', () => {
    expect(userOf(mac('1', { email: null, username: null }), ['u-1'])).toEqual([null, null]);
    expect(userOf(mac('1', { email: 'ghost@contoso.com', username: 'ghost' }), ['u-1'])).toEqual([
      null,
      null,
    ]);
  });

  it('connector membership by object id or UPN, case-insensitively; unknown when no member list is given', () => {
    const alex = mac('1', { email: 'alex@contoso.com' });
    expect(userOf(alex, ['U-1'])).toEqual(['u-1', true]);
    expect(userOf(alex, ['Alex@Contoso.com'])).toEqual(['u-1', true]);
    expect(userOf(alex, ['u-2', 'megan@contoso.com'])).toEqual(['u-1', false]);
    expect(userOf(alex, [])).toEqual(['u-1', false]);
    expect(userOf(alex)).toEqual(['u-1', null]);
  });

  it('accepts any iterable of members, e.g. a Set', () => {
    const [r] = join({
      computers: [mac('1', { email: 'alex@contoso.com' })],
      users,
      connectorGroupMembers: new Set(['u-1']),
    });
    expect(r?.userInConnectorGroup).toBe(true);
  });
});

describe('joinFleet — scale and invariants', () => {
  it('joins 50,000 Macs all named "MacBook Pro" by owner (guards against per-Mac scans)', () => {
    const n = 50_000;
    const computers = Array.from({ length: n }, (_, i) => mac(String(i), { name: 'MacBook Pro' }));
    const devices = Array.from({ length: n }, (_, i) =>
      device(String(n - 1 - i), { displayName: 'MacBook Pro', ownerUpns: [`user${n - 1 - i}@contoso.com`] }),
    );
    const users = computers.map((c, i) =>
      entraUser({ id: `u-${i}`, userPrincipalName: c.email ?? '', mail: null }),
    );
    const records = joinFleet({ computers, devices, users, connectorGroupMembers: users.map((u) => u.id) });
    expect(records).toHaveLength(n);
    expect(records.every((r) => r.entra?.id === `obj-${r.jamf.id}` && r.joinedBy === 'name-and-owner')).toBe(
      true,
    );
    expect(records.every((r) => r.userInConnectorGroup === true)).toBe(true);
  });

  it('for any fleet: one record per computer, no device used twice, joinedBy none iff no device', () => {
    const names = fc.constantFrom('MacBook Pro', 'macbook pro', 'Alex’s Mac', "Alex's Mac", 'iMac', '');
    const owners = fc.constantFrom('user1@contoso.com', 'user2@contoso.com', 'USER3@contoso.com');
    const fleet = fc.record({
      computers: fc.array(
        fc.record({
          name: names,
          email: fc.option(owners, { nil: null }),
          username: fc.constantFrom('user1', 'x', null),
        }),
        { maxLength: 8 },
      ),
      devices: fc.array(
        fc.record({
          displayName: names,
          ownerUpns: fc.option(fc.array(owners, { maxLength: 2 }), { nil: undefined }),
        }),
        { maxLength: 8 },
      ),
      reported: fc.array(fc.tuple(fc.nat(7), fc.nat(9)), { maxLength: 6 }),
    });
    fc.assert(
      fc.property(fleet, ({ computers, devices, reported }) => {
        const cs = computers.map((c, i) => mac(String(i), c));
        const ds = devices.map((d, i) => device(String(i), d));
        const infos = reported.map(([c, d]) => info(String(c), `dev-${d}`));
        const r = joinFleet({ computers: cs, devices: ds, users: [], complianceInfos: infos });
        expect(r.map((x) => x.jamf)).toEqual(cs);
        const used = r.flatMap((x) => (x.entra ? [x.entra.id] : []));
        expect(new Set(used).size).toBe(used.length);
        for (const x of r) expect(x.entra === null).toBe(x.joinedBy === 'none');
      }),
      { numRuns: 500 },
    );
  });
});
