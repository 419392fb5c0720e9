/**
 * Checks one request the Jamf client sent (as the simulator logged it) against the published
 * contracts: the method + path exist (OpenAPI for `/api/…`, the Classic swagger for
 * `/JSSResource/…`), every query parameter is one the operation declares and its value fits the
 * parameter's schema (`section` in `ComputerSectionV4`'s enum, `page` an integer, …), every RSQL
 * field in `filter` is in the list the `filter` parameter's description documents, every `sort`
 * field likewise (when the description lists them), and the body fits the request schema.
 */
import type { JamfRequestLogEntry } from '../../demo/jamfSimulator';
import { parseRsql, rsqlComparisons } from '../../demo/parseRsql';
import { classicOperation } from './classicSwagger';
import { classicWebhookXml } from '../../demo/classicWebhookShape';
import { jamfComponentSchema, jamfOperation, validateJamfRequest, type OpenApiParameter } from './contracts';

/**
 * The field names a parameter's description documents after `Fields allowed in the query:` (or
 * `… in the sort:`), with or without backticks; null when the description lists none.
 */
export function documentedFields(description: string | undefined, what: 'query' | 'sort'): string[] | null {
  if (!description) return null;
  const at = description.indexOf(`Fields allowed in the ${what}:`);
  if (at < 0) return null;
  const rest = description.slice(at + `Fields allowed in the ${what}:`.length);
  // The list ends at a blank line, an example, or the end of its sentence (". " — field names hold dots, not ". ").
  const end = rest.search(/\n\s*\n|Example|This param|\.\s/);
  const list = end < 0 ? rest : rest.slice(0, end);
  const ticked = [...list.matchAll(/`([^`]+)`/g)].map((m) => (m[1] as string).trim());
  const fields =
    ticked.length > 0
      ? ticked
      : list
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  return fields.length > 0 ? fields : null;
}

type Schema = Record<string, unknown>;

function resolveSchema(schema: Schema | undefined): Schema | undefined {
  const ref = schema?.$ref;
  if (typeof ref !== 'string') return schema;
  return jamfComponentSchema(ref.replace('#/components/schemas/', ''));
}

/** Problems with one query value against a (scalar) parameter schema. */
function checkScalar(name: string, value: string, schema: Schema | undefined): string[] {
  const s = resolveSchema(schema);
  if (!s) return [];
  const out: string[] = [];
  if (Array.isArray(s.enum) && !s.enum.includes(value))
    out.push(`${name}=${value} is not one of ${s.enum.join(', ')}`);
  if (s.type === 'integer' && !/^-?\d+$/.test(value)) out.push(`${name}=${value} is not an integer`);
  if (s.type === 'boolean' && value !== 'true' && value !== 'false')
    out.push(`${name}=${value} is not a boolean`);
  return out;
}

function checkParameter(p: OpenApiParameter, values: string[]): string[] {
  const schema = p.schema;
  if (schema?.type === 'array') {
    // Exploded form arrays repeat the name; Jamf also takes comma-separated sort criteria.
    return values.flatMap((v) => checkScalar(p.name, v, schema.items as Schema | undefined));
  }
  const out = values.length > 1 ? [`${p.name} is sent ${values.length} times but is not an array`] : [];
  return [...out, ...values.flatMap((v) => checkScalar(p.name, v, schema))];
}

function checkFilter(p: OpenApiParameter, value: string): string[] {
  const allowed = documentedFields(p.description, 'query');
  if (!allowed) return [`filter is sent, but the contract documents no filterable fields`];
  let fields: string[];
  try {
    fields = rsqlComparisons(parseRsql(value)).map((c) => c.selector);
  } catch (e) {
    return [`filter ${JSON.stringify(value)} is not RSQL: ${(e as Error).message}`];
  }
  return fields
    .filter((f) => !allowed.includes(f))
    .map((f) => `filter field ${f} is not documented as filterable`);
}

function checkSort(p: OpenApiParameter, values: string[]): string[] {
  const allowed = documentedFields(p.description, 'sort');
  const out: string[] = [];
  for (const criterion of values.flatMap((v) => v.split(','))) {
    const [field, dir, ...extra] = criterion.split(':');
    if (!field || (dir !== 'asc' && dir !== 'desc') || extra.length > 0)
      out.push(`sort ${JSON.stringify(criterion)} is not property:asc|desc`);
    else if (allowed && !allowed.includes(field))
      out.push(`sort field ${field} is not documented as sortable`);
  }
  return out;
}

/** The form the client sent: the simulator's log drops the secret, the schema requires one. */
function bodyAsSent(entry: JamfRequestLogEntry): unknown {
  const b = entry.body;
  if (entry.path.endsWith('/oauth/token') && typeof b === 'object' && b !== null && !('client_secret' in b))
    return { ...b, client_secret: '(redacted by the request log)' };
  return b;
}

/** Every way this logged request departs from the contract; [] when it conforms. */
export function checkJamfRequest(entry: JamfRequestLogEntry): string[] {
  const where = `${entry.method} ${entry.path}`;
  const problems: string[] = [];
  if (entry.path.startsWith('/JSSResource/')) {
    if (!classicOperation(entry.method, entry.path))
      problems.push('no such operation in the Classic swagger');
    // The Classic swagger declares no query parameters for the operations the bot uses.
    for (const k of Object.keys(entry.query))
      problems.push(`query parameter ${k} is not in the Classic swagger`);
    const write = entry.method === 'POST' || entry.method === 'PUT';
    if (write && entry.path.startsWith('/JSSResource/webhooks/')) {
      // The swagger has no body schema: Jamf's reference elements (demo/classicWebhookShape.ts).
      problems.push(...classicWebhookProblems(entry.body));
    } else if (entry.body !== undefined) problems.push('a body was sent to a read operation');
    return problems.map((p) => `${where}: ${p}`);
  }
  const op = jamfOperation(entry.method, entry.path);
  if (!op) return [`${where}: no such operation in the Jamf Pro OpenAPI contract`];
  const params = new Map(op.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]));
  for (const [name, values] of Object.entries(entry.query)) {
    const p = params.get(name);
    if (!p) {
      problems.push(`query parameter ${name} is not declared by ${entry.method} ${op.specPath}`);
      continue;
    }
    problems.push(...checkParameter(p, values));
    if (name === 'filter') for (const v of values) problems.push(...checkFilter(p, v));
    if (name === 'sort') problems.push(...checkSort(p, values));
  }
  if (entry.body !== undefined) {
    if (!op.hasRequestBody) problems.push(`a body was sent; ${entry.method} ${op.specPath} takes none`);
    else problems.push(...validateJamfRequest(entry.method, entry.path, bodyAsSent(entry)).errors);
  }
  return problems.map((p) => `${where}: ${p}`);
}

/**
 * A Classic webhook write as the simulator logged it (`{webhook: {…}}`, header values redacted):
 * one `<webhook>` of the documented elements, each of the documented form.
 */
function classicWebhookProblems(body: unknown): string[] {
  const hook = (body as { webhook?: unknown } | undefined)?.webhook;
  if (typeof body !== 'object' || body === null || Object.keys(body).length !== 1 || hook === undefined)
    return ['the body is not one <webhook> element'];
  const parsed = classicWebhookXml.safeParse(hook);
  return parsed.success
    ? []
    : parsed.error.issues.map((i) => `<webhook> ${i.path.join('.') || ''}: ${i.message}`);
}
