/**
 * The audit log's records, shared by the store, the commands that write entries and the card
 * that lists them. Plain data.
 */

/** Who did something, as the authenticated activity identified them. */
export interface AuditActor {
  teamsUserId: string;
  aadObjectId: string | null;
  name: string | null;
}

/**
 * One line of the audit log: append-only (nothing in the bot edits or deletes an entry).
 * `outcome` says what happened: `planned`, `applied`, `step_ok`, `step_failed`, `refused`, …
 */
export interface AuditEntry {
  /** Assigned by the store, increasing. */
  id: number;
  at: string;
  actor: AuditActor;
  /** The command or card action, e.g. `onboard group`, `onboard.apply`. */
  action: string;
  /** What it acted on (a group name, a campaign id), when there is one. */
  target: string | null;
  outcome: string;
  /** Anything else worth keeping (the plan, a step's result, the refusal's reason). No secrets. */
  details: Record<string, unknown>;
}
