import { z } from 'zod';

/**
 * The parts of Jamf Pro's responses the client reads, checked leniently: every field may be
 * missing or null (real servers send nulls the contract does not declare), ids may be strings or
 * numbers. Anything structurally wrong — a login page instead of JSON, a missing `results` — fails
 * here and becomes a `bad_response` error instead of a crash further in.
 */

const text = z.string().nullish();
/** Jamf ids are strings in v4/v3 bodies but numbers in `smart-group-membership`. */
const id = z.union([z.string(), z.number()]).transform(String);

export const computerWire = z.object({
  id,
  udid: text,
  general: z.object({ name: text, reportDate: text, lastContact: text, lastCheckIn: text }).nullish(),
  hardware: z.object({ serialNumber: text, model: text }).nullish(),
  operatingSystem: z.object({ version: text, fileVault2Status: text }).nullish(),
  applications: z.array(z.object({ name: text })).nullish(),
  userAndLocation: z.object({ username: text, email: text, realname: text }).nullish(),
  groupMemberships: z
    .array(z.object({ groupId: id.nullish(), groupName: text, smartGroup: z.boolean().nullish() }))
    .nullish(),
});
export type ComputerWire = z.infer<typeof computerWire>;

export const inventoryPageWire = z.object({
  totalCount: z.number().int().nonnegative(),
  results: z.array(computerWire),
});

/** An inventory page read only for its ids (the other sections are ignored, not validated). */
export const idPageWire = z.object({
  totalCount: z.number().int().nonnegative(),
  results: z.array(z.object({ id })),
});

export const oauthTokenWire = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: text,
});

export const criterionWire = z.object({
  name: z.string(),
  priority: z.number().nullish(),
  andOr: text,
  searchType: z.string(),
  value: text,
  openingParen: z.boolean().nullish(),
  closingParen: z.boolean().nullish(),
});

export const smartGroupSummaryWire = z.object({
  id,
  name: z.string(),
  description: text,
  siteId: id.nullish(),
  membershipCount: z.number().nullish(),
});

export const smartGroupPageWire = z.object({
  totalCount: z.number().int().nonnegative(),
  results: z.array(smartGroupSummaryWire),
});

export const smartGroupWire = z.object({
  id: id.nullish(),
  name: z.string(),
  description: text,
  siteId: id.nullish(),
  criteria: z.array(criterionWire).nullish(),
});
export type SmartGroupWire = z.infer<typeof smartGroupWire>;

export const hrefWire = z.object({ id, href: text });

export const membershipWire = z.object({ members: z.array(id) });

export const complianceWire = z.array(
  z.object({
    deviceId: id.nullish(),
    applicable: z.boolean().nullish(),
    complianceState: text,
    complianceVendor: text,
    /** `{deviceIds}` per the schema, `[{deviceIds}]` per its example: read by `mapComplianceInfo`. */
    complianceVendorDeviceInformation: z.unknown().optional(),
  }),
);
export type ComplianceWire = z.infer<typeof complianceWire>;

/** Jamf Pro's `ApiError`, for the error message. */
export const apiErrorWire = z.object({
  errors: z.array(z.object({ code: text, description: text })).nullish(),
});

/**
 * `GET /api/v1/auth` (`AuthorizationV1`): the current token's account and groups. The privileges
 * sit per site in `account.privilegesBySite` and in each of `accountGroups[].privileges`.
 */
export const authorizationWire = z.object({
  account: z
    .object({
      username: text,
      privilegesBySite: z.record(z.string(), z.array(z.string()).nullish()).nullish(),
    })
    .nullish(),
  accountGroups: z.array(z.object({ privileges: z.array(z.string()).nullish() })).nullish(),
});

/** `GET /v4/computers-inventory/{id}?section=GENERAL`, read only for the MDM client management id. */
export const managementIdWire = z.object({ general: z.object({ managementId: text }).nullish() });

/** A page of `GET /v4/computers-inventory?section=GENERAL`, read only for ids and management ids. */
export const managementIdPageWire = z.object({
  totalCount: z.number().int().nonnegative(),
  results: z.array(z.object({ id, general: z.object({ managementId: text }).nullish() })),
});

/** `RecalculationResults`: how many smart groups the computer is in after the recalculation. */
export const recalculationWire = z.object({ count: z.number().int().nullish() });

/** `BlankPushResponse`: the management ids Jamf could not push to. */
export const blankPushWire = z.object({ errorUuids: z.array(z.string()) });
