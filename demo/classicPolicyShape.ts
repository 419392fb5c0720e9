import Ajv, { type ValidateFunction } from 'ajv';
import schema from './fixtures/jamf-classic-policy.schema.json';

/** Which Classic API answer: the policy list, or one policy. */
export type ClassicPolicyAnswer = 'policyList' | 'policy';

let compiled: Record<ClassicPolicyAnswer, ValidateFunction> | null = null;

/**
 * Problems with a Classic API policy answer against `fixtures/jamf-classic-policy.schema.json`
 * (the shapes from Jamf's Classic API reference; the published swagger has none); [] when it
 * conforms. The simulator checks what it serves with it, so the demo cannot drift from the shape
 * the client's parsing test reads.
 */
export function classicPolicyShape(kind: ClassicPolicyAnswer, body: unknown): string[] {
  compiled ??= (() => {
    const ajv = new Ajv({ allErrors: true });
    ajv.addSchema(schema);
    const get = (name: ClassicPolicyAnswer) =>
      ajv.getSchema(`${schema.$id}#/definitions/${name}`) ?? missing(name);
    return { policyList: get('policyList'), policy: get('policy') };
  })();
  const validate = compiled[kind];
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

function missing(name: string): never {
  throw new Error(`jamf-classic-policy.schema.json has no definition ${name}`);
}
