import type { OnboardingPlan, OnboardingRun, StepRun } from '../compliance/onboardingTypes';
import { UpstreamError } from '../errors';
import type { Logger } from '../log';
import type { AuditActor, AuditEntry } from '../compliance/auditTypes';
import {
  applyOnboardingAction,
  PlanOutdatedError,
  type ActionResult,
  type OnboardingWriters,
} from './applyOnboardingAction';
import type { AuditLog } from '../store/ports/auditLog';

/** Why a step failed, in a line an admin can act on (never a token or a response body). */
export function describeStepFailure(e: unknown): string {
  if (e instanceof PlanOutdatedError)
    return `${e.message} The tenant changed since the plan: press Plan again.`;
  if (e instanceof UpstreamError) {
    const hint =
      e.code === 'forbidden'
        ? e.service === 'jamf'
          ? 'Add the Create Smart Computer Groups privilege to the bot’s Jamf Pro API role, then press Apply again.'
          : 'Grant the bot’s app registration Group.ReadWrite.All and DeviceManagementServiceConfig.ReadWrite.All (with admin consent), then press Apply again.'
        : e.code === 'bad_request'
          ? 'Check the group name and rule, then plan again.'
          : e.code === 'throttled' || e.code === 'unavailable' || e.code === 'timeout'
            ? 'Press Apply again in a few minutes.'
            : '';
    return `${e.message}.${hint ? ` ${hint}` : ''}`;
  }
  return 'An unexpected error (see the bot’s log).';
}

export interface RunOnboardingOptions {
  /** The clients the writes go through, and the audit log every step is recorded in. */
  deps: OnboardingWriters & { store: Pick<AuditLog, 'appendAudit'> };
  plan: OnboardingPlan;
  planId: string;
  actor: AuditActor;
  now: () => Date;
  log: Logger;
  /** Called after each step with the run so far (the card is updated in place from it). */
  onProgress: (run: OnboardingRun) => Promise<void>;
}

/**
 * Applies a stored plan's steps in order, each write re-checked against a fresh read
 * (`applyOnboardingAction`). Every step's result is audit-logged as it happens, so a failure
 * leaves the steps before it recorded; the first failure stops the run and the later steps are
 * not run. Steps without writes (read-only checks) are not part of the run.
 */
export async function runOnboardingPlan(opts: RunOnboardingOptions): Promise<OnboardingRun> {
  const { deps, plan, planId, actor, now, log } = opts;
  const target = plan.groupLabel;
  const audit = async (outcome: string, details: Record<string, unknown>): Promise<void> => {
    const entry: Omit<AuditEntry, 'id'> = {
      at: now().toISOString(),
      actor,
      action: 'onboard.apply',
      target,
      outcome,
      details: { planId, ...details },
    };
    // The audit log is the record of what changed: if it cannot be written, stop.
    await deps.store.appendAudit(entry);
  };
  const progress = async (r: OnboardingRun): Promise<void> => {
    await opts.onProgress(r).catch((err: unknown) => log.warn({ err }, 'onboard: could not update the card'));
  };
  const run: OnboardingRun = {
    by: actor.name ?? actor.teamsUserId,
    startedAt: now().toISOString(),
    outcome: 'running',
    steps: plan.steps
      .filter((s) => s.actions.length > 0)
      .map((s): StepRun => ({ number: s.number, state: 'pending', detail: '' })),
  };
  await audit('started', { summary: `Apply started: ${plan.changeCount} planned change(s).` });
  await progress(run);
  const run0 = { groupIds: new Map<string, string>() };
  for (const sr of run.steps) {
    const step = plan.steps.find((s) => s.number === sr.number);
    if (!step) continue;
    const results: ActionResult[] = [];
    try {
      for (const action of step.actions) results.push(await applyOnboardingAction(deps, action, run0));
    } catch (e) {
      const why = describeStepFailure(e);
      log.warn({ err: e, step: step.number }, 'onboard: step failed');
      sr.state = 'failed';
      sr.detail = [...results.map((r) => r.detail), why].join(' ');
      for (const later of run.steps) {
        if (later.state === 'pending') {
          later.state = 'not_run';
          later.detail = `Not run: step ${step.number} failed.`;
        }
      }
      run.outcome = 'failed';
      await audit('step_failed', {
        step: step.number,
        title: step.title,
        summary: `Step ${step.number} (${step.title}) failed: ${why}`,
        done: results.map((r) => r.detail),
      });
      await audit('failed', { summary: `Apply stopped at step ${step.number}.`, failedStep: step.number });
      await progress(run);
      return run;
    }
    const changed = results.some((r) => r.changed);
    sr.state = changed ? 'done' : 'unchanged';
    sr.detail = results.map((r) => r.detail).join(' ');
    await audit(changed ? 'step_ok' : 'step_unchanged', {
      step: step.number,
      title: step.title,
      summary: `Step ${step.number} (${step.title}): ${sr.detail}`,
      results: results.map((r) => ({ changed: r.changed, detail: r.detail })),
    });
    // The last step's update already shows the finished run.
    if (sr === run.steps[run.steps.length - 1]) run.outcome = 'applied';
    await progress(run);
  }
  run.outcome = 'applied';
  const changes = run.steps.filter((s) => s.state === 'done').length;
  await audit('applied', {
    summary:
      changes === 0
        ? 'Apply changed nothing: everything was already in place.'
        : `Apply finished: ${changes} step(s) changed.`,
  });
  return run;
}
