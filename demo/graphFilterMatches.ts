import type { FilterExpr, FilterLiteral } from './graphFilterParser';

/** Directory string comparisons are case-insensitive, as in Entra ID. */
function norm(v: unknown): unknown {
  return typeof v === 'string' ? v.toLowerCase() : v;
}

function compareValues(actual: unknown, expected: FilterLiteral): number | null {
  if (actual === null || actual === undefined || expected === null) return null;
  if (typeof actual === 'string' && typeof expected === 'string') {
    const a = Date.parse(actual);
    const b = Date.parse(expected);
    if (/^\d{4}-\d{2}-\d{2}/.test(expected) && !Number.isNaN(a) && !Number.isNaN(b)) return a - b;
    const x = actual.toLowerCase();
    const y = expected.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof actual === 'number' && typeof expected === 'number') return actual - expected;
  return null;
}

function read(entity: Record<string, unknown>, path: string): unknown {
  // Most filters name a top-level property; skip the split on the simulator's hot path.
  if (!path.includes('/')) return entity[path];
  let cur: unknown = entity;
  for (const part of path.split('/')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Evaluates a parsed `$filter` against one stored entity, with Entra's equality rules. */
export function graphFilterMatches(expr: FilterExpr, entity: Record<string, unknown>): boolean {
  switch (expr.kind) {
    case 'and':
      return graphFilterMatches(expr.left, entity) && graphFilterMatches(expr.right, entity);
    case 'or':
      return graphFilterMatches(expr.left, entity) || graphFilterMatches(expr.right, entity);
    case 'not':
      return !graphFilterMatches(expr.operand, entity);
    case 'in': {
      const actual = norm(read(entity, expr.property) ?? null);
      return expr.values.some((v) => norm(v) === actual);
    }
    case 'function': {
      const actual = read(entity, expr.property);
      if (typeof actual !== 'string') return false;
      const a = actual.toLowerCase();
      const v = expr.value.toLowerCase();
      return expr.name === 'startswith' ? a.startsWith(v) : a.endsWith(v);
    }
    case 'compare': {
      const actual = read(entity, expr.property) ?? null;
      if (expr.op === 'eq') return norm(actual) === norm(expr.value);
      if (expr.op === 'ne') return norm(actual) !== norm(expr.value);
      const c = compareValues(actual, expr.value);
      if (c === null) return false;
      return expr.op === 'gt' ? c > 0 : expr.op === 'ge' ? c >= 0 : expr.op === 'lt' ? c < 0 : c <= 0;
    }
  }
}
