import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The published contracts kept in the repository (test/contracts/README.md names their sources). */
export type ContractName =
  | 'jamf-pro-api-11.30.1.openapi.json'
  | 'jamf-pro-classic-api-11.30.1.swagger.yaml'
  | 'graph-v1.0.csdl.xml'
  | 'm365agents-yaml-v1.11.schema.json';

/** Where a contract is stored (gzip-compressed) in the repository. */
export function contractPath(name: ContractName): string {
  return path.resolve(__dirname, '../contracts', `${name}.gz`);
}

/** A contract's text; `override` (e.g. `$JAMF_OPENAPI`) names an uncompressed file to read instead. */
export function readContract(name: ContractName, override?: string): string {
  if (override) return readFileSync(override, 'utf8');
  return gunzipSync(readFileSync(contractPath(name))).toString('utf8');
}
