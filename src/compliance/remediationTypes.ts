import type { AuditActor } from './auditTypes';

/**
 * The fixes an admin can start from a device card (issue 19), and what the bot keeps of each
 * press: the request the confirm card showed, stored under an idempotency key, so Confirm sends
 * exactly that once however often it is pressed (or Teams replays the invoke). Plain data.
 */
export const REMEDIATION_KINDS = ['recalculate', 'wake', 'add-to-group', 'send-fix'] as const;

export type RemediationKind = (typeof REMEDIATION_KINDS)[number];

/** The service a fix writes to, as the confirm card names it. */
export type RemediationService = 'Jamf Pro' | 'Microsoft Graph' | 'Teams';

/** Exactly what Confirm will send: one request to one service. */
export interface RemediationRequest {
  service: RemediationService;
  /** `POST /api/v1/computers/42/recalculate-smart-groups`, or for Teams the reminder's route. */
  method: 'POST';
  path: string;
  /** The JSON body as sent (null: none). Never a secret. */
  body: unknown;
  /** Ids the run needs that the card need not show (management id, group id, user id, policy id). */
  params: Record<string, string>;
}

export type RemediationState = 'planned' | 'running' | 'done' | 'failed';

/** How a run ended, in words for the card and the audit log. */
export interface RemediationResult {
  outcome: 'done' | 'failed';
  /** What was done, or why it failed, plainly ("Jamf Pro refused: …"). */
  message: string;
  /** The upstream status of a refusal (403, 404), when there was one. */
  status?: number;
}

export interface StoredRemediation {
  /** The idempotency key (a UUID made when the confirm card was built). */
  key: string;
  kind: RemediationKind;
  computerId: string;
  /** The Mac's name, for the cards and the audit log's target. */
  macName: string;
  request: RemediationRequest;
  createdAt: string;
  createdBy: AuditActor;
  state: RemediationState;
  result: RemediationResult | null;
  updatedAt: string;
}
