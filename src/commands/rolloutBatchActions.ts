import { z } from 'zod';
import type { BatchAnswer, BatchPress } from '../broadcasts/remediationBatches';
import type { AdaptiveCard } from '../cards/renderCard';
import type { AuditActor } from '../compliance/auditTypes';
import { BATCH_KINDS, type BatchCardRef, type BatchKind } from '../compliance/remediationBatchTypes';
import { actorOf } from './actorOf';
import type { CardAction, CardActionContext } from './commandTypes';
import { storedConversationId } from './storedConversationId';

const BATCH_ID = z.string().regex(/^b-[0-9a-f]{8}$/, 'a batch id');

export interface RolloutBatchDeps {
  /** The confirm step: stores the batch planned with the Macs it shows; the request count, pace and estimate. */
  previewBatch: (kind: BatchKind, actor: AuditActor, card: BatchCardRef | null) => Promise<BatchAnswer>;
  /** Starts the planned batch the confirm card names, once, within an hour; every press audited. */
  confirmBatch: (press: BatchPress) => Promise<BatchAnswer>;
  /** Cancels the planned batch the confirm card names (nothing sent), audited. */
  cancelBatch: (press: BatchPress) => Promise<BatchAnswer>;
  /** A batch's progress card (Refresh). */
  batchProgressCard: (batchId: string) => Promise<AdaptiveCard>;
}

/** The pressed card, to update in place as the batch runs. */
const pressedCard = (ctx: CardActionContext): BatchCardRef | null =>
  ctx.cardActivityId
    ? { conversationId: storedConversationId(ctx.conversation), activityId: ctx.cardActivityId }
    : null;

const pressOf = (ctx: CardActionContext): BatchPress => ({
  batchId: String(ctx.data.batchId),
  actor: actorOf(ctx.caller),
  card: pressedCard(ctx),
});

/**
 * The rollout card's batch fixes (issue 19): *Wake all stale Macs* and *Recalculate all
 * out-of-sync Macs* (`rollout.batch`) store the batch planned and answer with the confirm step —
 * exactly which Macs, how many requests to Jamf Pro at which pace; **Confirm**
 * (`rollout.batch.confirm`) starts that batch once and the card becomes its progress card,
 * updated in place, with **Refresh** (`rollout.batch.refresh`); **Cancel**
 * (`rollout.batch.cancel`) drops it without syncing anything. Admins only: the pipeline re-checks
 * the right on every press and audits a refusal.
 */
export function rolloutBatchActions(deps: RolloutBatchDeps): CardAction[] {
  return [
    {
      verb: 'rollout.batch',
      audience: 'admin',
      schema: z.object({ kind: z.enum(BATCH_KINDS) }),
      run: (ctx) => deps.previewBatch(ctx.data.kind as BatchKind, actorOf(ctx.caller), pressedCard(ctx)),
    },
    {
      verb: 'rollout.batch.confirm',
      audience: 'admin',
      schema: z.object({ batchId: BATCH_ID }),
      run: (ctx) => deps.confirmBatch(pressOf(ctx)),
    },
    {
      verb: 'rollout.batch.cancel',
      audience: 'admin',
      schema: z.object({ batchId: BATCH_ID }),
      run: (ctx) => deps.cancelBatch(pressOf(ctx)),
    },
    {
      verb: 'rollout.batch.refresh',
      audience: 'admin',
      schema: z.object({ batchId: BATCH_ID }),
      run: async (ctx) => ({ card: await deps.batchProgressCard(String(ctx.data.batchId)) }),
    },
  ];
}
