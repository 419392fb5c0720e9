/**
 * Whether a Conditional Access device filter (`conditions.devices.deviceFilter`: a mode and a
 * rule in the dynamic-device syntax, e.g. `device.operatingSystem -eq "Windows"`) leaves a device
 * out of the policy's scope — decided conservatively. Entra evaluates the rule against the
 * device object in Entra ID; a device that is not registered yet (a Mac signing in to register)
 * has no object, so every attribute is null: positive operators (`-eq`, `-in`, `-startsWith`, …)
 * are false and negative ones (`-ne`, `-notIn`, …) true. The rule is read as three-valued logic:
 * an attribute we do not know, or a rule we cannot parse, makes the answer unknown, and unknown
 * counts as "in scope" (the policy applies), so a filter only ever spares a device when it
 * clearly does.
 */
export interface DeviceFilter {
  mode: string;
  rule: string;
}

/**
 * A device as the rule sees it: known attribute values by lower-case name (missing = unknown), or
 * `'unregistered'` for a device with no Entra object, whose every attribute is null.
 */
export type DeviceAttributes = Record<string, string> | 'unregistered';

type Tri = boolean | undefined;

const POSITIVE = new Set(['-eq', '-in', '-startswith', '-endswith', '-contains', '-match']);
const NEGATIVE: Record<string, string> = {
  '-ne': '-eq',
  '-notin': '-in',
  '-notstartswith': '-startswith',
  '-notendswith': '-endswith',
  '-notcontains': '-contains',
  '-notmatch': '-match',
};

type Token = { kind: 'word' | 'string' | 'punct'; text: string };

function tokenize(rule: string): Token[] | undefined {
  const out: Token[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([()[\],])|([^\s()[\],"']+))/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < rule.length && (m = re.exec(rule)) !== null) {
    if (m[0].trim() === '') break;
    at = re.lastIndex;
    if (m[1] !== undefined) out.push({ kind: 'string', text: m[1].slice(1, -1) });
    else if (m[2] !== undefined) out.push({ kind: 'punct', text: m[2] });
    else out.push({ kind: 'word', text: m[3]! });
  }
  return rule.slice(at).trim() === '' ? out : undefined;
}

const and = (a: Tri, b: Tri): Tri =>
  a === false || b === false ? false : a === true && b === true ? true : undefined;
const or = (a: Tri, b: Tri): Tri =>
  a === true || b === true ? true : a === false && b === false ? false : undefined;

function compare(op: string, value: string, wanted: string[]): boolean {
  const v = value.toLowerCase();
  const w = wanted.map((x) => x.toLowerCase());
  if (op === '-eq' || op === '-in') return w.includes(v);
  if (op === '-startswith') return w.some((x) => v.startsWith(x));
  if (op === '-endswith') return w.some((x) => v.endsWith(x));
  if (op === '-contains') return w.some((x) => v.includes(x));
  return false; // -match: regular expressions are not judged
}

/** Evaluates the rule for a device, or undefined when it cannot be read or decided. */
export function evaluateDeviceRule(rule: string, device: DeviceAttributes): Tri {
  const tokens = tokenize(rule);
  if (!tokens || tokens.length === 0) return undefined;
  let i = 0;
  let broken = false;
  const peek = () => tokens[i];
  const word = (t: Token | undefined) => (t?.kind === 'word' ? t.text.toLowerCase() : undefined);

  const clause = (): Tri => {
    const t = peek();
    if (t?.kind === 'punct' && t.text === '(') {
      i++;
      const v = expr();
      if (peek()?.text !== ')') broken = true;
      i++;
      return v;
    }
    const attr = /^device\.([a-z0-9]+)$/i.exec(t?.kind === 'word' ? t.text : '');
    const op = word(tokens[i + 1]);
    if (!attr || !op) {
      broken = true;
      return undefined;
    }
    i += 2;
    const values: string[] = [];
    if (peek()?.text === '[') {
      i++;
      while (peek() && peek()!.text !== ']') {
        const v = peek()!;
        if (v.kind === 'string') values.push(v.text);
        else if (v.text !== ',') broken = true;
        i++;
      }
      i++;
    } else {
      const v = peek();
      if (v?.kind !== 'string' && v?.kind !== 'word') broken = true;
      else values.push(v.text);
      i++;
    }
    const positive = POSITIVE.has(op) ? op : NEGATIVE[op];
    if (!positive) {
      broken = true;
      return undefined;
    }
    const name = attr[1]!.toLowerCase();
    if (device === 'unregistered') return !POSITIVE.has(op);
    const value = device[name];
    if (value === undefined || positive === '-match') return undefined;
    const hit = compare(positive, value, values);
    return POSITIVE.has(op) ? hit : !hit;
  };
  const expr = (): Tri => {
    let v = clause();
    // -and and -or mixed without brackets: Microsoft's pages read the precedence both ways, so
    // such a rule is not read at all (unknown = in scope) rather than under a guessed grouping.
    let connective: 'and' | 'or' | null = null;
    for (;;) {
      const w = word(peek());
      if (w !== '-and' && w !== 'and' && w !== '-or' && w !== 'or') return v;
      const kind = w.endsWith('and') ? 'and' : 'or';
      if (connective !== null && connective !== kind) broken = true;
      connective = kind;
      i++;
      const rhs = clause();
      v = kind === 'and' ? and(v, rhs) : or(v, rhs);
    }
  };
  const v = expr();
  return broken || i < tokens.length ? undefined : v;
}

/** True only when the filter clearly leaves `device` out of the policy; unknown counts as in scope. */
export function filterSpares(filter: DeviceFilter | null | undefined, device: DeviceAttributes): boolean {
  if (!filter) return false;
  const matches = evaluateDeviceRule(filter.rule, device);
  if (matches === undefined) return false;
  const mode = filter.mode.toLowerCase();
  if (mode === 'include') return matches === false;
  if (mode === 'exclude') return matches === true;
  return false;
}
