import type { CallerMacs } from '../compliance/callerMacs';
import type { ContainerStyle, TextColor, TextLine } from './cardParts';
import { SEVERITY_TEXT_COLOR } from './deviceCardModel';
import { formatWhen } from './formatDate';
import { ENGLISH, type Translator } from './i18n/translator';
import { plainMacAdvice, type PlainAdviceContext } from './plainMacAdvice';
import { escapeMarkdown } from './escapeMarkdown';

const STYLE = { good: 'good', warning: 'warning', attention: 'attention' } as const;

/** The `statusCard` template's model. */
export interface StatusCardModel {
  title: string;
  intro: string;
  notice: string;
  macs: readonly {
    name: string;
    details: string;
    verdictTitle: string;
    verdictColor: TextColor;
    style: ContainerStyle;
    text: string;
    steps: readonly TextLine[];
  }[];
  entraOnly: readonly { name: string; text: string }[];
  empty: boolean;
  emptySteps: readonly TextLine[];
  checkedAt: string;
  /** Labels: "What to do", "Check again", "Contact IT". */
  whatToDo: string;
  checkAgain: string;
  contactIt: string;
}

/** Plain words for "a service did not answer": the person needs to know the answer may be partial, not which API failed. */
export function partialNotice(failures: CallerMacs['failures'], tr: Translator = ENGLISH): string {
  return failures.length ? tr.t('status.partial') : '';
}

/** "1. text" lines, numbered the reader's way. */
export const numberedLines = (steps: readonly string[], tr: Translator): TextLine[] =>
  steps.map((text, i) => ({ text: tr.t('common.numbered', { number: i + 1, text }) }));

/** "a or b", in the reader's language. */
const either = (items: string[], tr: Translator): string =>
  new Intl.ListFormat(tr.language === 'en' ? 'en' : tr.locale, { type: 'disjunction' }).format(items);

/**
 * The `status` card's view model for the person asking: each of their Macs with a plain verdict
 * and numbered steps, Macs only Microsoft knows about, or what was looked for when nothing was
 * found — in the reader's language (`ctx.t`). No admin links, no group names. `ignored` is text
 * the person typed after `status`: it is never looked up (identity comes from Teams), and the
 * card says so without repeating it.
 */
export function statusCardModel(
  caller: CallerMacs,
  ctx: PlainAdviceContext & { ignored?: string; isAdmin?: boolean },
): StatusCardModel {
  const tr = ctx.t ?? ENGLISH;
  const macs = caller.macs.map(({ record, diagnosis }) => {
    const advice = plainMacAdvice(record, diagnosis, ctx);
    const { jamf } = record;
    return {
      name: escapeMarkdown(jamf.name),
      details: [jamf.model, jamf.serialNumber ? tr.t('status.serial', { serial: jamf.serialNumber }) : null]
        .filter(Boolean)
        .join(' · '),
      verdictTitle: advice.title,
      verdictColor: SEVERITY_TEXT_COLOR[advice.severity],
      style: STYLE[advice.severity],
      text: advice.text,
      steps: numberedLines(advice.steps, tr),
    };
  });
  const entraOnly = caller.entraOnly.map((d) => ({
    name: escapeMarkdown(d.displayName),
    text: tr.t('status.entraOnly'),
  }));
  const addresses = either(
    [...new Set([caller.user.userPrincipalName, caller.user.mail].filter((a): a is string => !!a))],
    tr,
  );
  const count = macs.length + entraOnly.length;
  const notices = [
    partialNotice(caller.failures, tr),
    // What was typed is not repeated: the card is about the caller, and only the caller.
    ctx.ignored ? tr.t('status.ignored') + (ctx.isAdmin ? ` ${tr.t('status.ignoredAdmin')}` : '') : '',
  ].filter(Boolean);
  const labels = {
    checkedAt: tr.t('status.checked', { when: formatWhen(ctx.now.toISOString(), ctx.now, tr) }),
    whatToDo: tr.t('common.whatToDo'),
    checkAgain: tr.t('common.checkAgain'),
    contactIt: tr.t('common.contactIt'),
  };
  // Nothing found while a system was down is not "you have no Mac": say so, and offer Check again.
  if (count === 0 && caller.failures.length) {
    return {
      ...labels,
      title: tr.t('status.failedTitle'),
      intro: tr.t('status.failedIntro'),
      notice: '',
      macs: [],
      entraOnly: [],
      empty: false,
      emptySteps: [],
    };
  }
  return {
    ...labels,
    title: tr.t('status.title', { count }),
    intro:
      count === 0
        ? tr.t('status.introNone', { addresses: escapeMarkdown(addresses) })
        : tr.t('status.intro', { addresses: escapeMarkdown(addresses) }),
    notice: notices.join(' '),
    macs,
    entraOnly,
    empty: count === 0,
    emptySteps:
      count === 0
        ? numberedLines([tr.t('status.empty1'), tr.t('status.empty2'), tr.t('status.empty3')], tr)
        : [],
  };
}
