import { deviceCardModel } from '../../src/cards/deviceCardModel';
import {
  REMEDIATION_TITLES,
  remediationConfirmModel,
  remediationDynamicGroupModel,
  remediationResultModel,
} from '../../src/cards/remediationCardModel';
import { renderCard } from '../../src/cards/renderCard';
import { DEFAULT_CRITERIA } from '../../src/compliance/defaultCriteria';
import { diagnoseMac } from '../../src/compliance/diagnoseMac';
import type { StoredRemediation } from '../../src/compliance/remediationTypes';
import { remediationsFor } from '../../src/compliance/remediationsFor';
import { selfServicePolicyLink } from '../../src/compliance/selfServiceLink';
import { checkCard } from '../helpers/validateCard';
import { APPLICABLE, DAY, HOUR, NOW, ago, entraDevice, macRecord } from './complianceFixtures';

const GROUP = '0d6e1f2a-0000-4000-9000-000000000041';
const offers = (record: ReturnType<typeof macRecord>, groupId: string | null = GROUP) =>
  remediationsFor(record, diagnoseMac(record, DEFAULT_CRITERIA, NOW), { connectorGroupId: groupId });

describe('remediationsFor: only the fixes that can help the verdict', () => {
  it('offers nothing for a compliant Mac, or one out of scope', () => {
    expect(offers(macRecord())).toEqual([]);
    expect(offers(macRecord({ jamf: { groups: [] } }))).toEqual([]);
  });

  it('offers a recalculation when every known check passes but the Mac is outside the Compliance group', () => {
    expect(offers(macRecord({ jamf: { groups: [APPLICABLE] } }))).toEqual(['recalculate']);
    // Explained by the Mac's facts (FileVault off): recalculating cannot help.
    expect(offers(macRecord({ jamf: { groups: [APPLICABLE], fileVault2Status: 'NOT_ENCRYPTED' } }))).toEqual(
      [],
    );
    // Out of sync: Jamf counts it compliant, Entra ID does not.
    const outOfSync = macRecord({
      jamf: { reportDate: ago(10 * HOUR) },
      entra: entraDevice({ isCompliant: null }),
    });
    expect(diagnoseMac(outOfSync, DEFAULT_CRITERIA, NOW).verdict).toBe('out_of_sync');
    expect(offers(outOfSync)).toEqual(['recalculate']);
  });

  it('offers a wake-up for a stale Mac', () => {
    expect(offers(macRecord({ jamf: { reportDate: ago(20 * DAY), lastContact: ago(20 * DAY) } }))).toEqual([
      'wake',
    ]);
  });

  it('offers the fix to the user of an unregistered Mac, and the connector group when they are outside it', () => {
    expect(offers(macRecord({ entra: null, joinedBy: 'none' }))).toEqual(['send-fix']);
    const waiting = macRecord({
      entra: entraDevice({ isCompliant: null, registrationDateTime: ago(2 * HOUR) }),
      userInConnectorGroup: false,
    });
    expect(offers(waiting)).toEqual(['add-to-group', 'send-fix']);
    // No connector group known, or nobody to send to: not offered.
    expect(offers(waiting, null)).toEqual(['send-fix']);
    expect(offers(macRecord({ entra: null, joinedBy: 'none', user: null }))).toEqual([]);
  });
});

const ACTOR = { teamsUserId: '29:a', aadObjectId: 'a', name: 'Alex' };
const stored = (over: Partial<StoredRemediation> = {}): StoredRemediation => ({
  key: '5b0d7f0e-2f3c-4a55-9e2b-0c1d2e3f4a5b',
  kind: 'wake',
  computerId: '15',
  macName: 'Patti’s iMac',
  request: {
    service: 'Jamf Pro',
    method: 'POST',
    path: '/api/v2/mdm/blank-push',
    body: { clientManagementIds: ['fd68c371-5921-436e-b16b-8a3c1bf90ee5'] },
    params: { managementId: 'fd68c371-5921-436e-b16b-8a3c1bf90ee5' },
  },
  createdAt: NOW.toISOString(),
  createdBy: ACTOR,
  state: 'planned',
  result: null,
  updatedAt: NOW.toISOString(),
  ...over,
});

describe('remediation card models', () => {
  it('the confirm step shows the service, the request and its body, with Confirm carrying the key', () => {
    const m = remediationConfirmModel(stored());
    expect(m.facts).toEqual([
      { title: 'Service', value: 'Jamf Pro' },
      { title: 'Request', value: 'POST /api/v2/mdm/blank-push' },
    ]);
    expect(JSON.parse(m.body)).toEqual({ clientManagementIds: ['fd68c371-5921-436e-b16b-8a3c1bf90ee5'] });
    expect(m).toMatchObject({ showConfirm: true, key: stored().key, backTitle: 'Cancel' });
    const card = renderCard('remediation', m);
    expect(checkCard(card).problems).toEqual([]);
    const actions = card.actions as { verb?: string; data?: unknown }[];
    expect(actions.map((a) => a.verb)).toEqual(['device.fix.confirm', 'device.refresh']);
    expect(actions[0]!.data).toEqual({ fixKey: stored().key, computerId: '15' });
  });

  it('a request without a body shows none', () => {
    const m = remediationConfirmModel(
      stored({
        kind: 'recalculate',
        request: {
          service: 'Jamf Pro',
          method: 'POST',
          path: '/api/v1/computers/15/recalculate-smart-groups',
          body: null,
          params: {},
        },
      }),
    );
    expect(m.body).toBe('');
    expect(checkCard(renderCard('remediation', m)).problems).toEqual([]);
  });

  it('the result says what was done or the refusal, offers Refresh only, and says when nothing was sent again', () => {
    const done = remediationResultModel(stored(), { outcome: 'done', message: 'Jamf Pro sent a push.' });
    expect(done).toMatchObject({ style: 'good', showConfirm: false, backTitle: 'Refresh', key: '' });
    expect(done.title).toContain('Done');
    const failed = remediationResultModel(
      stored(),
      { outcome: 'failed', status: 403, message: 'Jamf Pro refused it (403 Forbidden).' },
      { again: true },
    );
    expect(failed.style).toBe('attention');
    expect(failed.text).toContain('403 Forbidden');
    expect(failed.note).toContain('nothing was sent again');
    for (const m of [done, failed, remediationResultModel(stored(), null, { again: true })]) {
      const card = renderCard('remediation', m);
      expect(checkCard(card).problems).toEqual([]);
      expect((card.actions as { verb?: string }[]).map((a) => a.verb)).toEqual(['device.refresh']);
    }
  });

  it('the result shows names and a service’s message as typed, never as markdown', () => {
    const macName = '**Boss** [Mac](https://evil.example)';
    const m = remediationResultModel(stored({ macName }), {
      outcome: 'failed',
      message: `Jamf Pro could not send the push to ${macName}: <at>everyone</at> _now_.`,
    });
    expect(m.text).toBe(
      'Jamf Pro could not send the push to \\*\\*Boss\\*\\* \\[Mac\\]\\(https://evil.example\\): \\<at\\>everyone\\</at\\> \\_now\\_.',
    );
    expect(m.title).toContain('\\*\\*Boss\\*\\*');
    expect(checkCard(renderCard('remediation', m)).problems).toEqual([]);
  });

  it('a fix confirmed long ago with no result (the bot stopped mid-send) says the result is unknown, not "still running"', () => {
    const running = stored({ state: 'running', updatedAt: NOW.toISOString() });
    const soon = remediationResultModel(running, null, {
      again: true,
      now: new Date(NOW.getTime() + 60_000),
    });
    expect(soon.title).toContain('still running');
    const late = remediationResultModel(running, null, {
      again: true,
      now: new Date(NOW.getTime() + 11 * 60_000),
    });
    expect(late.title).toContain('result unknown');
    expect(late.text).toContain('audit device.fix');
    expect(checkCard(renderCard('remediation', late)).problems).toEqual([]);
  });

  it('a dynamic group: its rule, and nothing to confirm', () => {
    const m = remediationDynamicGroupModel({
      macName: 'Lynne’s MacBook Air',
      computerId: '6',
      groupName: 'Jamf Device Compliance Users',
      rule: '(user.department -eq "Sales")',
      userUpn: 'lynne.robbins@jamfdemo.example',
    });
    // Escaped for markdown: parentheses show as typed.
    expect(m.facts).toContainEqual({ title: 'Membership rule', value: '\\(user.department -eq "Sales"\\)' });
    expect(m.showConfirm).toBe(false);
    expect(checkCard(renderCard('remediation', m)).problems).toEqual([]);
  });

  it('the device card carries one device.fix button per offered fix', () => {
    const record = macRecord({ jamf: { groups: [APPLICABLE] } });
    const m = deviceCardModel(record, diagnoseMac(record, DEFAULT_CRITERIA, NOW), {
      now: NOW,
      jamfUrl: 'https://jamf.example',
      criteria: DEFAULT_CRITERIA,
      fixes: ['recalculate', 'wake'],
    });
    expect(m.fixes).toEqual([
      { title: REMEDIATION_TITLES.recalculate, kind: 'recalculate', computerId: '1' },
      { title: REMEDIATION_TITLES.wake, kind: 'wake', computerId: '1' },
    ]);
    const card = renderCard('deviceCard', m);
    expect(checkCard(card).problems).toEqual([]);
    expect(JSON.stringify(card)).toContain('"verb":"device.fix"');
    // The owner's own card never offers them.
    const owner = deviceCardModel(record, null, {
      now: NOW,
      jamfUrl: '',
      criteria: DEFAULT_CRITERIA,
      fixes: ['wake'],
      audience: 'owner',
    });
    expect(owner.fixes).toEqual([]);
  });

  it('links to a policy in Self Service with Jamf’s URL scheme', () => {
    expect(selfServicePolicyLink('12')).toBe('jamfselfservice://content?entity=policy&id=12&action=view');
  });
});
