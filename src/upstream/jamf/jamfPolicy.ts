import type { RegistrationPolicyFacts } from '../../compliance/onboardingTypes';
import { z } from 'zod';

/** A computer policy, as far as the bot reads one (Classic API): the domain's own shape. */
export type JamfPolicy = RegistrationPolicyFacts;

const id = z.union([z.number(), z.string()]).transform(String);
const named = z.object({ id, name: z.string().nullish() });

/** `GET /JSSResource/policies` (JSON). */
export const policyListWire = z.object({ policies: z.array(z.object({ id, name: z.string() })) });

/** `GET /JSSResource/policies/id/{id}` (JSON), the parts the bot reads. */
export const policyWire = z.object({
  policy: z.object({
    general: z.object({ id, name: z.string(), enabled: z.boolean().nullish() }),
    scope: z
      .object({
        all_computers: z.boolean().nullish(),
        computer_groups: z.array(named).nullish(),
      })
      .nullish(),
    self_service: z
      .object({
        use_for_self_service: z.boolean().nullish(),
        self_service_display_name: z.string().nullish(),
      })
      .nullish(),
  }),
});

export function mapPolicy(w: z.infer<typeof policyWire>): JamfPolicy {
  const p = w.policy;
  return {
    id: p.general.id,
    name: p.general.name,
    enabled: p.general.enabled ?? false,
    allComputers: p.scope?.all_computers ?? false,
    groups: (p.scope?.computer_groups ?? []).map((g) => ({ id: g.id, name: g.name ?? '' })),
    inSelfService: p.self_service?.use_for_self_service ?? false,
    selfServiceName: p.self_service?.self_service_display_name ?? '',
  };
}
