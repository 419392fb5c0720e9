import { FILEVAULT_LABELS } from '../../src/compliance/fileVaultLabels';
import fc from 'fast-check';
import { DEFAULT_CRITERIA } from '../../src/compliance/defaultCriteria';
import { diagnoseMac } from '../../src/compliance/diagnoseMac';
import {
  REASON_CODES,
  VERDICTS,
  type Diagnosis,
  type Reason,
  type ReasonCode,
} from '../../src/compliance/diagnosisTypes';
import { REASON_LABELS } from '../../src/compliance/reasonLabels';
import type {
  ComplianceCriteria,
  EntraDevice,
  FileVaultStatus,
  JamfComputer,
  MacRecord,
} from '../../src/compliance/types';
import { VERDICT_LABELS } from '../../src/compliance/verdictLabels';
import {
  APPLICABLE,
  COMPLIANCE,
  DAY,
  HOUR,
  NOW,
  ago,
  entraDevice,
  entraUser,
  jamfComputer,
  macRecord,
} from './complianceFixtures';

const seen = new Set<ReasonCode>();
/** Diagnoses with the seed's criteria and records every reason code any test produced. */
const diagnose = (
  record: MacRecord,
  criteria: ComplianceCriteria = DEFAULT_CRITERIA,
  context?: Parameters<typeof diagnoseMac>[3],
): Diagnosis => {
  const d = diagnoseMac(record, criteria, NOW, context);
  for (const r of d.reasons) seen.add(r.code);
  return d;
};
const codes = (d: Diagnosis): ReasonCode[] => d.reasons.map((r) => r.code);
const reason = (d: Diagnosis, code: ReasonCode): Reason => {
  const r = d.reasons.find((x) => x.code === code);
  if (!r) throw new Error(`no ${code} in ${codes(d).join(', ')}`);
  return r;
};
const notCompliantInJamf = { groups: [APPLICABLE] };
const waitingDevice = (over: Partial<EntraDevice> = {}): EntraDevice =>
  entraDevice({ isCompliant: null, registrationDateTime: ago(2 * HOUR), ...over });

describe('diagnoseMac — verdicts', () => {
  it('a healthy Mac is compliant, green, with nothing to do', () => {
    const d = diagnose(macRecord());
    expect(d).toEqual({
      verdict: 'compliant',
      headline: 'Compliant: Jamf Pro and Entra ID agree.',
      severity: 'good',
      reasons: [],
      nextStep: null,
    });
  });

  it('a Mac outside the Applicable group is not applicable, and only that is said', () => {
    const d = diagnose(
      macRecord({ jamf: { groups: [COMPLIANCE], fileVault2Status: 'NOT_ENCRYPTED' }, entra: null }),
    );
    expect(d.verdict).toBe('not_applicable');
    expect(d.severity).toBe('warning');
    expect(codes(d)).toEqual(['not_in_applicable_group']);
    expect(d.nextStep?.code).toBe('not_in_applicable_group');
    expect(d.nextStep?.fix.who).toBe('it');
    expect(d.nextStep?.detail).toContain('“Jamf-Intune Applicable Group”');
  });

  it('not applicable without the required app names the app in the detail and the fix', () => {
    const d = diagnose(macRecord({ jamf: { groups: [], applications: ['Safari.app'] } }));
    const r = reason(d, 'not_in_applicable_group');
    expect(r.detail).toContain('CompanyPortal.app is not installed');
    expect(r.fix.text).toContain('deploy CompanyPortal.app');
  });

  it("Jamf's compliance info saying applicable counts as applicable", () => {
    const d = diagnose(
      macRecord({
        jamf: { groups: [COMPLIANCE] },
        jamfCompliance: {
          computerId: '1',
          applicable: true,
          complianceState: 'COMPLIANT',
          entraDeviceIds: [],
        },
      }),
    );
    expect(d.verdict).toBe('compliant');
  });

  it('a Mac with no inventory inside staleAfterDays is stale', () => {
    const d = diagnose(macRecord({ jamf: { reportDate: ago(20 * DAY), lastContact: ago(3 * DAY) } }));
    expect(d.verdict).toBe('stale');
    expect(d.severity).toBe('attention');
    expect(d.headline).toBe('Stale: no inventory from this Mac for 20 days.');
    const r = reason(d, 'inventory_stale');
    expect(r.detail).toBe('Last inventory 20 days ago (stale after 14 days); last check-in 3 days ago.');
    expect(r.fix).toEqual({
      who: 'user',
      text: 'Make sure the Mac is on and connected; run *Update Inventory* in Self Service.',
    });
    expect(codes(d)).not.toContain('inventory_old');
  });

  it('a Mac without an Entra device is not registered, and the fix is Self Service, never Company Portal', () => {
    const d = diagnose(macRecord({ entra: null, joinedBy: 'none' }));
    expect(d.verdict).toBe('not_registered');
    expect(d.headline).toBe('Not registered with Entra ID yet.');
    expect(codes(d)).toEqual(['no_entra_device']);
    expect(d.nextStep?.fix).toEqual({
      who: 'user',
      text:
        'Open **Self Service** and run *Register with Microsoft Entra ID* — not the Company Portal app ' +
        '(that fails with AccountNotOnboarded).',
    });
    expect(d.nextStep?.detail).toContain('“Alex’s MacBook Pro”');
  });

  it("uses the tenant's Self Service policy name", () => {
    const d = diagnose(macRecord({ entra: null }), DEFAULT_CRITERIA, {
      selfServicePolicyName: 'Connect to Microsoft',
    });
    expect(d.nextStep?.fix.text).toContain('run *Connect to Microsoft*');
  });

  it('registered, Jamf compliant, Entra N/A within the delay: waiting for the first report (the seed’s N/A case)', () => {
    const d = diagnose(macRecord({ entra: waitingDevice() }));
    expect(d.verdict).toBe('waiting_first_report');
    expect(d.severity).toBe('warning');
    expect(codes(d)).toEqual(['waiting_first_report']);
    const r = reason(d, 'waiting_first_report');
    expect(r.detail).toBe(
      'Registered 2 hours ago; Entra ID shows N/A. Jamf Pro counts it compliant; ' +
        'the report is expected within 8 hours of the last inventory.',
    );
    expect(r.fix).toEqual({ who: 'user', text: 'Nothing to do yet: check again in about 7 hours.' });
  });

  it("Entra's initial Not compliant within the delay is also waiting", () => {
    const d = diagnose(macRecord({ entra: waitingDevice({ isCompliant: false }) }));
    expect(d.verdict).toBe('waiting_first_report');
    expect(reason(d, 'waiting_first_report').detail).toContain('Entra ID shows Not compliant');
  });

  it('Entra N/A past the delay is out of sync, fixed with jamfaad gatherAADInfo', () => {
    const d = diagnose(
      macRecord({ jamf: { reportDate: ago(10 * HOUR) }, entra: entraDevice({ isCompliant: null }) }),
    );
    expect(d.verdict).toBe('out_of_sync');
    expect(d.severity).toBe('attention');
    expect(d.headline).toBe('Out of sync: Jamf Pro counts it compliant, Entra ID does not.');
    const r = reason(d, 'sync_delayed');
    expect(r.detail).toBe(
      'Jamf Pro counts it compliant, but Entra ID still shows N/A 10 hours after the last inventory ' +
        '(expected within 8 hours): the device record is likely incomplete.',
    );
    expect(r.fix.who).toBe('user');
    expect(r.fix.text).toContain('/usr/local/jamf/bin/jamfaad gatherAADInfo');
    expect(r.fix.text).toContain('If it asks you to sign in');
    expect(r.fix.text).toContain('If signing in fails, contact IT');
  });

  it('Entra Not compliant past the delay is out of sync, and IT checks the connector', () => {
    const d = diagnose(
      macRecord({ jamf: { reportDate: ago(10 * HOUR) }, entra: entraDevice({ isCompliant: false }) }),
    );
    expect(d.verdict).toBe('out_of_sync');
    expect(codes(d)).toEqual(['entra_not_compliant']);
    expect(d.nextStep?.fix.who).toBe('it');
    expect(d.nextStep?.fix.text).toContain('connector status');
  });

  it('not in the Compliance group is not compliant; the failing criterion comes first', () => {
    const d = diagnose(macRecord({ jamf: { ...notCompliantInJamf, fileVault2Status: 'SOME_ENCRYPTED' } }));
    expect(d.verdict).toBe('not_compliant');
    expect(d.severity).toBe('attention');
    expect(d.headline).toBe('Not compliant: FileVault not on for all disks.');
    expect(codes(d)).toEqual(['filevault_not_all_encrypted', 'not_in_compliance_group']);
    expect(d.nextStep).toEqual({
      code: 'filevault_not_all_encrypted',
      criterion: 'requiredFileVault',
      level: 'problem',
      detail:
        'FileVault 2 is Some Partitions Encrypted; the Compliance group needs All Partitions Encrypted.',
      fix: {
        who: 'user',
        text: 'Turn FileVault on for all disks: System Settings › Privacy & Security › FileVault.',
      },
    });
    expect(reason(d, 'not_in_compliance_group').fix.who).toBe('user');
  });

  it('not compliant with every known check passing sends IT to the group criteria', () => {
    const d = diagnose(macRecord({ jamf: notCompliantInJamf }));
    expect(d.headline).toBe('Not compliant: Jamf Pro does not count it compliant.');
    expect(codes(d)).toEqual(['not_in_compliance_group']);
    expect(d.nextStep?.fix.who).toBe('it');
    expect(d.nextStep?.fix.text).toContain('“Jamf-Intune Compliance Group”');
  });

  it('labels every verdict for people', () => {
    expect(VERDICT_LABELS).toEqual({
      compliant: 'Compliant',
      not_applicable: 'Not applicable',
      not_registered: 'Not registered',
      waiting_first_report: 'Registered — waiting for first report',
      not_compliant: 'Not compliant',
      out_of_sync: 'Out of sync',
      stale: 'Stale',
    });
    expect(Object.keys(VERDICT_LABELS).sort()).toEqual([...VERDICTS].sort());
    expect(Object.keys(REASON_LABELS).sort()).toEqual([...REASON_CODES].sort());
  });
});

describe('diagnoseMac — reasons', () => {
  it('inventory older than the Compliance group allows: a problem when Jamf agrees', () => {
    const d = diagnose(macRecord({ jamf: { ...notCompliantInJamf, reportDate: ago(5 * DAY) } }));
    expect(d.verdict).toBe('not_compliant');
    const r = reason(d, 'inventory_old');
    expect(r.level).toBe('problem');
    expect(r.criterion).toBe('inventoryMaxAgeDays');
    expect(r.detail).toBe('Last inventory 5 days ago; the Compliance group needs one less than 2 days old.');
    expect(d.headline).toBe('Not compliant: Inventory too old for the Compliance group.');
  });

  it('inventory too old while Jamf still counts it compliant: a warning on a compliant Mac', () => {
    const d = diagnose(macRecord({ jamf: { reportDate: ago(3 * DAY) } }));
    expect(d.verdict).toBe('compliant');
    expect(reason(d, 'inventory_old').level).toBe('warning');
    expect(reason(d, 'inventory_old').detail).toContain('Jamf Pro still counts it compliant');
    expect(d.nextStep).toBeNull();
  });

  it('Company Portal missing is tied to requiredApp and fixed by IT', () => {
    const d = diagnose(macRecord({ jamf: { ...notCompliantInJamf, applications: ['Safari.app'] } }));
    const r = reason(d, 'company_portal_missing');
    expect(r).toMatchObject({ criterion: 'requiredApp', level: 'problem', fix: { who: 'it' } });
    expect(r.detail).toContain('CompanyPortal.app is not installed');
    expect(d.headline).toBe('Not compliant: Company Portal missing.');
  });

  it.each([
    ['Company Portal.app'],
    ['CompanyPortal.app'],
    ['company portal.app'],
    ['Company Portal'],
    ['COMPANYPORTAL.APP'],
    ['Company  Portal.app'],
  ])('the required app matches the inventoried name %p', (name) => {
    const d = diagnose(macRecord({ jamf: { applications: [name] } }));
    expect(codes(d)).not.toContain('company_portal_missing');
  });

  it('a different app does not satisfy the requirement', () => {
    const d = diagnose(macRecord({ jamf: { applications: ['Company Portal Helper.app', 'Portal.app'] } }));
    expect(codes(d)).toContain('company_portal_missing');
  });

  it('FileVault state missing from the inventory is a warning, not a failure', () => {
    const d = diagnose(macRecord({ jamf: { fileVault2Status: null } }));
    expect(d.verdict).toBe('compliant');
    expect(reason(d, 'filevault_unknown')).toMatchObject({ level: 'warning', fix: { who: 'user' } });
  });

  it.each<FileVaultStatus>(['NOT_ENCRYPTED', 'BOOT_ENCRYPTED', 'SOME_ENCRYPTED', 'NOT_APPLICABLE'])(
    'FileVault %s fails the seed’s All Partitions Encrypted',
    (status) => {
      const d = diagnose(macRecord({ jamf: { ...notCompliantInJamf, fileVault2Status: status } }));
      expect(reason(d, 'filevault_not_all_encrypted').detail).toContain(FILEVAULT_LABELS[status]);
    },
  );

  it("a user outside the connector's group: IT adds them, named in the fix", () => {
    const d = diagnose(macRecord({ entra: waitingDevice(), userInConnectorGroup: false }), DEFAULT_CRITERIA, {
      connectorGroupName: 'Jamf Device Compliance Users',
    });
    expect(d.verdict).toBe('waiting_first_report');
    expect(d.nextStep).toMatchObject({
      code: 'user_not_in_connector_group',
      criterion: 'connectorGroup',
      level: 'problem',
      fix: { who: 'it', text: 'Add alex@contoso.com to the Entra group “Jamf Device Compliance Users”.' },
    });
    expect(codes(d)).toEqual(['user_not_in_connector_group', 'waiting_first_report']);
  });

  it('without the group name the fix still says which group', () => {
    const d = diagnose(macRecord({ entra: null, userInConnectorGroup: false }));
    expect(reason(d, 'user_not_in_connector_group').fix.text).toBe(
      'Add alex@contoso.com to the Entra group the Jamf connector is assigned to.',
    );
    expect(d.nextStep?.code).toBe('user_not_in_connector_group');
  });

  it('on a compliant Mac, a user outside the connector group is a warning', () => {
    const d = diagnose(macRecord({ userInConnectorGroup: false }));
    expect(d.verdict).toBe('compliant');
    expect(reason(d, 'user_not_in_connector_group').level).toBe('warning');
    expect(d.nextStep).toBeNull();
  });

  it('unknown connector membership (null) says nothing', () => {
    expect(codes(diagnose(macRecord({ userInConnectorGroup: null })))).toEqual([]);
  });

  it('a Jamf user with no Entra user is reported for IT to correct', () => {
    const d = diagnose(macRecord({ user: null, userInConnectorGroup: null }));
    expect(d.verdict).toBe('compliant');
    const r = reason(d, 'user_not_found_in_entra');
    expect(r).toMatchObject({ level: 'warning', fix: { who: 'it' } });
    expect(r.detail).toContain('“alex@contoso.com”');
  });

  it('falls back to the Jamf username when there is no email', () => {
    const d = diagnose(macRecord({ jamf: { email: null }, user: null }));
    expect(reason(d, 'user_not_found_in_entra').detail).toContain('“alex”');
  });

  it('a Mac with no user in Jamf is reported as such', () => {
    const d = diagnose(
      macRecord({ jamf: { email: null, username: '  ' }, user: null, userInConnectorGroup: null }),
    );
    expect(codes(d)).toEqual(['no_user_assigned']);
    expect(reason(d, 'no_user_assigned').fix.who).toBe('it');
  });

  it('an Entra device that is not a Workplace registration is flagged', () => {
    const d = diagnose(macRecord({ entra: entraDevice({ trustType: 'AzureAd' }) }));
    expect(d.verdict).toBe('compliant');
    expect(reason(d, 'entra_device_not_workplace_joined').detail).toContain('join type AzureAd');
  });

  it('an unknown trust type says nothing', () => {
    expect(codes(diagnose(macRecord({ entra: entraDevice({ trustType: null }) })))).toEqual([]);
  });

  it('a compliant Mac matched by name only still carries a weak-join warning', () => {
    const d = diagnose(macRecord({ joinedBy: 'name' }));
    expect(d.verdict).toBe('compliant');
    expect(d.severity).toBe('good');
    expect(d.nextStep).toBeNull();
    expect(reason(d, 'weak_join')).toMatchObject({
      level: 'warning',
      criterion: 'registration',
      fix: { who: 'it' },
    });
    expect(reason(d, 'weak_join').detail).toContain('b5d2f1a0-1111-4c2e-9a7b-000000000001');
  });

  it('jamf-device-id and name-and-owner joins carry no join warning', () => {
    expect(codes(diagnose(macRecord({ joinedBy: 'jamf-device-id' })))).toEqual([]);
    expect(codes(diagnose(macRecord({ joinedBy: 'name-and-owner' })))).toEqual([]);
  });
});

describe('diagnoseMac — boundaries ("less than x days ago" is strict, like Jamf’s operator)', () => {
  const c = DEFAULT_CRITERIA;

  it('inventory exactly inventoryMaxAgeDays ago is too old; one millisecond younger is fine', () => {
    expect(codes(diagnose(macRecord({ jamf: { reportDate: ago(c.inventoryMaxAgeDays * DAY) } })))).toEqual([
      'inventory_old',
    ]);
    expect(
      codes(diagnose(macRecord({ jamf: { reportDate: ago(c.inventoryMaxAgeDays * DAY - 1) } }))),
    ).toEqual([]);
  });

  it('the detail at exactly 2 days reads truthfully', () => {
    const d = diagnose(macRecord({ jamf: { ...notCompliantInJamf, reportDate: ago(2 * DAY) } }));
    expect(reason(d, 'inventory_old').detail).toBe(
      'Last inventory 2 days ago; the Compliance group needs one less than 2 days old.',
    );
  });

  it('just under 2 days is said in hours, never rounded up to days', () => {
    const d = diagnose(macRecord({ jamf: { reportDate: ago(2 * DAY - 1) }, entra: null }));
    expect(codes(d)).toEqual(['no_entra_device']);
    const old = diagnose(macRecord({ jamf: { reportDate: ago(2 * DAY - 1) } }), {
      ...c,
      inventoryMaxAgeDays: 1,
    });
    expect(reason(old, 'inventory_old').detail).toContain('Last inventory 47 hours ago');
  });

  it('inventory exactly staleAfterDays ago is stale; one millisecond younger is not', () => {
    expect(diagnose(macRecord({ jamf: { reportDate: ago(c.staleAfterDays * DAY) } })).verdict).toBe('stale');
    const d = diagnose(macRecord({ jamf: { reportDate: ago(c.staleAfterDays * DAY - 1) } }));
    expect(d.verdict).toBe('compliant');
    expect(codes(d)).toEqual(['inventory_old']);
  });

  it('exactly syncDelayHours is still waiting; one millisecond more is out of sync', () => {
    const at = (ms: number): Diagnosis =>
      diagnose(macRecord({ jamf: { reportDate: ago(ms) }, entra: entraDevice({ isCompliant: null }) }));
    expect(at(c.syncDelayHours * HOUR).verdict).toBe('waiting_first_report');
    expect(at(c.syncDelayHours * HOUR + 1).verdict).toBe('out_of_sync');
  });

  it('the sync clock starts at the later of registration and the last inventory', () => {
    const rec = (reportAgo: number, regAgo: number | null): MacRecord =>
      macRecord({
        jamf: { reportDate: ago(reportAgo) },
        entra: entraDevice({ isCompliant: null, registrationDateTime: regAgo === null ? null : ago(regAgo) }),
      });
    expect(diagnose(rec(HOUR, 10 * DAY)).verdict).toBe('waiting_first_report');
    expect(diagnose(rec(DAY, HOUR)).verdict).toBe('waiting_first_report');
    expect(reason(diagnose(rec(DAY, HOUR)), 'waiting_first_report').detail).toContain(
      'within 8 hours of registration',
    );
    expect(diagnose(rec(DAY, 9 * HOUR)).verdict).toBe('out_of_sync');
    expect(reason(diagnose(rec(DAY, 9 * HOUR)), 'sync_delayed').detail).toContain(
      '9 hours after registration',
    );
    expect(diagnose(rec(HOUR, null)).verdict).toBe('waiting_first_report');
    expect(diagnose(rec(9 * HOUR, null)).verdict).toBe('out_of_sync');
  });

  it('a report date in the future (clock skew) counts as just now', () => {
    const d = diagnose(macRecord({ jamf: { reportDate: new Date(NOW.getTime() + DAY).toISOString() } }));
    expect(d.verdict).toBe('compliant');
  });

  it('the waiting fix never promises less than an hour', () => {
    const d = diagnose(
      macRecord({
        jamf: { reportDate: ago(8 * HOUR - 60_000) },
        entra: waitingDevice({ registrationDateTime: null }),
      }),
    );
    expect(reason(d, 'waiting_first_report').fix.text).toBe(
      'Nothing to do yet: check again in about 1 hour.',
    );
    expect(reason(d, 'waiting_first_report').detail).toContain('Registered at an unknown time;');
  });
});

describe('diagnoseMac — missing data', () => {
  const empty: JamfComputer = {
    id: '9',
    udid: null,
    name: '',
    serialNumber: null,
    model: null,
    osVersion: null,
    reportDate: null,
    lastContact: null,
    fileVault2Status: null,
    applications: [],
    username: null,
    email: null,
    realName: null,
    groups: [],
  };
  const bare: MacRecord = {
    jamf: empty,
    jamfCompliance: null,
    entra: null,
    joinedBy: 'none',
    user: null,
    userInConnectorGroup: null,
  };

  it('a Mac Jamf knows nothing about is simply not applicable', () => {
    const d = diagnose(bare);
    expect(d.verdict).toBe('not_applicable');
    expect(codes(d)).toEqual(['not_in_applicable_group', 'inventory_stale']);
    expect(reason(d, 'inventory_stale')).toMatchObject({ level: 'warning' });
    expect(reason(d, 'inventory_stale').detail).toBe(
      'Jamf Pro has no inventory date for this Mac, so its group memberships may be out of date.',
    );
  });

  it('no report date at all makes an applicable Mac stale', () => {
    const d = diagnose({ ...bare, jamf: { ...empty, groups: [APPLICABLE] } });
    expect(d.verdict).toBe('stale');
    expect(d.headline).toBe('Stale: Jamf Pro has no inventory from this Mac.');
    expect(d.nextStep?.code).toBe('inventory_stale');
  });

  it('an unparseable report date is treated as missing', () => {
    expect(diagnose(macRecord({ jamf: { reportDate: 'last Tuesday' } })).verdict).toBe('stale');
    expect(diagnose(macRecord({ jamf: { reportDate: '' } })).verdict).toBe('stale');
  });

  it('null isCompliant, null registration date, null trust type and no user never throw', () => {
    const d = diagnose(
      macRecord({
        jamf: { email: null, username: null },
        entra: entraDevice({ isCompliant: null, registrationDateTime: null, trustType: null }),
        user: null,
        userInConnectorGroup: null,
      }),
    );
    expect(d.verdict).toBe('waiting_first_report');
    expect(codes(d)).toEqual(['no_user_assigned', 'waiting_first_report']);
  });

  it('fields missing from loosely typed input (undefined) do not throw', () => {
    const loose = {
      ...macRecord().jamf,
      groups: undefined,
      applications: undefined,
    } as unknown as JamfComputer;
    const d = diagnose({ ...macRecord(), jamf: loose });
    expect(d.verdict).toBe('not_applicable');
  });
});

describe('diagnoseMac — precedence', () => {
  it('not applicable beats stale and not registered', () => {
    const d = diagnose(macRecord({ jamf: { groups: [], reportDate: ago(90 * DAY) }, entra: null }));
    expect(d.verdict).toBe('not_applicable');
  });

  it('stale beats not registered; both are said, the stale fix first', () => {
    const d = diagnose(macRecord({ jamf: { reportDate: ago(30 * DAY) }, entra: null }));
    expect(d.verdict).toBe('stale');
    expect(codes(d)).toEqual(['inventory_stale', 'no_entra_device']);
    expect(d.nextStep?.code).toBe('inventory_stale');
  });

  it('not registered beats not compliant; FileVault is still listed', () => {
    const d = diagnose(
      macRecord({ jamf: { ...notCompliantInJamf, fileVault2Status: 'NOT_ENCRYPTED' }, entra: null }),
    );
    expect(d.verdict).toBe('not_registered');
    expect(codes(d)).toEqual(['no_entra_device', 'filevault_not_all_encrypted', 'not_in_compliance_group']);
    expect(d.nextStep?.code).toBe('no_entra_device');
  });

  it('Company Portal missing comes before registering (registration needs it)', () => {
    const d = diagnose(macRecord({ jamf: { ...notCompliantInJamf, applications: [] }, entra: null }));
    expect(codes(d).slice(0, 2)).toEqual(['company_portal_missing', 'no_entra_device']);
  });

  it('not compliant beats waiting: a first report would only say "not compliant"', () => {
    const d = diagnose(
      macRecord({
        jamf: { ...notCompliantInJamf, fileVault2Status: 'NOT_ENCRYPTED' },
        entra: waitingDevice(),
      }),
    );
    expect(d.verdict).toBe('not_compliant');
    expect(codes(d)).not.toContain('waiting_first_report');
  });

  it('Jamf not compliant while Entra still says compliant is not compliant (Entra will follow)', () => {
    expect(diagnose(macRecord({ jamf: notCompliantInJamf })).verdict).toBe('not_compliant');
  });

  it("Jamf's reported COMPLIANT state counts as Jamf saying compliant", () => {
    const d = diagnose(
      macRecord({
        jamf: notCompliantInJamf,
        jamfCompliance: {
          computerId: '1',
          applicable: true,
          complianceState: 'COMPLIANT',
          entraDeviceIds: [],
        },
      }),
    );
    expect(d.verdict).toBe('compliant');
  });

  it('Jamf reported NON_COMPLIANT but the Compliance group has the Mac: the group counts', () => {
    const d = diagnose(
      macRecord({
        jamfCompliance: {
          computerId: '1',
          applicable: true,
          complianceState: 'NON_COMPLIANT',
          entraDeviceIds: [],
        },
      }),
    );
    expect(d.verdict).toBe('compliant');
  });

  it('IT prerequisites come before what the user does', () => {
    const d = diagnose(
      macRecord({
        jamf: { ...notCompliantInJamf, fileVault2Status: 'NOT_ENCRYPTED' },
        userInConnectorGroup: false,
      }),
    );
    expect(codes(d)).toEqual([
      'user_not_in_connector_group',
      'filevault_not_all_encrypted',
      'not_in_compliance_group',
    ]);
    expect(d.nextStep?.fix.who).toBe('it');
  });
});

describe('diagnoseMac — custom criteria', () => {
  const byId: ComplianceCriteria = { ...DEFAULT_CRITERIA, applicableGroup: '101', complianceGroup: '102' };
  const groups = [
    { groupId: '101', groupName: 'Macs in scope', smartGroup: true },
    { groupId: '102', groupName: 'Macs that pass', smartGroup: true },
  ];

  it('groups can be named by id', () => {
    expect(diagnose(macRecord({ jamf: { groups } }), byId).verdict).toBe('compliant');
    const d = diagnose(macRecord({ jamf: { groups: groups.slice(0, 1) } }), byId);
    expect(d.verdict).toBe('not_compliant');
    expect(reason(d, 'not_in_compliance_group').detail).toContain('the Compliance group (Jamf id 102)');
    expect(diagnose(macRecord({ jamf: { groups: [] } }), byId).nextStep?.detail).toContain(
      'the Applicable group (Jamf id 101)',
    );
  });

  it('group names match case-insensitively and ignoring surrounding spaces', () => {
    const c = { ...DEFAULT_CRITERIA, applicableGroup: ' macs in SCOPE ', complianceGroup: 'MACS THAT PASS' };
    expect(diagnose(macRecord({ jamf: { groups } }), c).verdict).toBe('compliant');
  });

  it('a numeric criterion matches the group with that id, and only it', () => {
    const c = { ...DEFAULT_CRITERIA, applicableGroup: '11', complianceGroup: '12' };
    expect(diagnose(macRecord(), c).verdict).toBe('compliant');
    expect(diagnose(macRecord(), { ...c, applicableGroup: '13' }).verdict).toBe('not_applicable');
  });

  it('no FileVault requirement: FileVault is never a reason', () => {
    const c = { ...DEFAULT_CRITERIA, requiredFileVault: null };
    for (const status of ['NOT_ENCRYPTED', null] as const) {
      const d = diagnose(macRecord({ jamf: { ...notCompliantInJamf, fileVault2Status: status } }), c);
      expect(codes(d)).toEqual(['not_in_compliance_group']);
    }
  });

  it('another FileVault requirement is matched exactly, like Jamf’s "is" operator', () => {
    const c = { ...DEFAULT_CRITERIA, requiredFileVault: 'BOOT_ENCRYPTED' as const };
    expect(codes(diagnose(macRecord({ jamf: { fileVault2Status: 'BOOT_ENCRYPTED' } }), c))).toEqual([]);
    const d = diagnose(macRecord({ jamf: { ...notCompliantInJamf, fileVault2Status: 'ALL_ENCRYPTED' } }), c);
    expect(reason(d, 'filevault_not_all_encrypted').detail).toContain('needs Boot Partitions Encrypted');
  });

  it('no required app: the app is never a reason', () => {
    const c = { ...DEFAULT_CRITERIA, requiredApp: null };
    const d = diagnose(macRecord({ jamf: { ...notCompliantInJamf, applications: [] } }), c);
    expect(codes(d)).toEqual(['not_in_compliance_group']);
    expect(d.nextStep?.fix.who).toBe('it');
  });

  it('another required app is named in the reason', () => {
    const c = { ...DEFAULT_CRITERIA, requiredApp: 'Jamf Connect.app' };
    const d = diagnose(macRecord({ jamf: notCompliantInJamf }), c);
    expect(reason(d, 'company_portal_missing').detail).toContain('Jamf Connect.app is not installed');
    expect(codes(diagnose(macRecord({ jamf: { applications: ['JamfConnect.app'] } }), c))).toEqual([]);
  });

  it('longer windows move the boundaries', () => {
    const c = { ...DEFAULT_CRITERIA, inventoryMaxAgeDays: 7, staleAfterDays: 30, syncDelayHours: 24 };
    expect(codes(diagnose(macRecord({ jamf: { reportDate: ago(6 * DAY) } }), c))).toEqual([]);
    expect(diagnose(macRecord({ jamf: { reportDate: ago(20 * DAY) } }), c).verdict).toBe('compliant');
    const waiting = macRecord({
      jamf: { reportDate: ago(20 * HOUR) },
      entra: entraDevice({ isCompliant: null }),
    });
    expect(diagnose(waiting, c).verdict).toBe('waiting_first_report');
    expect(diagnose(waiting).verdict).toBe('out_of_sync');
  });
});

describe('diagnoseMac — properties', () => {
  const iso = fc.oneof(
    fc.constant(null),
    fc.constant('not a date'),
    fc.integer({ min: -2 * DAY, max: 60 * DAY }).map((ms) => ago(ms)),
  );
  const groupMembership = fc.constantFrom(
    APPLICABLE,
    COMPLIANCE,
    { groupId: '101', groupName: 'Macs in scope', smartGroup: true },
    { groupId: '7', groupName: 'All Managed Clients', smartGroup: true },
  );
  const fileVault = fc.constantFrom<FileVaultStatus | null>(
    null,
    'NOT_APPLICABLE',
    'NOT_ENCRYPTED',
    'BOOT_ENCRYPTED',
    'SOME_ENCRYPTED',
    'ALL_ENCRYPTED',
  );
  const optText = fc.constantFrom('alex', 'alex@contoso.com', 'O’Brien', '', '  ', null);
  const computer = fc.record({
    reportDate: iso,
    lastContact: iso,
    fileVault2Status: fileVault,
    applications: fc.array(fc.constantFrom('Company Portal.app', 'CompanyPortal.app', 'Safari.app', ''), {
      maxLength: 3,
    }),
    username: optText,
    email: optText,
    name: fc.constantFrom('', 'Alex’s MacBook Pro', 'Zoë’s Mac'),
    groups: fc.uniqueArray(groupMembership, { maxLength: 4 }),
  });
  const device = fc.option(
    fc.record({
      isCompliant: fc.constantFrom(true, false, null),
      trustType: fc.constantFrom('Workplace' as const, 'AzureAd' as const, 'ServerAd' as const, null),
      registrationDateTime: iso,
    }),
    { nil: null },
  );
  const record = fc
    .record({
      jamf: computer,
      entra: device,
      joinedBy: fc.constantFrom(
        'jamf-device-id' as const,
        'name-and-owner' as const,
        'name' as const,
        'none' as const,
      ),
      hasUser: fc.boolean(),
      userInConnectorGroup: fc.constantFrom(true, false, null),
      compliance: fc.option(
        fc.record({
          applicable: fc.boolean(),
          complianceState: fc.constantFrom(
            'UNKNOWN' as const,
            'NON_COMPLIANT' as const,
            'COMPLIANT' as const,
          ),
        }),
        { nil: null },
      ),
    })
    .map((r): MacRecord => ({
      jamf: jamfComputer(r.jamf),
      entra: r.entra && entraDevice(r.entra),
      joinedBy: r.joinedBy,
      user: r.hasUser ? entraUser() : null,
      userInConnectorGroup: r.userInConnectorGroup,
      jamfCompliance: r.compliance && { computerId: '1', entraDeviceIds: [], ...r.compliance },
    }));
  const criteria = fc.record({
    applicableGroup: fc.constantFrom('Jamf-Intune Applicable Group', '101', 'jamf-intune applicable group'),
    complianceGroup: fc.constantFrom('Jamf-Intune Compliance Group', '12', ''),
    inventoryMaxAgeDays: fc.integer({ min: 0, max: 30 }),
    requiredApp: fc.constantFrom('CompanyPortal.app', null, ''),
    requiredFileVault: fileVault,
    staleAfterDays: fc.integer({ min: 0, max: 60 }),
    syncDelayHours: fc.integer({ min: 0, max: 72 }),
  });
  const rank = (r: Reason): number => REASON_CODES.indexOf(r.code);

  it('any record gets exactly one known verdict, never throws, and every reason has a fix', () => {
    fc.assert(
      fc.property(record, criteria, (rec, crit) => {
        const d = diagnoseMac(rec, crit, NOW);
        expect(VERDICTS).toContain(d.verdict);
        expect(d.headline.length).toBeGreaterThan(0);
        expect(['good', 'warning', 'attention']).toContain(d.severity);
        expect(new Set(codes(d)).size).toBe(d.reasons.length);
        for (const r of d.reasons) {
          expect(REASON_CODES).toContain(r.code);
          expect(['user', 'it']).toContain(r.fix.who);
          expect(r.fix.text.trim().length).toBeGreaterThan(0);
          expect(r.detail.trim().length).toBeGreaterThan(0);
          expect(r.detail).not.toMatch(/NaN|undefined|null/);
        }
        expect(d.reasons.map(rank)).toEqual(d.reasons.map(rank).sort((a, b) => a - b));
        // Exactly the compliant verdict has nothing blocking it; nextStep is the first problem.
        expect(d.nextStep === null).toBe(d.verdict === 'compliant');
        expect(d.nextStep).toBe(d.reasons.find((r) => r.level === 'problem') ?? null);
        expect(d.severity === 'good').toBe(d.verdict === 'compliant');
      }),
      { numRuns: 1000 },
    );
  });

  it('the verdict follows the documented precedence', () => {
    fc.assert(
      fc.property(record, (rec) => {
        const d = diagnoseMac(rec, DEFAULT_CRITERIA, NOW);
        const applicable =
          rec.jamf.groups.some((g) => g.groupName === APPLICABLE.groupName) ||
          rec.jamfCompliance?.applicable === true;
        if (!applicable) expect(d.verdict).toBe('not_applicable');
        else if (codes(d).includes('inventory_stale')) expect(d.verdict).toBe('stale');
        else if (rec.entra === null) expect(d.verdict).toBe('not_registered');
        else if (codes(d).includes('not_in_compliance_group')) expect(d.verdict).toBe('not_compliant');
        else if (rec.entra.isCompliant === true) expect(d.verdict).toBe('compliant');
        else expect(['waiting_first_report', 'out_of_sync']).toContain(d.verdict);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('diagnoseMac — coverage of reason codes', () => {
  it('the tests above produced every reason code', () => {
    expect([...seen].sort()).toEqual([...REASON_CODES].sort());
  });
});
