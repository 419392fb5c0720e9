import { z } from 'zod';
import type { EntraDevice, EntraTrustType, EntraUser } from '../../compliance/types';
import { isMinDateTime } from '../../compliance/heartbeatTime';
import { UpstreamError } from '../../errors';
import {
  PARTNER_STATES,
  type CompliancePartner,
  type ConditionalAccessPolicy,
  type ConditionalAccessState,
  type EntraGroup,
  type PartnerAssignmentTarget,
  type PartnerState,
  type ServicePrincipalInfo,
} from './graphTypes';

/** Graph omits or nulls what is unset; both read as null. */
const str = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
const bool = z
  .boolean()
  .nullish()
  .transform((v) => v ?? null);
const strings = z
  .array(z.string())
  .nullish()
  .transform((v) => v ?? []);

const ownerSchema = z.object({ id: z.string(), userPrincipalName: z.string().nullish() });

const deviceSchema = z.object({
  id: z.string(),
  deviceId: z.string().nullish(),
  displayName: str,
  isCompliant: bool,
  isManaged: bool,
  trustType: str,
  operatingSystem: str,
  operatingSystemVersion: str,
  registrationDateTime: str,
  approximateLastSignInDateTime: str,
  registeredOwners: z.array(ownerSchema).optional(),
});

const userSchema = z.object({ id: z.string(), userPrincipalName: z.string(), displayName: str, mail: str });

const groupSchema = z.object({
  id: z.string(),
  displayName: z.string().nullish(),
  description: str,
  mailNickname: str,
  securityEnabled: bool,
  mailEnabled: bool,
  groupTypes: strings,
  membershipRule: str,
  membershipRuleProcessingState: str,
});

const assignmentSchema = z.object({
  target: z.object({ '@odata.type': z.string(), groupId: z.string().nullish() }).nullish(),
});

const partnerSchema = z.object({
  id: z.string(),
  displayName: z.string().nullish(),
  partnerState: z.string().nullish(),
  lastHeartbeatDateTime: str,
  macOsOnboarded: bool,
  iosOnboarded: bool,
  androidOnboarded: bool,
  macOsEnrollmentAssignments: z.array(assignmentSchema).nullish(),
  iosEnrollmentAssignments: z.array(assignmentSchema).nullish(),
  androidEnrollmentAssignments: z.array(assignmentSchema).nullish(),
});

const caSchema = z.object({
  id: z.string(),
  displayName: z.string().nullish(),
  state: z.string(),
  conditions: z
    .object({
      applications: z
        .object({ includeApplications: strings, excludeApplications: strings, includeUserActions: strings })
        .nullish(),
      users: z
        .object({
          includeUsers: strings,
          excludeUsers: strings,
          includeGroups: strings,
          excludeGroups: strings,
          includeRoles: strings,
          excludeRoles: strings,
        })
        .nullish(),
      platforms: z.object({ includePlatforms: strings, excludePlatforms: strings }).nullish(),
      clientAppTypes: strings,
      devices: z
        .object({ deviceFilter: z.object({ mode: z.string(), rule: z.string() }).nullish() })
        .nullish(),
    })
    .nullish(),
  grantControls: z
    .object({
      operator: str,
      builtInControls: strings,
      authenticationStrength: z.object({ id: z.string(), displayName: z.string().nullish() }).nullish(),
    })
    .nullish(),
});

const spSchema = z.object({ id: z.string(), appId: z.string(), displayName: z.string().nullish() });

/** Parses a Graph payload, or fails with `bad_response` naming what did not fit (never the payload). */
export function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const where = r.error.issues[0]?.path.join('.') || '(root)';
    throw new UpstreamError(
      'graph',
      'bad_response',
      `Microsoft Graph sent a ${what} that does not fit (${where})`,
    );
  }
  return r.data;
}

const TRUST_TYPES = new Set<string>(['Workplace', 'AzureAd', 'ServerAd']);

export function toEntraDevice(raw: unknown): EntraDevice {
  const d = parse(deviceSchema, raw, 'device');
  const device: EntraDevice = {
    id: d.id,
    deviceId: d.deviceId ?? '',
    displayName: d.displayName ?? '',
    isCompliant: d.isCompliant,
    isManaged: d.isManaged,
    trustType: d.trustType !== null && TRUST_TYPES.has(d.trustType) ? (d.trustType as EntraTrustType) : null,
    operatingSystem: d.operatingSystem,
    operatingSystemVersion: d.operatingSystemVersion,
    registrationDateTime: d.registrationDateTime,
    approximateLastSignInDateTime: d.approximateLastSignInDateTime,
  };
  if (d.registeredOwners) {
    device.ownerIds = d.registeredOwners.map((o) => o.id);
    device.ownerUpns = d.registeredOwners.flatMap((o) => (o.userPrincipalName ? [o.userPrincipalName] : []));
  }
  return device;
}

export function toEntraUser(raw: unknown): EntraUser {
  const u = parse(userSchema, raw, 'user');
  return { id: u.id, userPrincipalName: u.userPrincipalName, displayName: u.displayName, mail: u.mail };
}

export function toEntraGroup(raw: unknown): EntraGroup {
  const g = parse(groupSchema, raw, 'group');
  return {
    id: g.id,
    displayName: g.displayName ?? '',
    description: g.description,
    mailNickname: g.mailNickname,
    securityEnabled: g.securityEnabled ?? false,
    mailEnabled: g.mailEnabled ?? false,
    groupTypes: g.groupTypes,
    membershipRule: g.membershipRule,
    membershipRuleProcessingState: g.membershipRuleProcessingState,
  };
}

const KNOWN_PARTNER_STATES = new Set<string>(PARTNER_STATES);
const ALL_USERS_TARGETS = new Set(['#microsoft.graph.allLicensedUsersAssignmentTarget']);

function toTarget(a: z.infer<typeof assignmentSchema>): PartnerAssignmentTarget[] {
  const t = a.target;
  if (!t) return [];
  const odataType = t['@odata.type'];
  if (odataType === '#microsoft.graph.groupAssignmentTarget' && t.groupId)
    return [{ kind: 'group', groupId: t.groupId }];
  if (ALL_USERS_TARGETS.has(odataType)) return [{ kind: 'allUsers', odataType }];
  return [{ kind: 'other', odataType, ...(t.groupId ? { groupId: t.groupId } : {}) }];
}

export function toCompliancePartner(raw: unknown): CompliancePartner {
  const p = parse(partnerSchema, raw, 'compliance partner');
  return {
    id: p.id,
    displayName: p.displayName ?? '',
    partnerState: (p.partnerState && KNOWN_PARTNER_STATES.has(p.partnerState)
      ? p.partnerState
      : 'unknown') as PartnerState,
    // Non-nullable in the CSDL: a partner that never reported sends 0001-01-01T00:00:00Z.
    lastHeartbeatDateTime:
      p.lastHeartbeatDateTime === null || isMinDateTime(p.lastHeartbeatDateTime)
        ? null
        : p.lastHeartbeatDateTime,
    macOsOnboarded: p.macOsOnboarded ?? false,
    iosOnboarded: p.iosOnboarded ?? false,
    androidOnboarded: p.androidOnboarded ?? false,
    assignments: {
      macOs: (p.macOsEnrollmentAssignments ?? []).flatMap(toTarget),
      ios: (p.iosEnrollmentAssignments ?? []).flatMap(toTarget),
      android: (p.androidEnrollmentAssignments ?? []).flatMap(toTarget),
    },
  };
}

export function toConditionalAccessPolicy(raw: unknown): ConditionalAccessPolicy {
  const p = parse(caSchema, raw, 'Conditional Access policy');
  const apps = p.conditions?.applications;
  const users = p.conditions?.users;
  const platforms = p.conditions?.platforms;
  const strength = p.grantControls?.authenticationStrength;
  return {
    id: p.id,
    displayName: p.displayName ?? '',
    state: p.state as ConditionalAccessState,
    includeApplications: apps?.includeApplications ?? [],
    excludeApplications: apps?.excludeApplications ?? [],
    includeUserActions: apps?.includeUserActions ?? [],
    includeUsers: users?.includeUsers ?? [],
    excludeUsers: users?.excludeUsers ?? [],
    includeGroups: users?.includeGroups ?? [],
    excludeGroups: users?.excludeGroups ?? [],
    includePlatforms: platforms?.includePlatforms ?? [],
    excludePlatforms: platforms?.excludePlatforms ?? [],
    grantOperator: p.grantControls?.operator ?? null,
    builtInControls: p.grantControls?.builtInControls ?? [],
    includeRoles: users?.includeRoles ?? [],
    excludeRoles: users?.excludeRoles ?? [],
    clientAppTypes: p.conditions?.clientAppTypes ?? [],
    deviceFilter: p.conditions?.devices?.deviceFilter ?? null,
    authenticationStrength: strength ? strength.displayName || strength.id : null,
  };
}

export function toServicePrincipal(raw: unknown): ServicePrincipalInfo {
  const s = parse(spSchema, raw, 'service principal');
  return { id: s.id, appId: s.appId, displayName: s.displayName ?? '' };
}

const pageSchema = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() });

/** A collection page: `value` plus the link to the next page. */
export function toPage(raw: unknown, what: string): { value: unknown[]; nextLink?: string } {
  const p = parse(pageSchema, raw, what);
  return { value: p.value, nextLink: p['@odata.nextLink'] };
}

/**
 * Every shape the client reads from Graph, by the CSDL type it reads it as: the contract
 * conformance suite checks each property (nested ones too) exists on that type in Graph's v1.0
 * metadata, so a misspelt or invented property cannot hide behind `nullish()`.
 */
export const GRAPH_READ_SCHEMAS = {
  'microsoft.graph.device': deviceSchema,
  'microsoft.graph.user': userSchema,
  'microsoft.graph.group': groupSchema,
  'microsoft.graph.complianceManagementPartner': partnerSchema,
  'microsoft.graph.conditionalAccessPolicy': caSchema,
  'microsoft.graph.servicePrincipal': spSchema,
} as const;
