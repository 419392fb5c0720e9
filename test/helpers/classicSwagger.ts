/**
 * The Jamf Pro Classic API's Swagger 2.0 document (`test/contracts/jamf-pro-classic-api-11.30.1.swagger.yaml.gz`):
 * which `/JSSResource/…` method + path templates exist and which statuses each documents. The
 * document has no response schemas (every operation says "No response was specified"), so only
 * the operation's existence and its documented statuses can be checked against it.
 */
import { parse } from 'yaml';
import { readContract } from './readContract';

interface SwaggerDoc {
  basePath?: string;
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
}

export interface ClassicOperation {
  /** The swagger path template, e.g. `/policies/id/{id}`. */
  template: string;
  statuses: string[];
}

let loaded: { doc: SwaggerDoc; base: string; templates: { template: string; re: RegExp }[] } | null = null;

function load() {
  if (loaded) return loaded;
  const doc = parse(readContract('jamf-pro-classic-api-11.30.1.swagger.yaml')) as SwaggerDoc;
  const templates = Object.keys(doc.paths)
    .map((template) => ({
      template,
      re: new RegExp(
        `^${template
          .split('/')
          .map((s) => (s.startsWith('{') ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
          .join('/')}$`,
      ),
      literal: template.split('/').filter((s) => s !== '' && !s.startsWith('{')).length,
    }))
    // `/policies/id/{id}` before a generic `/policies/{a}/{b}`.
    .sort((a, b) => b.literal - a.literal);
  loaded = { doc, base: (doc.basePath ?? '/JSSResource/').replace(/\/+$/, ''), templates };
  return loaded;
}

/** The Classic operation for `GET /JSSResource/policies/id/7`, or null when the swagger has none. */
export function classicOperation(method: string, requestPath: string): ClassicOperation | null {
  const { doc, base, templates } = load();
  if (!requestPath.startsWith(`${base}/`)) return null;
  const p = requestPath.slice(base.length);
  const t = templates.find((x) => x.re.test(p));
  const op = t ? doc.paths[t.template]?.[method.toLowerCase()] : undefined;
  return t && op ? { template: t.template, statuses: Object.keys(op.responses ?? {}) } : null;
}
