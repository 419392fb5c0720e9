import type { CallerMacs } from '../compliance/callerMacs';
import type { TroubleshootingTopic } from '../compliance/intents';
import { isInGroup } from '../compliance/isInGroup';
import type { TextLine } from './cardParts';
import { ENGLISH, type Translator } from './i18n/translator';
import {
  companyPortalWarning,
  GATHER_AAD_INFO_COMMAND,
  plainMacAdvice,
  registrationSteps,
  type PlainAdviceContext,
} from './plainMacAdvice';
import { numberedLines, partialNotice } from './statusCardModel';
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
  whatYouSee: string;
  outcomes: readonly { when: string; then: string }[];
  checkAgain: string;
  contactIt: string;
}

/** The seed's three outcomes of `jamfaad gatherAADInfo`, in plain words. */
export function gatherAadInfoOutcomes(tr: Translator = ENGLISH): { when: string; then: string }[] {
  return [1, 2, 3].map((n) => ({
    when: tr.t(`troubleshoot.outcome${n}When`),
    then: tr.t(`troubleshoot.outcome${n}Then`),
  }));
}

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
  const tr = ctx.t ?? ENGLISH;
  const numbered = (steps: string[]) => numberedLines(steps, tr);
  const policy = escapeMarkdown(ctx.selfServicePolicyName);
  const checks: Check[] = [];
  /** A Mac that passes both checks and is registered, yet Microsoft does not count it compliant. */
  let stuck = false;
  for (const { record, diagnosis } of caller.macs) {
    const name = escapeMarkdown(record.jamf.name);
    if (diagnosis?.verdict === 'not_applicable') {
      checks.push({ icon: 'ℹ️', text: tr.t('troubleshoot.checkNotInRollout', { name }) });
      continue;
    }
    const registered = record.entra !== null;
    checks.push(
      registered
        ? { icon: '✅', text: tr.t('troubleshoot.checkRegistered', { name }) }
        : { icon: '❌', text: tr.t('troubleshoot.checkNotRegistered', { name }) },
    );
    const compliant = isInGroup(record.jamf.groups, ctx.criteria.complianceGroup);
    checks.push(
      compliant
        ? { icon: '✅', text: tr.t('troubleshoot.checkPasses', { name }) }
        : { icon: '❌', text: tr.t('troubleshoot.checkFails', { name }) },
    );
    if (registered && compliant && record.entra?.isCompliant !== true) stuck = true;
  }
  if (caller.macs.length === 0) {
    checks.push({ icon: '⚠️', text: tr.t('troubleshoot.checkNoMac') });
  }
  if (caller.inConnectorGroup === true) {
    checks.push({ icon: '✅', text: tr.t('troubleshoot.checkInGroup') });
  } else if (caller.inConnectorGroup === false) {
    stuck = false; // that is the cause: nothing on the Mac can fix it
    checks.push({ icon: '❌', text: tr.t('troubleshoot.checkNotInGroup') });
  } else {
    checks.push({ icon: '❔', text: tr.t('troubleshoot.checkGroupUnknown') });
  }

  const sections: Section[] = [];
  const registrationTopic =
    topic === 'register' || topic === 'account_not_onboarded' || topic === 'company_portal';
  const inScope = caller.macs.filter((m) => m.diagnosis?.verdict !== 'not_applicable');
  const allRegistered = inScope.length > 0 && inScope.every((m) => m.record.entra !== null);
  const allCompliant = inScope.length > 0 && inScope.every((m) => m.diagnosis?.verdict === 'compliant');
  if (registrationTopic && !allRegistered) {
    sections.push({
      title: tr.t('troubleshoot.sectionRegister'),
      steps: numbered(registrationSteps(policy, tr)),
    });
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
    sections.push({
      title: tr.t('troubleshoot.sectionForMac', { name: escapeMarkdown(mac.record.jamf.name) }),
      steps: numbered(steps),
    });
  }
  const summary =
    caller.macs.length === 0
      ? tr.t('troubleshoot.summaryNoMac')
      : caller.inConnectorGroup === false
        ? tr.t('troubleshoot.summaryGroup')
        : allCompliant
          ? tr.t('troubleshoot.summaryCompliant')
          : registrationTopic && allRegistered
            ? tr.t(sections.length ? 'troubleshoot.summaryRegisteredMore' : 'troubleshoot.summaryRegistered')
            : showGather
              ? tr.t('troubleshoot.summaryGather')
              : sections.length
                ? tr.t('troubleshoot.summarySteps')
                : '';
  return {
    title: tr.t(`troubleshoot.title.${topic}`),
    intro: tr.t(`troubleshoot.intro.${topic}`, { command: GATHER_AAD_INFO_COMMAND }),
    notice: partialNotice(caller.failures, tr),
    warning: registrationTopic ? companyPortalWarning(tr) : '',
    checksTitle: tr.t('troubleshoot.checksTitle'),
    checks,
    summary,
    sections,
    gatherTitle: showGather ? tr.t('troubleshoot.gatherTitle') : '',
    gatherIntro: showGather ? tr.t('troubleshoot.gatherIntro') : '',
    gatherCommand: showGather ? GATHER_AAD_INFO_COMMAND : '',
    whatYouSee: tr.t('troubleshoot.whatYouSee'),
    outcomes: showGather ? gatherAadInfoOutcomes(tr) : [],
    checkAgain: tr.t('common.checkAgain'),
    contactIt: tr.t('common.contactIt'),
  };
}
