import { hasApplication } from '../compliance/hasApplication';
import type { JamfComputer } from '../compliance/types';

/**
 * A computer as the snapshot keeps it: of its applications (often hundreds) only those that
 * match the criteria's required app, the one a diagnosis looks at.
 */
export function slimComputer(computer: JamfComputer, requiredApp: string | null): JamfComputer {
  const applications =
    requiredApp === null ? [] : computer.applications.filter((a) => hasApplication([a], requiredApp));
  return { ...computer, applications };
}
