import type { CallerMacs } from '../compliance/callerMacs';
import type { TroubleshootingTopic } from '../compliance/intents';
import { isInGroup } from '../compliance/isInGroup';
import type { TextLine } from './cardParts';
import {
  COMPANY_PORTAL_WARNING,
  GATHER_AAD_INFO_COMMAND,
  plainMacAdvice,
  registrationSteps,
  type PlainAdviceContext,
} from './plainMacAdvice';
import { partialNotice } from './statusCardModel';
import { escapeMarkdown } from './escapeMarkdown';

interface Check {
  icon: string;
  text: string;
}

interface Section {
  title: string;
  steps: TextLine[];
}

/** The `troubleshootCard` template's model. */
export interface TroubleshootCardModel {
  title: string;
  intro: string;
  notice: string;
  warning: string;
  checksTitle: string;
  checks: readonly Check[];
  summary: string;
  sections: readonly Section[];
  gatherTitle: string;
  gatherIntro: string;
  gatherCommand: string;
  outcomes: readonly { when: string; then: string }[];
}

const numbered = (steps: string[]): TextLine[] => steps.map((text, i) => ({ text: `${i + 1}. ${text}` }));

const TITLES: Record<TroubleshootingTopic, string> = {
  account_not_onboarded: '“AccountNotOnboarded” means the wrong app was used to register',
  company_portal: 'Register in Self Service, not in Company Portal',
  register: 'How to register your Mac',
  not_available: 'Your Mac shows “N/A”',
  still_not_compliant: 'Still not compliant after waiting',
  not_compliant: 'Your Mac is not compliant',
  gather_aad_info: 'Checking your registration with gatherAADInfo',
};

const INTROS: Record<TroubleshootingTopic, string> = {
  account_not_onboarded:
    'That error comes from the **Company Portal** app. Company Portal has to stay installed on your Mac, but registration only works from **Self Service**.',
  company_portal:
    'Company Portal is installed on your Mac because the registration needs it, but do not register with it: that fails with *AccountNotOnboarded*.',
  register: 'There is one right way to register a work Mac here: the Self Service app.',
  not_available:
    '“N/A” means Microsoft has your Mac’s registration but not its compliance status yet. It normally changes within an hour or so. Here is what I checked for you, and what to do next.',
  still_not_compliant:
    'When the status has not changed after an hour or more, the registration is usually incomplete. Here is what I checked for you, and what to do next.',
  not_compliant: 'Here is what I checked for you, and what to do next.',
  gather_aad_info: `\`${GATHER_AAD_INFO_COMMAND}\` checks your Mac’s registration with Microsoft. What it shows tells you what to do.`,
};

/** The seed's three outcomes of `jamfaad gatherAADInfo`, in plain words. */
export const GATHER_AAD_INFO_OUTCOMES: { when: string; then: string }[] = [
  {
    when: 'No sign-in window; it says *Microsoft Entra ID acquired for macOS user …*',
    then: 'Your registration is good. The status updates on its own; if it is still not compliant tomorrow, press **Contact IT**.',
  },
  {
    when: 'A sign-in window opens and you sign in without an error',
    then: 'The first registration probably did not finish; it is fixed now. Ask me **status** again in about an hour.',
  },
  {
    when: 'A sign-in window opens but signing in shows an error',
    then: 'This needs IT (they may open a support case with Microsoft). Press **Contact IT** and include the error message.',
  },
];

/**
 * The troubleshooting card for one topic, following the seed's troubleshooting section: first
 * what the bot checked for this person (registered? in the Compliance group? in the connector's
 * user group?), then what to do — the Self Service registration, the fix for a failed check, or
 * running `jamfaad gatherAADInfo` with its three outcomes when every check passes. Pure.
 */
export function troubleshootCardModel(
  topic: TroubleshootingTopic,
  caller: CallerMacs,
  ctx: PlainAdviceContext,
): TroubleshootCardModel {
  const policy = escapeMarkdown(ctx.selfServicePolicyName);
  const checks: Check[] = [];
  /** A Mac that passes both checks and is registered, yet Microsoft does not count it compliant. */
  let stuck = false;
  for (const { record, diagnosis } of caller.macs) {
    const name = `“${escapeMarkdown(record.jamf.name)}”`;
    if (diagnosis?.verdict === 'not_applicable') {
      checks.push({ icon: 'ℹ️', text: `${name} is not part of this rollout: nothing to do for it.` });
      continue;
    }
    const registered = record.entra !== null;
    checks.push(
      registered
        ? { icon: '✅', text: `${name} is registered with your work account.` }
        : { icon: '❌', text: `${name} is not registered with your work account yet.` },
    );
    const compliant = isInGroup(record.jamf.groups, ctx.criteria.complianceGroup);
    checks.push(
      compliant
        ? { icon: '✅', text: `${name} passes IT’s security checks (it is in the Compliance group).` }
        : {
            icon: '❌',
            text: `${name} does not pass IT’s security checks yet (it is not in the Compliance group).`,
          },
    );
    if (registered && compliant && record.entra?.isCompliant !== true) stuck = true;
  }
  if (caller.macs.length === 0) {
    checks.push({
      icon: '⚠️',
      text: 'I could not find a Mac assigned to you. Ask me **status** to see what I looked for.',
    });
  }
  if (caller.inConnectorGroup === true) {
    checks.push({
      icon: '✅',
      text: 'Your account is allowed to report Mac compliance (it is in the right group).',
    });
  } else if (caller.inConnectorGroup === false) {
    stuck = false; // that is the cause: nothing on the Mac can fix it
    checks.push({
      icon: '❌',
      text: 'Your account is not in the group allowed to report Mac compliance. Only IT can add you: press **Contact IT**.',
    });
  } else {
    checks.push({ icon: '❔', text: 'I could not check whether your account is in the right group.' });
  }

  const sections: Section[] = [];
  const registrationTopic =
    topic === 'register' || topic === 'account_not_onboarded' || topic === 'company_portal';
  const inScope = caller.macs.filter((m) => m.diagnosis?.verdict !== 'not_applicable');
  const allRegistered = inScope.length > 0 && inScope.every((m) => m.record.entra !== null);
  const allCompliant = inScope.length > 0 && inScope.every((m) => m.diagnosis?.verdict === 'compliant');
  if (registrationTopic && !allRegistered) {
    sections.push({ title: 'Register in Self Service', steps: numbered(registrationSteps(policy)) });
  }
  // The seed: only when both checks pass does the problem lie in the Mac's registration itself.
  const showGather = topic === 'gather_aad_info' || stuck;
  // What each Mac with a problem needs, in the same words as `status` (gatherAADInfo gets its own section).
  for (const mac of caller.macs) {
    if (registrationTopic && mac.record.entra === null) continue; // the section above covers it
    const steps = plainMacAdvice(mac.record, mac.diagnosis, ctx).steps.filter(
      (s) => !(showGather && s.includes(GATHER_AAD_INFO_COMMAND)),
    );
    if (steps.length === 0) continue;
    sections.push({ title: `For “${escapeMarkdown(mac.record.jamf.name)}”`, steps: numbered(steps) });
  }
  const summary =
    caller.macs.length === 0
      ? 'I could not find a Mac assigned to you, so I cannot check more. Ask me **status** to see what I looked for, or press **Contact IT**.'
      : caller.inConnectorGroup === false
        ? 'That group is what holds it up, and only IT can add you: press **Contact IT**.'
        : allCompliant
          ? 'Good news: everything I can check is fine, and Microsoft counts your Mac as compliant. If an app still says it is not, sign out of the app and back in; if that does not help, press **Contact IT**.'
          : registrationTopic && allRegistered
            ? 'Your Mac is already registered: you do not need to register again.' +
              (sections.length ? ' Here is what is left to do:' : '')
            : showGather
              ? 'Both checks pass, so the next step is on your Mac itself.'
              : sections.length
                ? 'Start with the steps below.'
                : '';
  return {
    title: TITLES[topic],
    intro: INTROS[topic],
    notice: partialNotice(caller.failures),
    warning: registrationTopic ? COMPANY_PORTAL_WARNING : '',
    checksTitle: 'What I checked for you',
    checks,
    summary,
    sections,
    gatherTitle: showGather ? 'Next, on your Mac' : '',
    gatherIntro: showGather ? `Open **Terminal** (Finder › Applications › Utilities) and run:` : '',
    gatherCommand: showGather ? GATHER_AAD_INFO_COMMAND : '',
    outcomes: showGather ? GATHER_AAD_INFO_OUTCOMES : [],
  };
}
