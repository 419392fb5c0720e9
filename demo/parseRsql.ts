/** One `selector operator argument(s)` term of an RSQL filter. */
export interface RsqlComparison {
  type: 'comparison';
  selector: string;
  /** `==`, `!=`, `=in=`, `=out=`, `=lt=`, `=le=`, `=gt=`, `=ge=` (`<`, `<=`, `>`, `>=` are normalised to these). */
  operator: string;
  /** Unquoted and unescaped; one value except for `=in=` / `=out=`. */
  values: string[];
}

export type RsqlNode = RsqlComparison | { type: 'and' | 'or'; children: RsqlNode[] };

/** A filter the parser rejects; `position` is the offset where it went wrong. */
export class RsqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
    this.name = 'RsqlSyntaxError';
  }
}

const OPERATORS: Record<string, string> = {
  '==': '==',
  '!=': '!=',
  '=in=': '=in=',
  '=out=': '=out=',
  '=lt=': '=lt=',
  '<': '=lt=',
  '=le=': '=le=',
  '<=': '=le=',
  '=gt=': '=gt=',
  '>': '=gt=',
  '=ge=': '=ge=',
  '>=': '=ge=',
};

/** Characters that end an unquoted value or selector (RSQL's reserved set, plus whitespace). */
const RESERVED = new Set(['"', "'", '(', ')', ';', ',', '=', '!', '~', '<', '>']);

/**
 * Parses RSQL the way the Java rsql-parser behind Jamf Pro's `filter` parameter does:
 * `;` / ` and ` bind tighter than `,` / ` or `, parentheses group, values are unquoted words or
 * `"…"` / `'…'` strings in which a backslash escapes the next character. The demo's Jamf simulator
 * uses it, so a filter the bot builds is read exactly as a real server would read it — a value
 * that was not quoted and escaped properly shows up here as extra comparisons or a syntax error.
 * Returns null for an empty filter.
 */
export function parseRsql(input: string): RsqlNode | null {
  let pos = 0;
  const fail = (message: string): never => {
    throw new RsqlSyntaxError(message, pos);
  };
  const skipSpace = () => {
    while (pos < input.length && /\s/.test(input[pos] as string)) pos++;
  };
  const keyword = (word: 'and' | 'or'): boolean => {
    // A keyword needs whitespace before it (already skipped) and after it.
    const before = pos > 0 && /\s/.test(input[pos - 1] as string);
    if (before && input.startsWith(word, pos) && /\s/.test(input[pos + word.length] ?? '')) {
      pos += word.length;
      return true;
    }
    return false;
  };
  const unreserved = (what: string): string => {
    const start = pos;
    while (pos < input.length) {
      const ch = input[pos] as string;
      if (RESERVED.has(ch) || /\s/.test(ch)) break;
      pos++;
    }
    if (pos === start) fail(`expected ${what}`);
    return input.slice(start, pos);
  };
  const quoted = (): string => {
    const quote = input[pos++] as string;
    let out = '';
    for (;;) {
      if (pos >= input.length) fail('unterminated quoted value');
      const ch = input[pos++] as string;
      if (ch === quote) return out;
      if (ch === '\\') {
        if (pos >= input.length) fail('dangling escape');
        out += input[pos++];
      } else out += ch;
    }
  };
  const value = (): string => {
    skipSpace();
    const ch = input[pos];
    return ch === '"' || ch === "'" ? quoted() : unreserved('a value');
  };
  const operator = (): string => {
    for (const op of ['=in=', '=out=', '=lt=', '=le=', '=gt=', '=ge=', '==', '!=', '<=', '>=', '<', '>']) {
      if (input.startsWith(op, pos)) {
        pos += op.length;
        return OPERATORS[op] as string;
      }
    }
    const custom = /^=[a-z]*=/i.exec(input.slice(pos));
    return fail(custom ? `unknown operator ${custom[0]}` : 'expected an operator');
  };
  const comparison = (): RsqlComparison => {
    skipSpace();
    const selector = unreserved('a field name');
    skipSpace();
    const op = operator();
    skipSpace();
    const values: string[] = [];
    if (op === '=in=' || op === '=out=') {
      if (input[pos] !== '(') fail(`${op} needs a list in parentheses`);
      pos++;
      values.push(value());
      skipSpace();
      while (input[pos] === ',') {
        pos++;
        values.push(value());
        skipSpace();
      }
      if (input[pos] !== ')') fail("expected ')'");
      pos++;
    } else {
      values.push(value());
    }
    return { type: 'comparison', selector, operator: op, values };
  };
  const constraint = (): RsqlNode => {
    skipSpace();
    if (input[pos] === '(') {
      pos++;
      const inner = or();
      skipSpace();
      if (input[pos] !== ')') fail("expected ')'");
      pos++;
      return inner;
    }
    return comparison();
  };
  const and = (): RsqlNode => {
    const children = [constraint()];
    for (;;) {
      skipSpace();
      if (input[pos] === ';') pos++;
      else if (!keyword('and')) break;
      children.push(constraint());
    }
    return children.length === 1 ? (children[0] as RsqlNode) : { type: 'and', children };
  };
  const or = (): RsqlNode => {
    const children = [and()];
    for (;;) {
      skipSpace();
      if (input[pos] === ',') pos++;
      else if (!keyword('or')) break;
      children.push(and());
    }
    return children.length === 1 ? (children[0] as RsqlNode) : { type: 'or', children };
  };

  if (input.trim() === '') return null;
  const tree = or();
  skipSpace();
  if (pos < input.length) fail(`unexpected '${input[pos]}'`);
  return tree;
}

/** Every comparison in a parsed filter, left to right. */
export function rsqlComparisons(node: RsqlNode | null): RsqlComparison[] {
  if (!node) return [];
  return node.type === 'comparison' ? [node] : node.children.flatMap(rsqlComparisons);
}
