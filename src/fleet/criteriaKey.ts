import type { ComplianceCriteria } from '../compliance/types';
import { stableHash } from './stableHash';

/**
 * What the snapshot's records depend on among the criteria: the Applicable group picks the Macs,
 * the required app decides which applications a record keeps. The rest only feeds diagnoses,
 * which readers compute, so changing it needs no rebuild.
 */
export function criteriaKey(criteria: Pick<ComplianceCriteria, 'applicableGroup' | 'requiredApp'>): string {
  return stableHash({
    applicableGroup: criteria.applicableGroup.trim().toLowerCase(),
    requiredApp: criteria.requiredApp,
  });
}
