import type { AuditEntry } from '../compliance/auditTypes';
import { formatAbsolute } from './formatDate';
import { escapeMarkdown } from './escapeMarkdown';

const OUTCOME: Record<string, string> = {
  planned: '📝 planned',
  started: '▶️ apply started',
  step_ok: '✅ step done',
  step_unchanged: '✅ step already in place',
  step_failed: '❌ step failed',
  applied: '✅ applied',
  failed: '❌ apply failed',
  refused: '⛔ refused',
};

/** One line of what an entry's details say: its summary, a refusal's reason, or nothing. */
function detailOf(e: AuditEntry): string {
  const d = e.details;
  const text = typeof d.summary === 'string' ? d.summary : typeof d.reason === 'string' ? d.reason : '';
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

/** The `auditLog` template's model. */
export interface AuditLogCardModel {
  title: string;
  summary: string;
  entries: readonly { heading: string; what: string; detail: string }[];
  hasOlder: boolean;
  /** Sent back by **Older** / **Newest**. */
  olderData: { beforeId: number; action: string };
  showNewest: boolean;
  newestData: { action: string };
}

export interface AuditCardOptions {
  /** The page asked for: `beforeId` when paging back, `action` when filtered. */
  beforeId?: number;
  action?: string;
  /** Whether there are entries older than the last one shown. */
  hasOlder: boolean;
}

/**
 * The `audit` card's view model: the newest entries first — when, who, what, on what, the
 * outcome and a one-line summary — with **Older** to page back and **Newest** to return.
 * Read-only: the bot offers no way to change an entry.
 */
export function auditLogCardModel(entries: readonly AuditEntry[], opts: AuditCardOptions): AuditLogCardModel {
  const filter = opts.action ? ` for **${escapeMarkdown(opts.action)}**` : '';
  const last = entries[entries.length - 1];
  return {
    title: 'Audit log',
    summary:
      entries.length === 0
        ? opts.beforeId
          ? `No entries${filter} before #${opts.beforeId}.`
          : `No entries${filter} yet.`
        : `${opts.beforeId ? `Entries${filter} before #${opts.beforeId}` : `The newest entries${filter}`}, newest first. Entries are append-only: nobody can change them through the bot.`,
    entries: entries.map((e) => ({
      heading: `**#${e.id}** · ${formatAbsolute(e.at)} · ${escapeMarkdown(e.actor.name ?? e.actor.teamsUserId)}`,
      what: `${escapeMarkdown(e.action)}${e.target ? ` · ${escapeMarkdown(e.target)}` : ''} · ${OUTCOME[e.outcome] ?? escapeMarkdown(e.outcome)}`,
      detail: escapeMarkdown(detailOf(e)),
    })),
    hasOlder: opts.hasOlder && last !== undefined,
    olderData: { beforeId: last?.id ?? 0, action: opts.action ?? '' },
    showNewest: opts.beforeId !== undefined,
    newestData: { action: opts.action ?? '' },
  };
}
