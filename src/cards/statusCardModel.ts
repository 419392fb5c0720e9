import type { CallerMacs } from '../compliance/callerMacs';
import type { ContainerStyle, TextColor, TextLine } from './cardParts';
import { SEVERITY_TEXT_COLOR } from './deviceCardModel';
import { formatWhen } from './formatDate';
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
}

/** Plain words for "a service did not answer": the person needs to know the answer may be partial, not which API failed. */
export function partialNotice(failures: CallerMacs['failures']): string {
  return failures.length
    ? 'One of the systems I check did not answer, so this may be incomplete. Try **Check again** in a few minutes.'
    : '';
}

/**
 * The `status` card's view model for the person asking: each of their Macs with a plain verdict
 * and numbered steps, Macs only Microsoft knows about, or what was looked for when nothing was
 * found. No admin links, no group names. `ignored` is text the person typed after `status`: it
 * is never looked up (identity comes from Teams), and the card says so without repeating it.
 */
export function statusCardModel(
  caller: CallerMacs,
  ctx: PlainAdviceContext & { ignored?: string; isAdmin?: boolean },
): StatusCardModel {
  const macs = caller.macs.map(({ record, diagnosis }) => {
    const advice = plainMacAdvice(record, diagnosis, ctx);
    const { jamf } = record;
    return {
      name: escapeMarkdown(jamf.name),
      details: [jamf.model, jamf.serialNumber ? `serial ${jamf.serialNumber}` : null]
        .filter(Boolean)
        .join(' · '),
      verdictTitle: advice.title,
      verdictColor: SEVERITY_TEXT_COLOR[advice.severity],
      style: STYLE[advice.severity],
      text: advice.text,
      steps: advice.steps.map((text, i) => ({ text: `${i + 1}. ${text}` })),
    };
  });
  const entraOnly = caller.entraOnly.map((d) => ({
    name: escapeMarkdown(d.displayName),
    text: 'Registered to you with Microsoft, but IT’s Mac management does not list it under your name, so I cannot check it. IT can fix that: press **Contact IT**.',
  }));
  const addresses = [...new Set([caller.user.userPrincipalName, caller.user.mail].filter(Boolean))].join(
    ' or ',
  );
  const count = macs.length + entraOnly.length;
  const notices = [
    partialNotice(caller.failures),
    // What was typed is not repeated: the card is about the caller, and only the caller.
    ctx.ignored
      ? 'I only ever look at the Macs registered to you, so I did not look up what you typed after “status”.' +
        (ctx.isAdmin ? ' To check anyone’s Mac, use **check device** with its serial number.' : '')
      : '',
  ].filter(Boolean);
  // Nothing found while a system was down is not "you have no Mac": say so, and offer Check again.
  if (count === 0 && caller.failures.length) {
    return {
      title: 'I could not check your Mac right now',
      intro: 'One of the systems I check did not answer. Try **Check again** in a few minutes.',
      notice: '',
      macs: [],
      entraOnly: [],
      empty: false,
      emptySteps: [],
      checkedAt: `Checked ${formatWhen(ctx.now.toISOString(), ctx.now)}`,
    };
  }
  return {
    title: count === 0 ? 'I could not find a Mac for you' : count === 1 ? 'Your Mac' : `Your ${count} Macs`,
    intro:
      count === 0
        ? `I looked for Macs assigned to ${escapeMarkdown(addresses)} in IT’s Mac management, and for Macs registered to your work account with Microsoft, and found none.`
        : `The Macs assigned to ${escapeMarkdown(addresses)}.`,
    notice: notices.join(' '),
    macs,
    entraOnly,
    empty: count === 0,
    emptySteps:
      count === 0
        ? [
            { text: '1. If you have a work Mac, note its serial number: Apple menu › **About This Mac**.' },
            { text: '2. Press **Contact IT** below: IT will check it is enrolled and assigned to you.' },
            {
              text: '3. If your Mac is not enrolled yet, IT will tell you how; then register it with Self Service.',
            },
          ]
        : [],
    checkedAt: `Checked ${formatWhen(ctx.now.toISOString(), ctx.now)}`,
  };
}
