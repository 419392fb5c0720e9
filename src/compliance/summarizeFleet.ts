import { REASON_CODES, VERDICTS, type Diagnosis, type ReasonCode, type Verdict } from './diagnosisTypes';
import { REASON_LABELS } from './reasonLabels';

export interface FleetSummary {
  total: number;
  byVerdict: Record<Verdict, number>;
  /** Macs in scope: everything but `not_applicable`. */
  applicable: number;
  /** Compliant Macs as a percentage of applicable ones, one decimal; 0 when none is applicable. */
  percentCompliant: number;
  /** Problem codes among applicable Macs, most frequent first; each Mac counts once per code. */
  topReasons: { code: ReasonCode; count: number; label: string }[];
}

/** What the counts read of a diagnosis: its verdict and its reasons' codes and levels. */
export interface DiagnosisOutline {
  verdict: Diagnosis['verdict'];
  reasons: readonly Pick<Diagnosis['reasons'][number], 'code' | 'level'>[];
}

const RANK = new Map<ReasonCode, number>(REASON_CODES.map((c, i) => [c, i]));

/**
 * Fleet counts for the rollout and connector cards. Top reasons count problems only, and only
 * for applicable Macs: out-of-scope Macs would otherwise crowd the list with "not in the
 * Applicable group", and warnings do not keep anyone from compliance. Ties keep the
 * what-to-do-first order of `REASON_CODES`, so the list is stable between refreshes.
 */
export function summarizeFleet(diagnoses: readonly DiagnosisOutline[], topN = 5): FleetSummary {
  const byVerdict = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  const counts = new Map<ReasonCode, number>();
  for (const d of diagnoses) {
    byVerdict[d.verdict] += 1;
    if (d.verdict === 'not_applicable') continue;
    const codes = new Set(d.reasons.filter((r) => r.level === 'problem').map((r) => r.code));
    for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  const applicable = diagnoses.length - byVerdict.not_applicable;
  const topReasons = [...counts]
    .sort(([a, x], [b, y]) => y - x || (RANK.get(a) ?? 0) - (RANK.get(b) ?? 0))
    .slice(0, Math.max(0, topN))
    .map(([code, count]) => ({ code, count, label: REASON_LABELS[code] }));
  return {
    total: diagnoses.length,
    byVerdict,
    applicable,
    percentCompliant: applicable === 0 ? 0 : Math.round((byVerdict.compliant / applicable) * 1000) / 10,
    topReasons,
  };
}
