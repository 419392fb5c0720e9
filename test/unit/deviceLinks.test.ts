import { entraDeviceLink, jamfComputerLink } from '../../src/cards/deviceCardModel';
import { deviceLinkQuery, ENTRA_PORTAL_HOST } from '../../src/commands/deviceLinkQuery';
import { cardSigningKey, deviceViewers } from '../../src/teams/deviceViewers';
import { DEFAULT_CRITERIA } from '../../src/compliance/defaultCriteria';
import type { CardActionContext } from '../../src/commands/commandTypes';
import {
  deviceViewAction,
  outdatedDeviceCard,
  READ_ONLY_VIEW_TTL_MS,
} from '../../src/commands/deviceViewAction';

const JAMF = 'https://contoso.jamfcloud.com';
const OBJECT_ID = '5d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const DEVICE_ID = 'A1B2C3D4-E5F6-4789-9abc-def012345678';

describe('deviceLinkQuery: which Mac a pasted link names', () => {
  it('reads the links the device card itself makes', () => {
    expect(deviceLinkQuery(jamfComputerLink(JAMF, '123'), JAMF)).toEqual({ kind: 'jamf-id', value: '123' });
    expect(deviceLinkQuery(entraDeviceLink(OBJECT_ID, DEVICE_ID), JAMF)).toEqual({
      kind: 'device-id',
      value: DEVICE_ID.toLowerCase(),
    });
    expect(new URL(entraDeviceLink(OBJECT_ID, DEVICE_ID)).host).toBe(ENTRA_PORTAL_HOST);
  });

  it("takes Jamf Pro links on JAMF_URL's host and path only, any case, with or without extra parameters", () => {
    expect(deviceLinkQuery('https://CONTOSO.jamfcloud.com/computers.html?o=r&id=7', JAMF)).toEqual({
      kind: 'jamf-id',
      value: '7',
    });
    const onPrem = 'https://jamf.contoso.example:8443/jamf';
    expect(deviceLinkQuery(`${onPrem}/computers.html?id=9`, `${onPrem}/`)).toEqual({
      kind: 'jamf-id',
      value: '9',
    });
    for (const link of [
      'https://contoso.jamfcloud.com.evil.example/computers.html?id=1',
      'https://evil.example/computers.html?id=1',
      'https://contoso.jamfcloud.com/mobileDevices.html?id=1',
      'https://contoso.jamfcloud.com/computers.html?id=1%20or%201=1',
      'https://contoso.jamfcloud.com/computers.html',
      `${onPrem}/other/computers.html?id=9`,
    ]) {
      expect(deviceLinkQuery(link, link.startsWith(onPrem) ? onPrem : JAMF)).toBeNull();
    }
  });

  it('takes Entra device pages with a device id only; other links and non-links are null', () => {
    expect(
      deviceLinkQuery(
        `https://entra.microsoft.com/#view/Microsoft_AAD_Devices/DeviceDetailsMenuBlade/~/Properties/objectId/${OBJECT_ID}`,
        JAMF,
      ),
    ).toBeNull();
    expect(
      deviceLinkQuery('https://entra.microsoft.com/#view/Microsoft_AAD_IAM/UsersManagementMenuBlade', JAMF),
    ).toBeNull();
    expect(
      deviceLinkQuery(
        `https://evil.example/#view/Microsoft_AAD_Devices/DeviceDetailsMenuBlade/~/deviceId/${DEVICE_ID}`,
        JAMF,
      ),
    ).toBeNull();
    expect(deviceLinkQuery('javascript:alert(1)', JAMF)).toBeNull();
    expect(deviceLinkQuery('not a link', JAMF)).toBeNull();
    expect(deviceLinkQuery(jamfComputerLink(JAMF, '1'), '')).toBeNull();
  });
});

describe('deviceViewers: who gets the full view of a shared device card', () => {
  const access = (
    ids: string[],
    group: string | null = null,
    appPassword = '',
    cardSigningKey: string | null = null,
  ) => ({
    access: {
      adminUserIds: ids,
      adminGroupId: group,
      adminTeamId: null,
      adminTeamChannelId: null,
      cardSigningKey,
    },
    bot: { appPassword },
  });

  it('lists the configured admins and the admin group as Teams user ids (8:orgid:), lower-cased, once each, at most 60', async () => {
    const graph = {
      listGroupMemberIds: jest.fn(async () => ['B', 'c', ...Array.from({ length: 80 }, (_, i) => `m${i}`)]),
    };
    const viewers = deviceViewers(access(['A', 'b'], 'group'), { graph });
    const ids = await viewers.adminIds();
    expect(ids.slice(0, 3)).toEqual(['8:orgid:a', '8:orgid:b', '8:orgid:c']);
    expect(ids).toHaveLength(60);
    await viewers.adminIds();
    expect(graph.listGroupMemberIds).toHaveBeenCalledTimes(1); // kept for a while
    expect(graph.listGroupMemberIds).toHaveBeenCalledWith('group', { transitive: true, usersOnly: true });
  });

  it('keeps the configured admins when Graph fails, and asks again next time', async () => {
    const graph = {
      listGroupMemberIds: jest.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValue(['g']),
    };
    const viewers = deviceViewers(access(['a'], 'group'), { graph });
    expect(await viewers.adminIds()).toEqual(['8:orgid:a']);
    expect(await viewers.adminIds()).toEqual(['8:orgid:a', '8:orgid:g']);
  });

  it('verifies only its own signatures, for the Mac they were made for', () => {
    const viewers = deviceViewers(access([]));
    const sig = viewers.sign('42');
    expect(viewers.verify('42', sig)).toBe(true);
    expect(viewers.verify('43', sig)).toBe(false);
    expect(viewers.verify('42', '')).toBe(false);
    expect(deviceViewers(access([])).verify('42', sig)).toBe(false); // another process's key
  });

  it('signs with a key every instance shares: from CARD_SIGNING_KEY, else the app password', () => {
    const fromPassword = deviceViewers(access([], null, 'app-password'));
    const sig = fromPassword.sign('42');
    expect(deviceViewers(access([], null, 'app-password')).verify('42', sig)).toBe(true); // another replica, a restart
    expect(deviceViewers(access([], null, 'other-password')).verify('42', sig)).toBe(false);
    expect(sig).not.toContain('app-password');
    const key = 'k'.repeat(40);
    const fromKey = deviceViewers(access([], null, 'app-password', key)).sign('42');
    expect(deviceViewers(access([], null, '', key)).verify('42', fromKey)).toBe(true);
    expect(fromKey).not.toBe(sig);
    expect(cardSigningKey(access([], null, '', null))).toBeNull();
    // A UserAssignedMSI bot has no password: the download links' key, which every instance has.
    const msi = { ...access([], null, ''), broadcast: { downloadSigningKey: 'd'.repeat(40) } };
    expect(deviceViewers(msi).verify('42', deviceViewers(msi).sign('42'))).toBe(true);
    expect(cardSigningKey(msi)).not.toEqual(Buffer.from('d'.repeat(40)));
  });
});

describe('deviceViewAction: the read-only view of a shared card', () => {
  const lookup = { records: [], jamfAsOf: null, entraOnly: [], failures: [], connector: null, user: null };
  const rig = (verified = true) => {
    const lookupMacs = jest.fn(async () => lookup);
    const action = deviceViewAction({
      lookupMacs,
      suggestMacs: async () => [],
      criteria: DEFAULT_CRITERIA,
      jamfUrl: 'https://jamf.example',
      viewers: { adminIds: async () => [], sign: () => 's', verify: () => verified },
    });
    let now = new Date('2026-12-07T10:00:00Z');
    const press = (computerId: string, trigger: 'manual' | 'automatic' = 'automatic') =>
      action.run({
        caller: { teamsUserId: '29:u', aadObjectId: 'u', name: null, tenantId: null, isAdmin: false },
        data: { computerId, signature: 's' },
        now: () => now,
        log: { warn: () => undefined },
        trigger,
      } as unknown as CardActionContext);
    return { lookupMacs, press, later: (ms: number) => (now = new Date(now.getTime() + ms)) };
  };

  it('asks Jamf Pro once a minute per Mac, however many people open the card', async () => {
    const { lookupMacs, press, later } = rig();
    await press('42');
    await press('42');
    await press('43');
    expect(lookupMacs).toHaveBeenCalledTimes(2);
    later(READ_ONLY_VIEW_TTL_MS);
    await press('42');
    expect(lookupMacs).toHaveBeenCalledTimes(3);
  });

  it("answers an automatic refresh whose signature is not the bot's with a card without facts, a press with a message", async () => {
    const { lookupMacs, press } = rig(false);
    expect(await press('42', 'automatic')).toEqual({ card: outdatedDeviceCard() });
    expect(await press('42', 'manual')).toEqual({ message: 'Only IT admins can refresh this card.' });
    expect(lookupMacs).not.toHaveBeenCalled();
  });
});
