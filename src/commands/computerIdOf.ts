import { z } from 'zod';
import { UserInputError } from '../errors';

/** What `check device` takes, for its error messages. */
export const CHECK_DEVICE_HINT =
  'For example: **check device C02DEMO0004**, **check device Megan’s MacBook Air** or **check device megan.bowen@jamfdemo.example**.';

/** The data of a device card's buttons: one Jamf computer id, nothing that could carry a query. */
export const computerData = z.object({ computerId: z.string().regex(/^\d{1,12}$/, 'a Jamf computer id') });

/** The Jamf computer id a device button carries. */
export function computerIdOf(data: Record<string, unknown>): string {
  const parsed = computerData.safeParse(data);
  if (!parsed.success)
    throw new UserInputError('That button did not say which Mac to check.', CHECK_DEVICE_HINT);
  return parsed.data.computerId;
}
