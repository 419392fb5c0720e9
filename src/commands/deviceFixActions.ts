import { z } from 'zod';
import {
  remediationConfirmModel,
  remediationDynamicGroupModel,
  remediationResultModel,
} from '../cards/remediationCardModel';
import { renderCard } from '../cards/renderCard';
import type { AuditActor } from '../compliance/auditTypes';
import { REMEDIATION_KINDS, type RemediationKind } from '../compliance/remediationTypes';
import type { Logger } from '../log';
import type { PlanRemediationResult } from '../lookup/planRemediation';
import type { RunRemediationResult } from '../lookup/runRemediation';
import { actorOf } from './actorOf';
import type { CardAction } from './commandTypes';

const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const COMPUTER_ID = z.string().regex(/^\d{1,12}$/, 'a Jamf computer id');

export interface DeviceFixDeps {
  /** Reads the Mac, checks the fix can help it, stores exactly what Confirm will send (src/lookup/planRemediation). */
  planRemediation: (opts: {
    computerId: string;
    kind: RemediationKind;
    actor: AuditActor;
    now: Date;
  }) => Promise<PlanRemediationResult>;
  /** Sends a stored fix once under its idempotency key (src/lookup/runRemediation). */
  runRemediation: (opts: {
    key: string;
    actor: AuditActor;
    now: () => Date;
    log: Logger;
  }) => Promise<RunRemediationResult>;
}

/**
 * The fixes on a device card (issue 19): a fix's button (`device.fix`) answers with the confirm
 * step — exactly what will be sent to which service — and **Confirm** (`device.fix.confirm`)
 * sends it once and says what was done, with **Refresh**. Admins only: the pipeline re-checks the
 * right on every press and audits a refusal; the use cases audit every plan and run.
 */
export function deviceFixActions(deps: DeviceFixDeps): CardAction[] {
  const plan: CardAction = {
    verb: 'device.fix',
    audience: 'admin',
    schema: z.object({ computerId: COMPUTER_ID, kind: z.enum(REMEDIATION_KINDS) }),
    async run(ctx) {
      const computerId = String(ctx.data.computerId);
      const kind = ctx.data.kind as RemediationKind;
      const planned = await deps.planRemediation({
        computerId,
        kind,
        actor: actorOf(ctx.caller),
        now: ctx.now(),
      });
      switch (planned.kind) {
        case 'unavailable':
          return { message: planned.message };
        case 'dynamic':
          return { card: renderCard('remediation', remediationDynamicGroupModel(planned)) };
        case 'planned':
          return { card: renderCard('remediation', remediationConfirmModel(planned.stored)) };
      }
    },
  };
  const confirm: CardAction = {
    verb: 'device.fix.confirm',
    audience: 'admin',
    // Not `key`: the Agents Playground sends no invoke for an Action.Execute whose data has a
    // `key` member (seen in the browser test), so Confirm did nothing there. Cards posted before
    // the rename still carry `key` (Teams and Outlook do send it): accepted as a fallback.
    schema: z
      .object({
        fixKey: z.string().regex(KEY, 'a confirmation key').optional(),
        key: z.string().regex(KEY, 'a confirmation key').optional(),
        computerId: COMPUTER_ID,
      })
      .refine((d) => d.fixKey !== undefined || d.key !== undefined, 'a confirmation key'),
    async run(ctx) {
      const result = await deps.runRemediation({
        key: String(ctx.data.fixKey ?? ctx.data.key),
        actor: actorOf(ctx.caller),
        now: ctx.now,
        log: ctx.log,
      });
      switch (result.kind) {
        case 'unknown':
          return {
            message:
              'I do not have that fix any more. Press **Refresh** on the device card and choose it again.',
          };
        case 'refused':
          return {
            message:
              'This confirmation is more than an hour old and the Mac may have changed. Press **Refresh** on the device card and choose the fix again.',
          };
        case 'already':
          return {
            card: renderCard(
              'remediation',
              remediationResultModel(result.stored, result.stored.result, { again: true, now: ctx.now() }),
            ),
          };
        case 'ran':
          return { card: renderCard('remediation', remediationResultModel(result.stored, result.result)) };
      }
    },
  };
  return [plan, confirm];
}
