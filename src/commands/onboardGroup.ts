import { randomUUID } from 'node:crypto';
import { onboardPlanCardModel } from '../cards/onboardPlanCardModel';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import { desiredSmartGroups } from '../compliance/desiredSmartGroups';
import type { OnboardingPlan, OnboardingRun, OnboardTarget } from '../compliance/onboardingTypes';
import { parseOnboardArgs } from '../compliance/parseOnboardArgs';
import { planOnboarding } from '../compliance/planOnboarding';
import { UserInputError } from '../errors';
import type { Logger } from '../log';
import { readOnboardingState } from '../lookup/readOnboardingState';
import { runOnboardingPlan } from '../lookup/runOnboardingPlan';
import type { Services } from '../services';
import type { AuditActor, StoredOnboardingPlan } from '../store/botStore';
import { z } from 'zod';
import type { Caller, CardAction, Command } from './commandTypes';

/** A plan older than this is not applied: the tenant may have changed since it was shown. */
export const PLAN_MAX_AGE_MS = 60 * 60_000;
/** An Apply that has not finished after this long is assumed dead (a crash) and may be retried. */
const RUN_STALE_MS = 10 * 60_000;
const PLAN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const actorOf = (c: Caller): AuditActor => ({
  teamsUserId: c.teamsUserId,
  aadObjectId: c.aadObjectId,
  name: c.name,
});

function planCard(
  stored: Pick<StoredOnboardingPlan, 'id' | 'actor' | 'createdAt'>,
  plan: OnboardingPlan,
  now: Date,
  run?: OnboardingRun,
): AdaptiveCard {
  return renderCard(
    'onboardPlan',
    onboardPlanCardModel(plan, {
      planId: stored.id,
      plannedBy: stored.actor.name ?? stored.actor.teamsUserId,
      plannedAt: stored.createdAt,
      now,
      run,
    }),
  );
}

/**
 * Reads, plans, stores the plan (so Apply applies exactly it) and audits it. The plan card is
 * the dry run: nothing is written until an admin presses Apply.
 */
async function planFor(
  services: Services,
  target: OnboardTarget,
  caller: Caller,
  now: Date,
  log: Logger,
): Promise<AdaptiveCard> {
  const state = await readOnboardingState(services, target, log);
  const plan = planOnboarding(state, {
    smartGroups: desiredSmartGroups(services.config.criteria),
    requiredApp: services.config.criteria.requiredApp,
  });
  const stored = {
    id: randomUUID(),
    createdAt: now.toISOString(),
    actor: actorOf(caller),
    target: target.value,
  };
  await services.store.saveOnboardingPlan({ ...stored, plan: plan as unknown as Record<string, unknown> });
  await services.store.appendAudit({
    at: stored.createdAt,
    actor: stored.actor,
    action: 'onboard group',
    target: plan.groupLabel,
    outcome: 'planned',
    details: {
      planId: stored.id,
      summary: `Planned ${plan.changeCount} change(s); ${plan.attentionCount} step(s) need a person.`,
      rule: target.rule,
      steps: plan.steps.map((s) => ({
        number: s.number,
        status: s.status,
        changes: s.changes,
        fixes: s.fixes.length,
      })),
    },
  });
  log.info({ planId: stored.id, changes: plan.changeCount }, 'onboard: planned');
  return planCard(stored, plan, now);
}

/** `onboard group <name | id> [rule "…"]`: the plan card; Apply makes the changes. */
export const onboardGroupCommand: Command<Services> = {
  name: 'onboard group',
  audience: 'admin',
  summary:
    'Plan, then apply, the set-up for one Entra user group: the group, the connector’s macOS assignment, the Jamf smart groups; checks Company Portal, the Self Service policy and Conditional Access.',
  usage: 'onboard group <name | object id> [rule "<dynamic membership rule>"]',
  examples: ['onboard group Mac users', 'onboard group Mac users rule "(user.department -eq "Sales")"'],
  async run(ctx) {
    const target = parseOnboardArgs(ctx.args);
    await ctx.reply({ card: await planFor(ctx.services, target, ctx.caller, ctx.now(), ctx.log) });
  },
};

/** "Plan again" on the card: read and plan afresh (a new plan id), the card replaced in place. */
export const onboardPlanAction: CardAction<Services> = {
  verb: 'onboard.plan',
  audience: 'admin',
  // What "Plan again" carries: the group as typed and the rule, if any (Graph's limit: 3,072).
  schema: z.object({ target: z.string().min(1).max(256), rule: z.string().max(3072).optional() }),
  async run(ctx) {
    const target = typeof ctx.data.target === 'string' ? ctx.data.target : '';
    const rule = typeof ctx.data.rule === 'string' && ctx.data.rule !== '' ? ctx.data.rule : null;
    if (target === '')
      throw new UserInputError('That button has no group on it. Type **onboard group <name>** again.');
    const parsed = parseOnboardArgs(rule === null ? `"${target}"` : `"${target}" rule "${rule}"`);
    return { card: await planFor(ctx.services, parsed, ctx.caller, ctx.now(), ctx.log) };
  },
};

/**
 * **Apply** on the plan card: runs the stored plan's writes in order (each re-read first),
 * updating the card in place after every step, and returns the final card. Only admins (the
 * bot re-checks and audits refusals); one run at a time per plan; an old plan is refused.
 */
export const onboardApplyAction: CardAction<Services> = {
  verb: 'onboard.apply',
  audience: 'admin',
  schema: z.object({ planId: z.string().regex(PLAN_ID, 'a plan id') }),
  async run(ctx) {
    const planId = typeof ctx.data.planId === 'string' ? ctx.data.planId : '';
    if (!PLAN_ID.test(planId))
      return { message: 'That button does not name a plan. Type **onboard group <name>** to make one.' };
    const { store } = ctx.services;
    const stored = await store.getOnboardingPlan(planId);
    if (!stored)
      return { message: 'I do not have that plan any more. Type **onboard group <name>** to plan again.' };
    const now = ctx.now();
    const actor = actorOf(ctx.caller);
    const refuse = async (reason: string, message: string) => {
      await store.appendAudit({
        at: now.toISOString(),
        actor,
        action: 'onboard.apply',
        target: stored.target,
        outcome: 'refused',
        details: { planId, reason },
      });
      return { message };
    };
    if (now.getTime() - Date.parse(stored.createdAt) > PLAN_MAX_AGE_MS) {
      return refuse(
        'plan older than an hour',
        'This plan is more than an hour old and the tenant may have changed. Press **Plan again** (or type **onboard group …**) and apply the new plan.',
      );
    }
    const claimed = await store.claimOnboardingPlan(
      planId,
      now.toISOString(),
      new Date(now.getTime() - RUN_STALE_MS).toISOString(),
    );
    if (!claimed)
      return refuse(
        'already being applied',
        'This plan is being applied right now. Wait for the card to update.',
      );
    const plan = stored.plan as unknown as OnboardingPlan;
    let run: OnboardingRun;
    try {
      run = await runOnboardingPlan({
        services: ctx.services,
        plan,
        planId,
        actor,
        now: ctx.now,
        log: ctx.log,
        onProgress: async (r) => {
          if (ctx.cardActivityId)
            await ctx.update(ctx.cardActivityId, { card: planCard(stored, plan, ctx.now(), r) });
        },
      });
    } catch (e) {
      await store.finishOnboardingPlan(planId, 'failed', ctx.now().toISOString());
      throw e;
    }
    await store.finishOnboardingPlan(
      planId,
      run.outcome === 'applied' ? 'applied' : 'failed',
      ctx.now().toISOString(),
    );
    return { card: planCard(stored, plan, ctx.now(), run) };
  },
};
