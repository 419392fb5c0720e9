import { hasApplication } from '../compliance/hasApplication';
import { internComputer } from '../compliance/internFleetSource';
import { isInGroup } from '../compliance/isInGroup';
import type { ComplianceCriteria, JamfComputer } from '../compliance/types';

/** What of the criteria a slimmed computer depends on (and so the snapshot's `criteriaKey`). */
export type SlimCriteria = Pick<ComplianceCriteria, 'applicableGroup' | 'complianceGroup' | 'requiredApp'>;

/**
 * A computer as the snapshot keeps it: of its applications (often hundreds) only those matching
 * the criteria's required app, and of its group memberships only the Applicable and Compliance
 * groups — the ones a diagnosis, the rollout counts and the thank-you look at. At 50,000 Macs the
 * rest would be most of the bot's memory.
 */
export function slimComputer(computer: JamfComputer, criteria: SlimCriteria): JamfComputer {
  const { requiredApp, applicableGroup, complianceGroup } = criteria;
  const applications =
    requiredApp === null ? [] : computer.applications.filter((a) => hasApplication([a], requiredApp));
  const groups = computer.groups.filter(
    (g) => isInGroup([g], applicableGroup) || isInGroup([g], complianceGroup),
  );
  return internComputer({ ...computer, applications, groups });
}
