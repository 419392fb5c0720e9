import type { JamfPolicyRecord } from './fleetTypes';
import fixture from './fixtures/jamf-classic-policy.json';

export interface ClassicPolicySettings {
  id: number;
  name: string;
  enabled?: boolean;
  /** Scoped to every computer (then `groups` is usually empty). */
  allComputers?: boolean;
  groups: { id: number; name: string }[];
  /** The Self Service display name; null = not in Self Service. */
  selfService: string | null;
}

/**
 * A demo policy in the full documented Classic API shape: the fixture's first documented policy
 * (from Jamf's reference) as the template for every member the bot does not read, with the id,
 * name, scope and Self Service settings given.
 */
export function classicPolicyRecord(s: ClassicPolicySettings): JamfPolicyRecord {
  const template = structuredClone(fixture.documented[0]?.policy);
  if (!template) throw new Error('jamf-classic-policy.json has no documented policy to use as a template');
  return {
    ...template,
    general: { ...template.general, id: s.id, name: s.name, enabled: s.enabled ?? true },
    scope: {
      ...template.scope,
      all_computers: s.allComputers ?? false,
      computers: [],
      computer_groups: s.groups.map((g) => ({ ...g })),
    },
    self_service: {
      ...template.self_service,
      use_for_self_service: s.selfService !== null,
      self_service_display_name: s.selfService ?? '',
      install_button_text: 'Install',
      reinstall_button_text: 'Reinstall',
      self_service_description: '',
      feature_on_main_page: false,
    },
  };
}
