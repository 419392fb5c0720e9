/** Fleet counts on one day (UTC), as the rollout card and its trend show them; the store keeps one a day. */
export interface RolloutSnapshot {
  /** `YYYY-MM-DD` (UTC); one snapshot per day, a later one replaces it. */
  day: string;
  takenAt: string;
  total: number;
  applicable: number;
  /** Macs per verdict (`compliance/diagnosisTypes` VERDICTS). */
  byVerdict: Record<string, number>;
  percentCompliant: number;
  topReasons: { code: string; label: string; count: number }[];
}
