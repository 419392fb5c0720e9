import type { CompliancePartner } from '../upstream/graph/graphTypes';
import type { GraphClient } from '../upstream/graph/graphClient';

/** The Jamf partner connector and the Entra user groups its macOS assignment targets. */
export interface ConnectorScope {
  partner: CompliancePartner | null;
  groupIds: string[];
  /** Display names by group id, for fix texts ("add the user to …"). */
  groupNames: Record<string, string>;
  /** The seed warns that an *all users* assignment breaks the connection. */
  assignsAllUsers: boolean;
}

/**
 * Finds the Jamf partner among Intune's compliance partners. Its exact display name is
 * unconfirmed ("Jamf Device Compliance" in the Intune UI), so the match is loose and
 * configurable: the configured name first, then any partner whose name mentions Jamf.
 */
export function pickJamfPartner(partners: CompliancePartner[], nameMatch = 'Jamf'): CompliancePartner | null {
  const want = nameMatch.toLowerCase();
  return (
    partners.find((p) => p.displayName.toLowerCase() === want) ??
    partners.find((p) => p.displayName.toLowerCase().includes(want)) ??
    partners.find((p) => /jamf/i.test(p.displayName)) ??
    null
  );
}

/** Reads the connector and the names of its macOS groups (in parallel). */
export async function loadConnectorScope(
  graph: Pick<GraphClient, 'listCompliancePartners' | 'findGroups'>,
  nameMatch?: string,
): Promise<ConnectorScope> {
  const partner = pickJamfPartner(await graph.listCompliancePartners(), nameMatch);
  const targets = partner?.assignments.macOs ?? [];
  const groupIds = targets.flatMap((t) => (t.kind === 'group' ? [t.groupId] : []));
  const groups = await Promise.all(groupIds.map((id) => graph.findGroups(id).catch(() => [])));
  const groupNames: Record<string, string> = {};
  groups.flat().forEach((g) => (groupNames[g.id] = g.displayName));
  return { partner, groupIds, groupNames, assignsAllUsers: targets.some((t) => t.kind === 'allUsers') };
}

/** Keeps a value for `ttlMs`; concurrent callers share one load; a failed load is not kept. */
export function cachedFor<T>(ttlMs: number, load: () => Promise<T>, now: () => number = Date.now) {
  let entry: { at: number; value: Promise<T> } | null = null;
  return (): Promise<T> => {
    if (entry && now() - entry.at < ttlMs) return entry.value;
    const value = load();
    const mine = { at: now(), value };
    entry = mine;
    value.catch(() => {
      if (entry === mine) entry = null;
    });
    return value;
  };
}
