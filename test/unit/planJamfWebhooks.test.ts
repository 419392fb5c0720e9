import type { JamfWebhook } from '../../src/compliance/jamfWebhookTypes';
import {
  desiredWebhooks,
  planJamfWebhooks,
  webhookSettings,
  type WebhookTarget,
} from '../../src/compliance/planJamfWebhooks';

const T: WebhookTarget = {
  url: 'https://bot.example/api/webhooks/jamf',
  headerName: 'X-Jamf-Webhook-Secret',
  secret: 's'.repeat(40),
  complianceGroupId: '7',
  complianceGroupName: 'Compliance',
};
const right = (): JamfWebhook[] =>
  desiredWebhooks(T).map((d, i) => ({ id: String(i + 1), ...webhookSettings(d, T) }));

describe('planJamfWebhooks', () => {
  it('creates all three on an empty Jamf Pro, the membership one limited to the Compliance group', () => {
    const p = planJamfWebhooks([], T);
    expect(p.items.map((i) => [i.desired.event, i.action, i.desired.smartGroupId])).toEqual([
      ['ComputerAdded', 'create', null],
      ['ComputerInventoryCompleted', 'create', null],
      ['SmartGroupComputerMembershipChange', 'create', '7'],
    ]);
    expect(p.changeCount).toBe(3);
    expect(JSON.stringify(p)).not.toContain(T.secret);
  });

  it('changes nothing when everything is right (header names compare ignoring case)', () => {
    const hooks = right().map((h) => ({ ...h, headers: { 'x-jamf-webhook-secret': T.secret } }));
    expect(planJamfWebhooks(hooks, T).changeCount).toBe(0);
  });

  it('names what differs, without the secret', () => {
    const hooks = right();
    hooks[0] = { ...hooks[0]!, enabled: false, url: 'https://old.example/hook' };
    hooks[1] = { ...hooks[1]!, headers: { 'X-Jamf-Webhook-Secret': 'old' } };
    hooks[2] = { ...hooks[2]!, smartGroupId: null, authenticationType: 'NONE', headers: null };
    const p = planJamfWebhooks(hooks, T);
    expect(p.items.map((i) => [i.action, i.existingId, i.changes])).toEqual([
      ['update', '1', ['enabled', 'url']],
      ['update', '2', ['header']],
      ['update', '3', ['authentication', 'smartGroup']],
    ]);
  });

  it('adopts a hand-made webhook with the same event, address and group instead of duplicating it', () => {
    const hooks = right();
    hooks[1] = { ...hooks[1]!, name: 'Inventory to the bot' };
    const p = planJamfWebhooks(hooks, T);
    expect(p.items[1]).toMatchObject({ action: 'ok', existingId: '2' });
  });

  it('does not compare a header Jamf Pro does not show, and says so', () => {
    const hooks = right().map((h) => ({ ...h, headers: null }));
    const p = planJamfWebhooks(hooks, T);
    expect(p.changeCount).toBe(0);
    expect(p.items.every((i) => i.unverifiedHeader)).toBe(true);
  });
});
