import type { SlimCriteria } from './slimComputer';
import { stableHash } from './stableHash';

/**
 * What the snapshot's records depend on among the criteria: the Applicable group picks the Macs,
 * the required app and the two groups decide what a record keeps (`slimComputer`). The rest only
 * feeds diagnoses, which readers compute, so changing it needs no rebuild.
 */
export function criteriaKey(criteria: SlimCriteria): string {
  return stableHash({
    applicableGroup: criteria.applicableGroup.trim().toLowerCase(),
    complianceGroup: criteria.complianceGroup.trim().toLowerCase(),
    requiredApp: criteria.requiredApp,
  });
}
