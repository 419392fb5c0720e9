import {
  FilterSyntaxError,
  filterLeaves,
  filterNeedsAdvancedQuery,
  parseGraphFilter,
} from '../../demo/graphFilterParser';
import { graphFilterMatches } from '../../demo/graphFilterMatches';

describe('parseGraphFilter', () => {
  it('parses eq with a doubled quote', () => {
    expect(parseGraphFilter("displayName eq 'O''Brien'")).toEqual({
      kind: 'compare',
      op: 'eq',
      property: 'displayName',
      value: "O'Brien",
    });
  });

  it('gives and precedence over or, and honours parentheses and not', () => {
    const t = parseGraphFilter("a eq 'x' or b eq 'y' and not (c eq true)");
    expect(t).toEqual({
      kind: 'or',
      left: { kind: 'compare', op: 'eq', property: 'a', value: 'x' },
      right: {
        kind: 'and',
        left: { kind: 'compare', op: 'eq', property: 'b', value: 'y' },
        right: { kind: 'not', operand: { kind: 'compare', op: 'eq', property: 'c', value: true } },
      },
    });
  });

  it('parses startswith, in, ne, null, numbers and date-times', () => {
    expect(parseGraphFilter("startswith(displayName,'Mac')")).toEqual({
      kind: 'function',
      name: 'startswith',
      property: 'displayName',
      value: 'Mac',
    });
    expect(parseGraphFilter("id in ('a', 'b''c')")).toEqual({
      kind: 'in',
      property: 'id',
      values: ['a', "b'c"],
    });
    expect(parseGraphFilter('mail ne null')).toEqual({
      kind: 'compare',
      op: 'ne',
      property: 'mail',
      value: null,
    });
    expect(parseGraphFilter('deviceVersion ge 2')).toMatchObject({ op: 'ge', value: 2 });
    expect(parseGraphFilter('registrationDateTime ge 2026-01-01T00:00:00Z')).toMatchObject({
      value: '2026-01-01T00:00:00Z',
    });
  });

  it.each([
    ["displayName eq 'unterminated", /Unterminated/],
    ['displayName eq', /expected a value/],
    ["displayName like 'x'", /comparison operator/],
    ["displayName eq 'a' or", /expected a property/],
    ["(displayName eq 'a'", /expected '\)'/],
    ["displayName eq 'a' 'b'", /unexpected token/],
    ["substringof('a',displayName)", /Unknown function/],
    ["displayName eq 'a' ; drop", /not valid/],
    ['', /empty/],
  ])('rejects %p', (text, message) => {
    expect(() => parseGraphFilter(text)).toThrow(FilterSyntaxError);
    expect(() => parseGraphFilter(text)).toThrow(message);
  });

  it('lists leaves and spots advanced-query operators', () => {
    const t = parseGraphFilter("a eq '1' or not (b ne '2')");
    expect(filterLeaves(t).map((l) => l.property)).toEqual(['a', 'b']);
    expect(filterNeedsAdvancedQuery(t)).toBe(true);
    expect(filterNeedsAdvancedQuery(parseGraphFilter("a eq '1' and startswith(b,'x')"))).toBe(false);
    expect(filterNeedsAdvancedQuery(parseGraphFilter("endswith(mail,'@x.com')"))).toBe(true);
  });
});

describe('graphFilterMatches', () => {
  const device = {
    displayName: "Miriam O'Brien's Mac",
    operatingSystem: 'macOS',
    isCompliant: true,
    mail: null,
    n: 3,
  };
  it.each([
    ["displayName eq 'miriam o''brien''s mac'", true],
    ["operatingSystem eq 'MacMDM' or operatingSystem eq 'MACOS'", true],
    ["startswith(displayName,'MIRIAM')", true],
    ["operatingSystem in ('Windows', 'macOS')", true],
    ['isCompliant eq false', false],
    ['mail eq null', true],
    ["not (operatingSystem eq 'macOS')", false],
    ['n gt 2 and n le 3', true],
  ])('%s → %s', (text, expected) => {
    expect(graphFilterMatches(parseGraphFilter(text), device)).toBe(expected);
  });
});
