/**
 * A small OData `$filter` parser for the forms the bot (and Graph's directory API) uses:
 * comparisons (`eq ne gt ge lt le`), `in (...)`, `startswith(prop,'x')`, `endswith(...)`,
 * `not`, `and`, `or`, parentheses; literals are strings with doubled single quotes
 * (`'O''Brien'`), `true`, `false`, `null`, numbers and unquoted date-times. The parsed tree is
 * what the simulator evaluates and logs, so tests can assert that a hostile input arrived as one
 * literal and not as extra clauses.
 */

export type FilterLiteral = string | number | boolean | null;

export type ComparisonOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** A comparison-like clause: one property against literal(s). */
export type FilterLeaf =
  | { kind: 'compare'; op: ComparisonOp; property: string; value: FilterLiteral }
  | { kind: 'in'; property: string; values: FilterLiteral[] }
  | { kind: 'function'; name: 'startswith' | 'endswith'; property: string; value: string };

export type FilterExpr =
  | { kind: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; operand: FilterExpr }
  | FilterLeaf;

/** A `$filter` that does not parse; the simulator answers 400 with the message. */
export class FilterSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterSyntaxError';
  }
}

type Token =
  | { t: 'str'; v: string; at: number }
  | { t: 'num'; v: number; at: number }
  | { t: 'date'; v: string; at: number }
  | { t: 'word'; v: string; at: number }
  | { t: '(' | ')' | ','; at: number };

const COMPARISONS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set<string>(['startswith', 'endswith']);
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: c, at: i });
      i++;
    } else if (c === "'") {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length)
          throw new FilterSyntaxError(`Unterminated string literal at position ${start}.`);
        const d = text[i] as string;
        if (d === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += d;
        i++;
      }
      tokens.push({ t: 'str', v: value, at: start });
    } else if (/[0-9-]/.test(c)) {
      const rest = text.slice(i);
      const date = DATE_TIME.exec(rest);
      if (date) {
        tokens.push({ t: 'date', v: date[0], at: i });
        i += date[0].length;
        continue;
      }
      const num = /^-?\d+(\.\d+)?/.exec(rest);
      if (!num) throw new FilterSyntaxError(`Syntax error at position ${i}.`);
      tokens.push({ t: 'num', v: Number(num[0]), at: i });
      i += num[0].length;
    } else if (/[A-Za-z_$]/.test(c)) {
      const word = /^[A-Za-z_$][A-Za-z0-9_$./]*/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ t: 'word', v: word[0], at: i });
      i += word[0].length;
    } else {
      throw new FilterSyntaxError(`Syntax error: character '${c}' is not valid at position ${i}.`);
    }
  }
  return tokens;
}

/** Parses a `$filter` value (already URL-decoded). Throws `FilterSyntaxError`. */
export function parseGraphFilter(text: string): FilterExpr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const fail = (what: string): never => {
    const tok = peek();
    throw new FilterSyntaxError(
      tok
        ? `Syntax error: ${what} at position ${tok.at} in '${text}'.`
        : `Syntax error: ${what} at the end of '${text}'.`,
    );
  };
  const isWord = (tok: Token | undefined, v: string): boolean =>
    tok?.t === 'word' && tok.v.toLowerCase() === v;
  const expect = (t: '(' | ')' | ','): void => {
    if (peek()?.t !== t) fail(`expected '${t}'`);
    pos++;
  };
  const literal = (): FilterLiteral => {
    const tok = peek();
    if (!tok) return fail('expected a value');
    if (tok.t === 'str' || tok.t === 'num' || tok.t === 'date') {
      pos++;
      return tok.v;
    }
    if (tok.t === 'word' && ['true', 'false', 'null'].includes(tok.v)) {
      pos++;
      return tok.v === 'null' ? null : tok.v === 'true';
    }
    return fail('expected a literal value');
  };
  const property = (): string => {
    const tok = peek();
    if (tok?.t !== 'word' || ['and', 'or', 'not', 'true', 'false', 'null'].includes(tok.v))
      return fail('expected a property');
    pos++;
    return tok.v;
  };

  const primary = (): FilterExpr => {
    const tok = peek();
    if (tok?.t === '(') {
      pos++;
      const inner = or();
      expect(')');
      return inner;
    }
    if (tok?.t === 'word' && FUNCTIONS.has(tok.v.toLowerCase()) && tokens[pos + 1]?.t === '(') {
      pos += 2;
      const prop = property();
      expect(',');
      const value = literal();
      if (typeof value !== 'string') fail(`${tok.v} needs a string`);
      expect(')');
      return {
        kind: 'function',
        name: tok.v.toLowerCase() as 'startswith' | 'endswith',
        property: prop,
        value: value as string,
      };
    }
    if (tok?.t === 'word' && tokens[pos + 1]?.t === '(') {
      throw new FilterSyntaxError(`Unknown function '${tok.v}'.`);
    }
    const prop = property();
    const op = peek();
    if (isWord(op, 'in')) {
      pos++;
      expect('(');
      const values = [literal()];
      while (peek()?.t === ',') {
        pos++;
        values.push(literal());
      }
      expect(')');
      return { kind: 'in', property: prop, values };
    }
    if (op?.t !== 'word' || !COMPARISONS.has(op.v.toLowerCase()))
      return fail('expected a comparison operator');
    pos++;
    return { kind: 'compare', op: op.v.toLowerCase() as ComparisonOp, property: prop, value: literal() };
  };
  const unary = (): FilterExpr => {
    if (isWord(peek(), 'not')) {
      pos++;
      return { kind: 'not', operand: unary() };
    }
    return primary();
  };
  const and = (): FilterExpr => {
    let left = unary();
    while (isWord(peek(), 'and')) {
      pos++;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  };
  const or = (): FilterExpr => {
    let left = and();
    while (isWord(peek(), 'or')) {
      pos++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };

  if (tokens.length === 0) throw new FilterSyntaxError('The $filter is empty.');
  const tree = or();
  if (pos < tokens.length) fail('unexpected token');
  return tree;
}

/** Every comparison-like leaf of a filter tree, left to right. */
export function filterLeaves(expr: FilterExpr): FilterLeaf[] {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return [...filterLeaves(expr.left), ...filterLeaves(expr.right)];
    case 'not':
      return filterLeaves(expr.operand);
    default:
      return [expr];
  }
}

/** Does the filter use an operator Graph only allows as an advanced query (`ne`, `not`, `endswith`)? */
export function filterNeedsAdvancedQuery(expr: FilterExpr): boolean {
  if (expr.kind === 'not') return true;
  if (expr.kind === 'and' || expr.kind === 'or')
    return filterNeedsAdvancedQuery(expr.left) || filterNeedsAdvancedQuery(expr.right);
  if (expr.kind === 'compare') return expr.op === 'ne';
  if (expr.kind === 'function') return expr.name === 'endswith';
  return false;
}
