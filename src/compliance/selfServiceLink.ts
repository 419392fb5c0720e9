/**
 * Jamf's documented Self Service URL scheme: opens a policy's page in Self Service on the Mac
 * (`jamfselfservice://content?entity=policy&id=<policy id>&action=view`).
 */
export function selfServicePolicyLink(policyId: string): string {
  return `jamfselfservice://content?entity=policy&id=${encodeURIComponent(policyId)}&action=view`;
}
