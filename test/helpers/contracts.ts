/**
 * Validates Jamf Pro API payloads against the server's own OpenAPI document
 * (`test/contracts/jamf-pro-api-11.30.1.openapi.json.gz`, or an uncompressed `$JAMF_OPENAPI`), so what the demo
 * simulator serves — and what the client sends — has the shapes a real Jamf Pro 11.30.1 uses.
 * OpenAPI 3.0 schema objects are JSON Schema with extras: Ajv runs non-strict (ignores `example`,
 * `xml`, …) and understands `nullable`; `#/components/schemas/…` refs resolve inside the document.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { applyJamfContractDeviations } from './jamfContractDeviations';
import { contractPath, readContract } from './readContract';

export const JAMF_OPENAPI_PATH =
  process.env.JAMF_OPENAPI ?? contractPath('jamf-pro-api-11.30.1.openapi.json');

const DOC_ID = 'jamf-openapi';

interface OpenApiDoc {
  servers?: { url: string }[];
  paths: Record<string, Record<string, OperationObject> & { parameters?: OperationObject['parameters'] }>;
  components?: { parameters?: Record<string, OpenApiParameter>; schemas?: Record<string, unknown> };
}
export interface OpenApiParameter {
  name: string;
  in: string;
  description?: string;
  required?: boolean;
  schema?: Record<string, unknown>;
}
interface OperationObject {
  parameters?: (OpenApiParameter | { $ref: string })[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

export interface ContractResult {
  /** The OpenAPI path template matched, e.g. `/v4/computers-inventory/{id}`. */
  specPath: string;
  valid: boolean;
  /** Readable problems (`/results/0/general/reportDate must be string`). */
  errors: string[];
}

let loaded: {
  doc: OpenApiDoc;
  ajv: Ajv;
  prefix: string;
  templates: { template: string; re: RegExp }[];
} | null = null;

function load() {
  if (loaded) return loaded;
  const doc = JSON.parse(
    readContract('jamf-pro-api-11.30.1.openapi.json', process.env.JAMF_OPENAPI),
  ) as OpenApiDoc;
  applyJamfContractDeviations(doc);
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // Formats OpenAPI uses that are descriptive only.
  for (const f of [
    'int32',
    'int64',
    'float',
    'double',
    'password',
    'binary',
    'byte',
    'uuid',
    'email',
    'uri',
  ]) {
    if (!ajv.formats[f]) ajv.addFormat(f, true);
  }
  ajv.addSchema({ ...doc, $id: DOC_ID });
  const templates = Object.keys(doc.paths)
    .map((template) => ({
      template,
      re: new RegExp(
        `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`,
      ),
      literal: template.split('/').filter((s) => !s.startsWith('{')).length,
    }))
    // Prefer the most literal template: `/smart-groups/{id}` over a generic `/{a}/{b}`.
    .sort((a, b) => b.literal - a.literal);
  loaded = { doc, ajv, prefix: doc.servers?.[0]?.url ?? '/api', templates };
  return loaded;
}

/** `/api/v4/computers-inventory/12` → `/v4/computers-inventory/{id}`. */
export function jamfSpecPath(requestPath: string): string | null {
  const { prefix, templates } = load();
  const p = requestPath.startsWith(prefix) ? requestPath.slice(prefix.length) : requestPath;
  return templates.find((t) => t.re.test(p))?.template ?? null;
}

const pointer = (...parts: string[]): string =>
  `${DOC_ID}#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

const validators = new Map<string, ValidateFunction>();

function validatorFor(ref: string): ValidateFunction {
  let v = validators.get(ref);
  if (!v) {
    v = load().ajv.compile({ $ref: ref });
    validators.set(ref, v);
  }
  return v;
}

function result(specPath: string, v: ValidateFunction, body: unknown): ContractResult {
  const valid = v(body) as boolean;
  return { specPath, valid, errors: valid ? [] : format(v.errors ?? []) };
}

function format(errors: ErrorObject[]): string[] {
  return errors.slice(0, 20).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

/**
 * Checks a response body against the contract's schema for this request path, method and status.
 * Throws when the contract has no such operation or no JSON schema for that status (a status the
 * contract does not document is itself a finding).
 */
export function validateJamfResponse(
  method: string,
  requestPath: string,
  status: number,
  body: unknown,
): ContractResult {
  const { doc } = load();
  const specPath = jamfSpecPath(requestPath);
  if (!specPath) throw new Error(`No path in the Jamf contract matches ${requestPath}`);
  const op = doc.paths[specPath]?.[method.toLowerCase()];
  if (!op) throw new Error(`The Jamf contract has no ${method} ${specPath}`);
  const response = op.responses?.[String(status)];
  if (!response) throw new Error(`The Jamf contract documents no ${status} for ${method} ${specPath}`);
  const media = Object.keys(response.content ?? {}).find((m) => m.includes('json'));
  if (!media) {
    // No body documented (e.g. 204): there must be none.
    const empty = body === undefined || body === '' || body === null;
    return {
      specPath,
      valid: empty,
      errors: empty ? [] : ['a body was sent where the contract documents none'],
    };
  }
  const ref = pointer(
    'paths',
    specPath,
    method.toLowerCase(),
    'responses',
    String(status),
    'content',
    media,
    'schema',
  );
  return result(specPath, validatorFor(ref), body);
}

/** Checks a request body (JSON or a parsed form) against the contract's request schema. */
export function validateJamfRequest(method: string, requestPath: string, body: unknown): ContractResult {
  const { doc } = load();
  const specPath = jamfSpecPath(requestPath);
  if (!specPath) throw new Error(`No path in the Jamf contract matches ${requestPath}`);
  const op = doc.paths[specPath]?.[method.toLowerCase()];
  const media = Object.keys(op?.requestBody?.content ?? {})[0];
  if (!op || !media) throw new Error(`The Jamf contract has no request body for ${method} ${specPath}`);
  const ref = pointer('paths', specPath, method.toLowerCase(), 'requestBody', 'content', media, 'schema');
  return result(specPath, validatorFor(ref), body);
}

/** Validates against a named component schema, e.g. `ComputerInventoryV4`. */
export function validateJamfSchema(name: string, body: unknown): ContractResult {
  return result(name, validatorFor(pointer('components', 'schemas', name)), body);
}

/** What the contract says about one operation, `$ref`s to shared parameters resolved. */
export interface JamfOperation {
  specPath: string;
  parameters: OpenApiParameter[];
  /** Documented response statuses (`200`, `404`, …). */
  statuses: string[];
  hasRequestBody: boolean;
}

/** The contract's operation for this request, or null when the contract has no such method + path. */
export function jamfOperation(method: string, requestPath: string): JamfOperation | null {
  const { doc } = load();
  const specPath = jamfSpecPath(requestPath);
  const item = specPath ? doc.paths[specPath] : undefined;
  const op = item?.[method.toLowerCase()];
  if (!specPath || !item || !op) return null;
  const resolve = (p: OpenApiParameter | { $ref: string }): OpenApiParameter => {
    if (!('$ref' in p)) return p;
    const name = p.$ref.replace('#/components/parameters/', '');
    const found = doc.components?.parameters?.[name];
    if (!found) throw new Error(`The Jamf contract has no parameter ${p.$ref}`);
    return found;
  };
  return {
    specPath,
    parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])].map(resolve),
    statuses: Object.keys(op.responses ?? {}),
    hasRequestBody: op.requestBody !== undefined,
  };
}

/** A component schema (`ComputerSectionV4`, …) as the contract writes it. */
export function jamfComponentSchema(name: string): Record<string, unknown> | undefined {
  return load().doc.components?.schemas?.[name] as Record<string, unknown> | undefined;
}
