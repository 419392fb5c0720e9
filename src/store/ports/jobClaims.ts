/** Scheduled jobs' due times, claimed so each fires once across the instances sharing the store. */
export interface JobClaims {
  /**
   * Claims one due time of a scheduled job for this instance: resolves true for the first
   * claimer only (one row per job and due time), false for every later one, so each due time
   * fires once across all instances sharing the store. `dueAt` is the ISO instant the run was
   * due (not when it started), which every instance computes alike. At most once: a run that
   * crashes after its claim is not retried for that due time.
   */
  claimJobRun(job: string, dueAt: string, instanceId: string): Promise<boolean>;
}
