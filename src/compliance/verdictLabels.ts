import type { Verdict } from './diagnosisTypes';

/** What a person reads for each verdict, on cards and in fleet counts. */
export const VERDICT_LABELS: Readonly<Record<Verdict, string>> = {
  compliant: 'Compliant',
  not_applicable: 'Not applicable',
  not_registered: 'Not registered',
  waiting_first_report: 'Registered — waiting for first report',
  not_compliant: 'Not compliant',
  out_of_sync: 'Out of sync',
  stale: 'Stale',
};
