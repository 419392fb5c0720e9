import type { CardModels, CardName } from '../../src/cards/cardModels';
import { endUserMenuModel } from '../../src/cards/endUserMenuModel';
import { escalationCardModel } from '../../src/cards/escalationCardModel';
import { plainMacAdvice } from '../../src/cards/plainMacAdvice';
import { renderCard } from '../../src/cards/renderCard';
import { statusCardModel } from '../../src/cards/statusCardModel';
import { troubleshootCardModel } from '../../src/cards/troubleshootCardModel';
import { welcomeCardModel } from '../../src/cards/welcomeCardModel';
import { DEFAULT_CRITERIA } from '../../src/compliance/defaultCriteria';
import { diagnoseMac } from '../../src/compliance/diagnoseMac';
import type { Verdict } from '../../src/compliance/diagnosisTypes';
import { TROUBLESHOOTING_TOPICS } from '../../src/compliance/intents';
import type { MacRecord } from '../../src/compliance/types';
import { UpstreamError } from '../../src/errors';
import { checkCard } from '../helpers/validateCard';
import { RECORDS, callerWith } from './endUserFixtures';
import { NOW, entraDevice, macRecord } from './complianceFixtures';

const criteria = DEFAULT_CRITERIA;
const ctx = { criteria, selfServicePolicyName: 'Register with Microsoft Entra ID', now: NOW };

/** Words that belong to admins' consoles, not to the person at the Mac. */
const JARGON =
  /Jamf Pro|Applicable group|connector|Intune|Entra device|jamfcloud|entra\.microsoft\.com|User and Location|smart group|RSQL|Graph/i;

const caller = callerWith;

const valid = <K extends CardName>(name: K, model: CardModels[K]) => {
  const card = renderCard(name, model);
  expect(checkCard(card).problems).toEqual([]);
  return JSON.stringify(card);
};

describe('plainMacAdvice: the diagnosis in the words of the person at the Mac', () => {
  it.each(Object.entries(RECORDS) as [Verdict, MacRecord][])(
    '%s: a plain title and text, no jargon',
    (verdict, record) => {
      const diagnosis = diagnoseMac(record, criteria, NOW);
      expect(diagnosis.verdict).toBe(verdict);
      const advice = plainMacAdvice(record, diagnosis, ctx);
      expect(advice.title).not.toBe('');
      expect(`${advice.title} ${advice.text} ${advice.steps.join(' ')}`).not.toMatch(JARGON);
      if (verdict === 'compliant') expect(advice.steps).toEqual([]);
      else if (verdict !== 'not_applicable' && verdict !== 'waiting_first_report')
        expect(advice.steps.length).toBeGreaterThan(0);
    },
  );

  it('not registered: the Self Service policy by name, and not Company Portal', () => {
    const advice = plainMacAdvice(
      RECORDS.not_registered,
      diagnoseMac(RECORDS.not_registered, criteria, NOW),
      {
        ...ctx,
        selfServicePolicyName: 'Register this Mac',
      },
    );
    expect(advice.steps.join(' ')).toContain('**Register this Mac**');
    expect(advice.steps.join(' ')).toContain('AccountNotOnboarded');
  });

  it('not compliant: the FileVault step, then Update Inventory', () => {
    const advice = plainMacAdvice(
      RECORDS.not_compliant,
      diagnoseMac(RECORDS.not_compliant, criteria, NOW),
      ctx,
    );
    expect(advice.steps[0]).toContain('FileVault');
    expect(advice.steps.at(-1)).toContain('Update Inventory');
  });

  it('out of sync: the gatherAADInfo step; waiting: when to check again', () => {
    const sync = plainMacAdvice(RECORDS.out_of_sync, diagnoseMac(RECORDS.out_of_sync, criteria, NOW), ctx);
    expect(sync.steps.join(' ')).toContain('/usr/local/jamf/bin/jamfaad gatherAADInfo');
    const waiting = plainMacAdvice(
      RECORDS.waiting_first_report,
      diagnoseMac(RECORDS.waiting_first_report, criteria, NOW),
      ctx,
    );
    expect(waiting.text).toContain('check again in about 7 hours');
  });

  it('user outside the connector group: only IT can fix it', () => {
    const record = macRecord({ userInConnectorGroup: false, entra: entraDevice({ isCompliant: null }) });
    const advice = plainMacAdvice(record, diagnoseMac(record, criteria, NOW), ctx);
    expect(advice.needsIt).toBe(true);
    expect(advice.steps.join(' ')).toContain('Contact IT');
  });

  it('no diagnosis (Entra did not answer): says so, no steps', () => {
    const advice = plainMacAdvice(RECORDS.compliant, null, ctx);
    expect(advice.title).toBe('Cannot tell right now');
  });
});

describe('statusCardModel', () => {
  it('0 Macs: what was looked for, and what to do', () => {
    const text = valid('statusCard', statusCardModel(caller([]), ctx));
    expect(text).toContain('I could not find a Mac for you');
    expect(text).toContain('alex@contoso.com');
    expect(text).toContain('About This Mac');
  });

  it('every verdict at once renders, with Check again as status.check and no admin links', () => {
    const text = valid('statusCard', statusCardModel(caller(Object.values(RECORDS)), ctx));
    expect(text).toContain('Your 7 Macs');
    expect(text).toContain('"verb":"status.check"');
    expect(text).not.toMatch(/Action\.OpenUrl|jamfcloud|entra\.microsoft\.com/);
  });

  it('a Mac only in Entra, a partial answer, and ignored text are each said once, without echoing the text', () => {
    const text = valid(
      'statusCard',
      statusCardModel(
        caller([], {
          entraOnly: [entraDevice({ displayName: 'Old Mac' })],
          failures: [{ service: 'jamf', error: new UpstreamError('jamf', 'timeout', 'x') }],
        }),
        { ...ctx, ignored: 'C02SOMEONEELSE' },
      ),
    );
    expect(text).toContain('Your Mac');
    expect(text).toContain('Old Mac');
    expect(
      JSON.stringify(
        statusCardModel(
          caller([], { failures: [{ service: 'jamf', error: new UpstreamError('jamf', 'timeout', 'x') }] }),
          ctx,
        ),
      ),
    ).toContain('could not check your Mac right now');
    expect(text).toContain('may be incomplete');
    expect(text).toContain('did not look up what you typed');
    expect(text).not.toContain('C02SOMEONEELSE');
  });

  it('escapes markdown in Mac names', () => {
    const text = valid(
      'statusCard',
      statusCardModel(caller([macRecord({ jamf: { name: '**bold** [x](y)' } })]), ctx),
    );
    expect(text).toContain('\\\\*\\\\*bold');
  });
});

describe("troubleshootCardModel: the seed's troubleshooting, after the checks", () => {
  it.each(TROUBLESHOOTING_TOPICS)('%s renders and validates', (topic) => {
    valid(
      'troubleshootCard',
      troubleshootCardModel(topic, caller([RECORDS.out_of_sync, RECORDS.stale]), ctx),
    );
    valid('troubleshootCard', troubleshootCardModel(topic, caller([]), ctx));
  });

  it('both checks pass and Microsoft still says no: gatherAADInfo with its three outcomes', () => {
    const model = troubleshootCardModel('not_available', caller([RECORDS.out_of_sync]), ctx);
    expect(model.outcomes).toHaveLength(3);
    expect(model.gatherCommand).toBe('/usr/local/jamf/bin/jamfaad gatherAADInfo');
    // The step is not repeated in the Mac's own section.
    expect(JSON.stringify(model.sections)).not.toContain('gatherAADInfo');
  });

  it('not in the connector group: that is the answer, no gatherAADInfo', () => {
    const model = troubleshootCardModel(
      'not_available',
      caller([RECORDS.out_of_sync], { inConnectorGroup: false }),
      ctx,
    );
    expect(model.outcomes).toEqual([]);
    expect(JSON.stringify(model.checks)).toContain('❌');
  });

  it('not in the Compliance group: the fix, no gatherAADInfo', () => {
    const model = troubleshootCardModel('still_not_compliant', caller([RECORDS.not_compliant]), ctx);
    expect(model.outcomes).toEqual([]);
    expect(JSON.stringify(model.sections)).toContain('FileVault');
  });

  it('says what it concludes: all fine, the group, already registered', () => {
    expect(troubleshootCardModel('not_available', caller([RECORDS.compliant]), ctx).summary).toContain(
      'Good news',
    );
    expect(
      troubleshootCardModel('not_available', caller([RECORDS.out_of_sync], { inConnectorGroup: false }), ctx)
        .summary,
    ).toContain('only IT can add you');
    const registered = troubleshootCardModel('register', caller([RECORDS.not_compliant]), ctx);
    expect(registered.summary).toContain('already registered');
    expect(JSON.stringify(registered.sections)).not.toContain('Register in Self Service');
    expect(troubleshootCardModel('register', caller([]), ctx).summary).toContain('could not find a Mac');
  });

  it('asked about gatherAADInfo: the outcomes, whatever the checks say', () => {
    expect(troubleshootCardModel('gather_aad_info', caller([]), ctx).outcomes).toHaveLength(3);
  });

  it('registration topics: Self Service steps and the Company Portal warning', () => {
    const model = troubleshootCardModel('account_not_onboarded', caller([RECORDS.not_registered]), ctx);
    const text = JSON.stringify(model);
    expect(text).toContain('Register with Microsoft Entra ID');
    expect(model.warning).toContain('AccountNotOnboarded');
  });
});

describe('welcome, menu and escalation cards', () => {
  it('welcome: deadline, policy, the wrong way, and validates', () => {
    const text = valid(
      'welcome',
      welcomeCardModel({
        givenName: 'Megan',
        deadline: '2026-12-31',
        selfServicePolicyName: 'Register',
        isAdmin: false,
      }),
    );
    expect(text).toContain('Thursday, 31 December 2026');
    expect(text).toContain('**Register**');
    expect(text).toContain('Company Portal');
    const noDate = valid(
      'welcome',
      welcomeCardModel({ givenName: null, deadline: null, selfServicePolicyName: 'Register', isAdmin: true }),
    );
    expect(noDate).toContain('soon');
    expect(noDate).toContain('IT admin');
  });

  it('menu: buttons that send the words', () => {
    const text = valid('endUserMenu', endUserMenuModel('what **is** this'));
    expect(text).toContain('imBack');
    expect(text).toContain('what \\\\*\\\\*is\\\\*\\\\* this');
    valid('endUserMenu', endUserMenuModel(null));
  });

  it('escalation: user, Macs with the admin diagnosis, check buttons; and without a look-up', () => {
    const text = valid(
      'escalationCard',
      escalationCardModel({
        name: 'Alex Wilber',
        upn: 'alex@contoso.com',
        caller: caller([RECORDS.out_of_sync, RECORDS.not_registered]),
        lookupProblem: '',
        now: NOW,
      }),
    );
    expect(text).toContain('Out of sync');
    expect(text).toContain('Not registered');
    expect(text).toContain('check device C02XK0AAJGH5');
    expect(text).toContain('users=alex%40contoso.com');
    const bare = valid(
      'escalationCard',
      escalationCardModel({
        name: null,
        upn: null,
        caller: null,
        lookupProblem: 'Jamf did not answer.',
        now: NOW,
      }),
    );
    expect(bare).toContain('Someone asked IT');
    expect(bare).toContain('Jamf did not answer.');
  });
});
