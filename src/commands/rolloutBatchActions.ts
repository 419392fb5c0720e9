import { z } from 'zod';
import type { BatchAnswer } from '../broadcasts/remediationBatches';
import type { AdaptiveCard } from '../cards/renderCard';
import type { AuditActor } from '../compliance/auditTypes';
import { BATCH_KINDS, type BatchCardRef, type BatchKind } from '../compliance/remediationBatchTypes';
import { actorOf } from './actorOf';
import type { CardAction, CardActionContext } from './commandTypes';
import { storedConversationId } from './storedConversationId';

const BATCH_ID = z.string().regex(/^b-[0-9a-f]{8}$/, 'a batch id');

export interface RolloutBatchDeps {
  /** The confirm step: the Macs from the fleet snapshot, the request count, pace and estimate. */
  previewBatch: (kind: BatchKind) => Promise<BatchAnswer>;
  /** Starts the batch the confirm card names, once, audited; its progress card. */
  confirmBatch: (opts: {
    kind: BatchKind;
    batchId: string;
    plannedAt: string;
    actor: AuditActor;
    card: BatchCardRef | null;
  }) => Promise<BatchAnswer>;
  /** A batch's progress card (Refresh). */
  batchProgressCard: (batchId: string) => Promise<AdaptiveCard>;
}

/** The pressed card, to update in place as the batch runs. */
const pressedCard = (ctx: CardActionContext): BatchCardRef | null =>
  ctx.cardActivityId
    ? { conversationId: storedConversationId(ctx.conversation), activityId: ctx.cardActivityId }
    : null;

/**
 * The rollout card's batch fixes (issue 19): *Wake all stale Macs* and *Recalculate all
 * out-of-sync Macs* (`rollout.batch`) answer with the confirm step — how many requests go to
 * Jamf Pro at which pace — and **Confirm** (`rollout.batch.confirm`) starts the batch once; the
 * card becomes its progress card, updated in place, with **Refresh** (`rollout.batch.refresh`).
 * Admins only: the pipeline re-checks the right on every press and audits a refusal.
 */
export function rolloutBatchActions(deps: RolloutBatchDeps): CardAction[] {
  return [
    {
      verb: 'rollout.batch',
      audience: 'admin',
      schema: z.object({ kind: z.enum(BATCH_KINDS) }),
      run: (ctx) => deps.previewBatch(ctx.data.kind as BatchKind),
    },
    {
      verb: 'rollout.batch.confirm',
      audience: 'admin',
      schema: z.object({
        kind: z.enum(BATCH_KINDS),
        batchId: BATCH_ID,
        plannedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, 'a time'),
      }),
      run: (ctx) =>
        deps.confirmBatch({
          kind: ctx.data.kind as BatchKind,
          batchId: String(ctx.data.batchId),
          plannedAt: String(ctx.data.plannedAt),
          actor: actorOf(ctx.caller),
          card: pressedCard(ctx),
        }),
    },
    {
      verb: 'rollout.batch.refresh',
      audience: 'admin',
      schema: z.object({ batchId: BATCH_ID }),
      run: async (ctx) => ({ card: await deps.batchProgressCard(String(ctx.data.batchId)) }),
    },
  ];
}
