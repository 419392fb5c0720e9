import type {
  BatchKind,
  BatchMac,
  BatchProgress,
  RemediationBatch,
} from '../compliance/remediationBatchTypes';
import type { ContainerStyle, Fact, TextLine } from './cardParts';
import { escapeMarkdown } from './escapeMarkdown';
import { formatAbsolute } from './formatDate';

/** The rollout card's batch buttons, with the count of Macs each would reach. */
export function batchButtonTitle(kind: BatchKind, macs: number): string {
  const s = macs === 1 ? '' : 's';
  return kind === 'wake' ? `Wake all ${macs} stale Mac${s}` : `Recalculate all ${macs} out-of-sync Mac${s}`;
}

const WHAT: Readonly<Record<BatchKind, { title: string; does: string; request: string }>> = {
  wake: {
    title: 'Wake stale Macs',
    does: 'Jamf Pro sends each stale Mac an empty MDM push: those that are on and online check in now, and their next inventory makes them current.',
    request:
      'POST /api/v2/mdm/blank-push (up to 100 management ids each), after GET /api/v4/computers-inventory for their management ids',
  },
  recalculate: {
    title: 'Recalculate out-of-sync Macs',
    does: 'Jamf Pro re-evaluates every smart group of each Mac whose Compliance group is out of date with its facts, so what Jamf reports to Intune follows its inventory.',
    request: 'POST /api/v1/computers/{id}/recalculate-smart-groups (one per Mac, no body)',
  },
};

/** The `remediationBatch` template's model: a batch's confirm step, or its progress. */
export interface RemediationBatchCardModel {
  style: ContainerStyle;
  title: string;
  text: string;
  facts: readonly Fact[];
  /** A few Macs (confirm) or failures (progress), with their heading ('' hides the list). */
  listTitle: string;
  list: readonly TextLine[];
  note: string;
  showConfirm: boolean;
  showRefresh: boolean;
  kind: BatchKind;
  /** The stored batch the buttons name (Confirm starts exactly its Macs; Cancel cancels it). */
  batchId: string;
}

/** How many requests a batch sends to Jamf Pro: one per Mac, or a read and a push per chunk. */
export function batchRequests(kind: BatchKind, macs: number, pushChunk: number): number {
  return kind === 'recalculate' ? macs : 2 * Math.ceil(macs / Math.max(1, pushChunk));
}

/** "est. 3 min" at the pace, or "est. under a minute". */
export function estimate(requests: number, perSecond: number): string {
  const seconds = requests / Math.max(0.1, perSecond);
  return seconds < 60 ? 'est. under a minute' : `est. ${Math.ceil(seconds / 60)} min`;
}

const SHOWN = 10;
const macLine = (m: BatchMac): TextLine => ({
  text: `• ${escapeMarkdown(m.name)} (Jamf id ${m.computerId})`,
});

/** The confirm step: how many Macs, how many requests at which pace, and a few of the Macs. */
export function batchConfirmModel(opts: {
  kind: BatchKind;
  macs: readonly BatchMac[];
  batchId: string;
  /** The ceiling the card states (`REMEDIATION_BATCH_PER_SECOND`). */
  perSecond: number;
  /** The rate the pacer actually spaces requests at, for the estimate. */
  spacedPerSecond: number;
  pushChunk: number;
}): RemediationBatchCardModel {
  const { kind, macs, perSecond } = opts;
  const requests = batchRequests(kind, macs.length, opts.pushChunk);
  const what = WHAT[kind];
  return {
    style: 'emphasis',
    title: `${what.title}: ${macs.length} Mac${macs.length === 1 ? '' : 's'}?`,
    text: `This will send ${requests} request${requests === 1 ? '' : 's'} to Jamf Pro at ≤ ${perSecond} per second; ${estimate(requests, opts.spacedPerSecond)}. ${what.does}`,
    facts: [
      { title: 'Service', value: 'Jamf Pro' },
      { title: 'Requests', value: what.request },
      { title: 'Macs', value: String(macs.length) },
    ],
    listTitle: macs.length > SHOWN ? `The first ${SHOWN} of ${macs.length} Macs` : 'The Macs',
    list: macs.slice(0, SHOWN).map(macLine),
    note: `Confirm sends exactly to these ${macs.length} Mac${macs.length === 1 ? '' : 's'}, once however often it is pressed, within an hour; it is paced within Jamf Pro’s limits, survives a restart of the bot and every press is audited.`,
    showConfirm: true,
    showRefresh: false,
    kind,
    batchId: opts.batchId,
  };
}

/** The progress card: done, failed and remaining Macs, each failure plainly, Refresh. */
export function batchProgressModel(p: BatchProgress, totalFailures = p.failed): RemediationBatchCardModel {
  const { batch } = p;
  const what = WHAT[batch.kind];
  const finished = batch.state === 'done';
  return {
    style: !finished ? 'emphasis' : p.failed > 0 ? 'warning' : 'good',
    title: `${what.title}: ${finished ? 'finished' : 'running'}`,
    text: finished
      ? `Done: ${p.done} of ${batch.macs} Mac${batch.macs === 1 ? '' : 's'}${p.failed ? `; ${p.failed} failed (below)` : ''}.`
      : `${p.done} done, ${p.failed} failed, ${p.remaining} remaining of ${batch.macs} Mac${batch.macs === 1 ? '' : 's'}.`,
    facts: [
      { title: 'Done', value: String(p.done) },
      { title: 'Failed', value: String(p.failed) },
      { title: 'Remaining', value: String(p.remaining) },
      {
        title: 'Started',
        value: `${formatAbsolute(batch.createdAt)} by ${batch.createdBy.name ?? 'an admin'}`,
      },
      ...(batch.finishedAt ? [{ title: 'Finished', value: formatAbsolute(batch.finishedAt) }] : []),
    ],
    listTitle: p.failures.length
      ? totalFailures > p.failures.length
        ? `The first ${p.failures.length} of ${totalFailures} failures`
        : 'What failed'
      : '',
    // Jamf's refusal text may carry markdown (`*`, `_`, brackets): shown as written.
    list: p.failures.map((f) => ({ text: `• ${escapeMarkdown(f.name)}: ${escapeMarkdown(f.message)}` })),
    note: `Batch ${batch.id} · this card updates as it runs; the audit log has its start and result (\`audit rollout.batch\`).`,
    showConfirm: false,
    showRefresh: true,
    kind: batch.kind,
    batchId: batch.id,
  };
}

/** Cancel on the confirm card: nothing was sent, no buttons. */
export function batchCancelledModel(batch: RemediationBatch): RemediationBatchCardModel {
  return {
    style: 'default',
    title: `${WHAT[batch.kind].title}: cancelled`,
    text: `Cancelled: nothing was sent to the ${batch.macs} Mac${batch.macs === 1 ? '' : 's'}. Type **rollout** for the rollout card.`,
    facts: [],
    listTitle: '',
    list: [],
    note: `Batch ${batch.id} · the audit log has the presses (\`audit rollout.batch\`).`,
    showConfirm: false,
    showRefresh: false,
    kind: batch.kind,
    batchId: batch.id,
  };
}
