import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseJamfWebhook } from '../../src/live/parseJamfWebhook';

const fixture = (name: string): string =>
  readFileSync(path.join(__dirname, '..', 'fixtures', 'jamf-webhooks', name), 'utf8');

const delivery = (text: string, type: string) => {
  const parsed = parseJamfWebhook(text, type);
  if (parsed.kind !== 'delivery') throw new Error(`expected a delivery, got ${JSON.stringify(parsed)}`);
  return parsed.delivery;
};

describe('parseJamfWebhook', () => {
  it('normalises a computer event (JSON) to its jssID', () => {
    expect(delivery(fixture('computerInventoryCompleted.json'), 'application/json')).toEqual({
      deliveryKey: expect.stringMatching(/^[\w-]{43}$/),
      webhookId: '7',
      event: 'ComputerInventoryCompleted',
      eventTimestamp: new Date(1767225600123).toISOString(),
      computerIds: ['1042'],
      group: null,
    });
    expect(delivery(fixture('computerAdded.json'), 'application/json')).toMatchObject({
      event: 'ComputerAdded',
      computerIds: ['2077'],
    });
  });

  it('reads the same event from <JSSEvent> XML, with the same delivery key as its JSON', () => {
    const json = delivery(fixture('computerInventoryCompleted.json'), 'application/json');
    expect(delivery(fixture('computerInventoryCompleted.xml'), 'text/xml; charset=UTF-8')).toEqual(json);
  });

  it('normalises a smart group change to added ∪ removed, keeping the group (JSON and XML alike)', () => {
    const json = delivery(fixture('smartGroupComputerMembershipChange.json'), 'application/json');
    expect(json).toMatchObject({
      event: 'SmartGroupComputerMembershipChange',
      computerIds: ['311', '1042', '2077'],
      group: { groupId: '12', groupName: 'Compliance Group', added: ['1042', '2077'], removed: ['311'] },
    });
    expect(delivery(fixture('smartGroupComputerMembershipChange.xml'), 'application/xml')).toEqual(json);
  });

  it('reads a one-id XML list, an empty list, and sniffs the format when the content type says neither', () => {
    const xml = fixture('smartGroupComputerMembershipChange.xml')
      .replace(
        /<groupAddedDevicesIds>[\s\S]*?<\/groupAddedDevicesIds>/,
        '<groupAddedDevicesIds><id>5</id></groupAddedDevicesIds>',
      )
      .replace(/<groupRemovedDevicesIds>[\s\S]*?<\/groupRemovedDevicesIds>/, '<groupRemovedDevicesIds/>');
    expect(delivery(xml, '')).toMatchObject({ computerIds: ['5'], group: { added: ['5'], removed: [] } });
  });

  it('tells a different event apart: another timestamp, webhook or Mac is another key', () => {
    const base = JSON.parse(fixture('computerInventoryCompleted.json')) as {
      event: Record<string, unknown>;
      webhook: Record<string, unknown>;
    };
    const key = (b: unknown) => delivery(JSON.stringify(b), 'application/json').deliveryKey;
    const k0 = key(base);
    expect(key({ ...base, event: { ...base.event, realName: 'renamed' } })).toBe(k0); // a hint: same Mac
    expect(key({ ...base, webhook: { ...base.webhook, eventTimestamp: 1767225600124 } })).not.toBe(k0);
    expect(key({ ...base, webhook: { ...base.webhook, id: 8 } })).not.toBe(k0);
    expect(key({ ...base, event: { ...base.event, jssID: 1043 } })).not.toBe(k0);
  });

  it('accepts and ignores events the bot does not act on', () => {
    const body = {
      webhook: { id: 1, name: 'x', webhookEvent: 'MobileDeviceCheckIn', eventTimestamp: 1 },
      event: {},
    };
    expect(parseJamfWebhook(JSON.stringify(body), 'application/json')).toEqual({
      kind: 'ignored',
      event: 'MobileDeviceCheckIn',
    });
  });

  it.each([
    ['not JSON', '{"webhook": ', 'application/json', /not valid JSON/],
    ['not XML', '<JSSEvent><webhook></JSSEvent>', 'text/xml', /not well-formed XML/],
    ['another XML root', '<event/>', 'text/xml', /<JSSEvent>/],
    ['a DTD', '<!DOCTYPE x [<!ENTITY a "b">]><JSSEvent/>', 'text/xml', /DTD/],
    ['no webhook', '{"event": {}}', 'application/json', /^webhook/],
    [
      'a computer event without jssID',
      '{"webhook": {"id": 1, "webhookEvent": "ComputerCheckIn", "eventTimestamp": 1}, "event": {}}',
      'application/json',
      /^event\.jssID/,
    ],
    [
      'a non-numeric id in a group change',
      '{"webhook": {"id": 1, "webhookEvent": "SmartGroupComputerMembershipChange", "eventTimestamp": 1}, "event": {"jssid": 2, "name": "g", "groupAddedDevicesIds": ["x"]}}',
      'application/json',
      /^event\.groupAddedDevicesIds/,
    ],
  ])('refuses %s with a short reason', (_what, body, type, reason) => {
    const parsed = parseJamfWebhook(body, type);
    expect(parsed.kind).toBe('malformed');
    expect(parsed.kind === 'malformed' && parsed.reason).toMatch(reason);
  });
});
