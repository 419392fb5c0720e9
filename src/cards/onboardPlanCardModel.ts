import type { OnboardingPlan, OnboardingRun, StepRunState, StepStatus } from '../compliance/onboardingTypes';
import type { ContainerStyle, TextLine } from './cardParts';
import { formatWhen } from './formatDate';
import { escapeMarkdown } from './escapeMarkdown';

const STATUS: Record<StepStatus, string> = {
  ok: '✅ In place',
  change: '➕ Apply changes this',
  attention: '⚠️ Needs you',
  manual: '📋 Check by hand',
};
const RUN: Record<StepRunState, string> = {
  pending: '⏳ Waiting to apply',
  done: '✅ Done',
  unchanged: '✅ Already in place — nothing changed',
  failed: '❌ Failed',
  not_run: '⏸️ Not run',
};

/** The `onboardPlan` template's model. */
export interface OnboardPlanCardModel {
  style: ContainerStyle;
  title: string;
  summary: string;
  steps: readonly {
    heading: string;
    status: string;
    current: readonly TextLine[];
    changes: readonly TextLine[];
    fixes: readonly TextLine[];
    result: string;
    resultStyle: ContainerStyle;
  }[];
  footer: string;
  canApply: boolean;
  applyTitle: string;
  /** Sent back by **Apply**. */
  planId: string;
  /** Sent back by **Plan again**. */
  replan: { target: string; rule: string };
}

export interface OnboardPlanCardOptions {
  planId: string;
  plannedBy: string;
  plannedAt: string;
  now: Date;
  /** The Apply run, once an admin pressed Apply (updated after each step). */
  run?: OnboardingRun | null;
}

/** `1`, `1 and 2`, `1, 2 and 3`. */
const listed = (ns: number[]): string =>
  ns.length <= 1 ? ns.join('') : `${ns.slice(0, -1).join(', ')} and ${ns[ns.length - 1]}`;

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function header(
  plan: OnboardingPlan,
  run: OnboardingRun | null | undefined,
): { style: ContainerStyle; title: string; summary: string } {
  const group = escapeMarkdown(plan.groupLabel);
  const needYou = plan.attentionCount
    ? ` ${plural(plan.attentionCount, 'step needs', 'steps need')} you (⚠️ below).`
    : '';
  if (!run) {
    if (plan.changeCount === 0) {
      return {
        style: plan.attentionCount ? 'warning' : 'good',
        title: `Onboard ${group}: nothing to change`,
        summary: `Everything I can set up is in place; nothing would change.${needYou} Step 4 is checked by hand.`,
      };
    }
    return {
      style: 'accent',
      title: `Onboard ${group}: ${plural(plan.changeCount, 'change', 'changes')} to apply`,
      summary: `This is a plan: nothing has changed yet. An admin presses **Apply** to make the changes marked ➕, in order; each is checked again just before it is made.${needYou}`,
    };
  }
  if (run.outcome === 'running') {
    return {
      style: 'accent',
      title: `Applying the plan for ${group}…`,
      summary: `Pressed by ${escapeMarkdown(run.by)}. This card updates after each step.`,
    };
  }
  const failed = run.steps.find((s) => s.state === 'failed');
  if (run.outcome === 'failed' && failed) {
    const before = run.steps.filter((s) => s.number < failed.number).map((s) => s.number);
    const kept = before.length
      ? `Step${before.length > 1 ? 's' : ''} ${listed(before)} ${before.length > 1 ? 'were' : 'was'} applied and recorded in the audit log; nothing after step ${failed.number} ran.`
      : `Nothing after step ${failed.number} ran.`;
    const title = plan.steps.find((s) => s.number === failed.number)?.title ?? '';
    return {
      style: 'attention',
      title: `Step ${failed.number} failed: ${title}`,
      summary: `${kept} Fix the cause and press **Apply** again: what is already done is skipped.`,
    };
  }
  const changed = run.steps.filter((s) => s.state === 'done').length;
  return {
    style: 'good',
    title: changed ? `Applied: ${group} is set up` : `Nothing changed: ${group} was already set up`,
    summary: `${changed ? `${plural(changed, 'step', 'steps')} changed` : 'Every change was already in place'}, applied by ${escapeMarkdown(run.by)} and recorded in the audit log.${needYou}`,
  };
}

/**
 * The `onboard group` card's view model, for the plan and for its Apply run: a header that says
 * whether anything changed yet, then each step with what is there now, what Apply changes (➕),
 * what a person must do (⚠️ / 📋), and — once applied — how the step went. **Apply** shows only
 * while there is something to apply and no run is in progress or finished cleanly.
 */
export function onboardPlanCardModel(
  plan: OnboardingPlan,
  opts: OnboardPlanCardOptions,
): OnboardPlanCardModel {
  const run = opts.run ?? null;
  const lines = (xs: string[]) => xs.map((text) => ({ text }));
  const steps = plan.steps.map((s): OnboardPlanCardModel['steps'][number] => {
    const r = run?.steps.find((x) => x.number === s.number);
    return {
      heading: `**${s.number}. ${s.title}**`,
      status: r ? RUN[r.state] : STATUS[s.status],
      current: lines(s.current),
      changes: lines(s.changes.map((c) => `➕ ${c}`)),
      fixes: lines(s.fixes),
      result: r && r.detail ? escapeMarkdown(r.detail) : '',
      resultStyle: r?.state === 'failed' ? 'attention' : 'good',
    };
  });
  const canApply = plan.changeCount > 0 && (!run || run.outcome === 'failed');
  return {
    ...header(plan, run),
    steps,
    footer: `Planned by ${escapeMarkdown(opts.plannedBy)} ${formatWhen(opts.plannedAt, opts.now)} · plan ${opts.planId.slice(0, 8)}`,
    canApply,
    applyTitle: run?.outcome === 'failed' ? 'Apply again' : 'Apply',
    planId: opts.planId,
    replan: { target: plan.target.value, rule: plan.target.rule ?? '' },
  };
}
