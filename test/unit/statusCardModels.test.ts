import { caAuditCardModel } from '../../src/cards/caAuditCardModel';
import { connectorCardModel } from '../../src/cards/connectorCardModel';
import { renderCard } from '../../src/cards/renderCard';
import { assessConnectorHealth } from '../../src/compliance/assessConnectorHealth';
import { auditConditionalAccess } from '../../src/compliance/auditConditionalAccess';
import type { ConnectorScope } from '../../src/lookup/connectorScope';
import type { DeviceComplianceApps } from '../../src/lookup/loadConnectorStatus';
import { checkCard } from '../helpers/validateCard';

const NOW = new Date('2026-11-26T09:00:00Z');
const REG = 'b03c10a8-71c7-45f9-b44a-3335ab76e970';
const APPS = {
  cloudConnector: { id: 'c', appId: 'c-app', displayName: 'Cloud Connector for Device Compliance' },
  userRegistration: { id: 'u', appId: REG, displayName: 'User registration app for Device Compliance' },
};

function scope(over: Partial<ConnectorScope> = {}): ConnectorScope {
  return {
    partner: {
      id: 'p',
      displayName: 'Jamf *Device* Compliance',
      partnerState: 'enabled',
      lastHeartbeatDateTime: '2026-11-26T08:55:00Z',
      macOsOnboarded: true,
      iosOnboarded: false,
      androidOnboarded: false,
      assignments: { macOs: [{ kind: 'group', groupId: 'g' }], ios: [], android: [] },
    },
    groupIds: ['g'],
    groupNames: { g: 'Mac_users' },
    assignsAllUsers: false,
    ...over,
  };
}

function connectorCard(s: ConnectorScope, apps: DeviceComplianceApps = APPS) {
  const health = assessConnectorHealth({
    partner: s.partner,
    scope: s,
    apps,
    fleetSummary: null,
    now: NOW,
    heartbeatStaleAfterMinutes: 60,
  });
  const model = connectorCardModel(
    { health, scope: s, apps, fleet: null, fleetFailure: 'jamf' },
    { now: NOW, registrationAppId: REG },
  );
  return { model, card: renderCard('connectorStatus', model) };
}

describe('connectorCardModel', () => {
  it('escapes names, shows the heartbeat relative and absolute, and says why counts are missing', () => {
    const { model, card } = connectorCard(scope());
    expect(model).toMatchObject({ lightStyle: 'good', lightLabel: 'Connector healthy', reasons: [] });
    expect(model.title).toBe('Jamf \\*Device\\* Compliance (macOS)');
    expect(model.partnerFacts).toContainEqual({ title: 'Assigned groups', value: 'Mac\\_users' });
    expect(model.partnerFacts).toContainEqual({
      title: 'Last heartbeat',
      value: '5 minutes ago (26 Nov 2026, 08:55 UTC)',
    });
    expect(model.fleetNotice).toContain('Jamf Pro did not answer');
    expect(checkCard(card).problems).toEqual([]);
  });

  it('counts broken and degraded reasons in the headline, and marks each', () => {
    const s = scope({ groupIds: ['g', 'gone'], assignsAllUsers: true });
    const { model, card } = connectorCard(s, { ...APPS, userRegistration: null });
    expect(model.headline).toBe('2 problems break the integration; 1 thing needs a look.');
    expect(model.reasons.map((r) => r.marker)).toEqual(['❌', '❌', '⚠️']);
    expect(model.partnerFacts).toContainEqual({
      title: 'Assigned groups',
      value: '⚠️ All users (breaks the connection), Mac\\_users, gone (not found)',
    });
    expect(checkCard(card).problems).toEqual([]);
  });

  it('says when the registration app was found under another app id than configured', () => {
    const apps = { ...APPS, userRegistration: { ...APPS.userRegistration, appId: 'other-id' } };
    const { model } = connectorCard(scope(), apps);
    expect(model.appFacts).toContainEqual({
      title: 'User registration app for Device Compliance',
      value: `✅ Present (app id other-id; REGISTRATION_APP_ID is ${REG})`,
    });
  });

  it('renders without a partner', () => {
    const { model, card } = connectorCard(scope({ partner: null, groupIds: [], groupNames: {} }));
    expect(model.lightLabel).toBe('Connector broken');
    expect(model.partnerFacts).toEqual([{ title: 'Partner', value: '❌ None found in Intune' }]);
    expect(checkCard(card).problems).toEqual([]);
  });
});

describe('caAuditCardModel', () => {
  const policy = (o: object) => ({
    id: 'x',
    displayName: 'Block *risky* [Macs]',
    state: 'enabled',
    includeApplications: ['All'],
    excludeApplications: [] as string[],
    includePlatforms: [] as string[],
    excludePlatforms: [] as string[],
    grantOperator: 'OR',
    builtInControls: ['compliantDevice'],
    ...o,
  });

  it('escapes policy names wherever they are quoted, and validates', () => {
    const model = caAuditCardModel(auditConditionalAccess([policy({})], { registrationAppId: REG }), {
      now: NOW,
    });
    const json = JSON.stringify(model);
    expect(json).not.toContain('Block *risky*');
    expect(model.policies[0]!.name).toBe('Block \\*risky\\* \\[Macs\\]');
    expect(model.caveat).toContain('Block \\*risky\\* \\[Macs\\]');
    expect(checkCard(renderCard('caAudit', model)).problems).toEqual([]);
  });

  it('is green when nothing needs doing, and says so', () => {
    const audit = auditConditionalAccess(
      [policy({ excludeApplications: [REG], includeApplications: ['Office365'] })],
      {
        registrationAppId: REG,
      },
    );
    const model = caAuditCardModel(audit, { now: NOW });
    expect(model).toMatchObject({
      headerStyle: 'good',
      headerLabel: 'Conditional Access is ready for Jamf',
      summary:
        '1 policy requires a compliant or hybrid-joined device (1 on). Every one that needs it excludes the User registration app.',
      caveat: '',
    });
    expect(model.policies[0]!.details).toBe(
      'On · requires compliant device · selected resources · applies to macOS',
    );
  });

  it('renders an empty audit with its note', () => {
    const model = caAuditCardModel(auditConditionalAccess([], { registrationAppId: REG }), { now: NOW });
    expect(model.summary).toBe('No policy requires a compliant or hybrid-joined device.');
    expect(model.notes[0]!.text).toMatch(/^ℹ️ /);
    expect(checkCard(renderCard('caAudit', model)).problems).toEqual([]);
  });
});
