import fc from 'fast-check';
import { parseGraphFilter } from '../../demo/graphFilterParser';
import {
  encodeODataComponent,
  odataEq,
  odataKeySegment,
  odataQuery,
  odataStartsWith,
  odataString,
  wellFormed,
} from '../../src/upstream/graph/odata';

/** What the server sees: the query value URL-decoded, then parsed as a filter. */
function roundTrip(filter: string) {
  const query = odataQuery({ $filter: filter });
  const decoded = new URLSearchParams(query.slice(1)).get('$filter');
  return parseGraphFilter(decoded as string);
}

describe('OData escaping', () => {
  it('doubles single quotes inside a literal', () => {
    expect(odataString("O'Brien")).toBe("'O''Brien'");
    expect(odataString("''")).toBe("''''''");
    expect(odataEq('displayName', "Miriam O'Brien's Mac")).toBe("displayName eq 'Miriam O''Brien''s Mac'");
    expect(odataStartsWith('displayName', "O'")).toBe("startswith(displayName,'O''')");
  });

  it("keeps an injection attempt (' or 1 eq 1) inside one literal", () => {
    const input = "x' or 1 eq 1 or displayName eq '";
    expect(roundTrip(odataEq('displayName', input))).toEqual({
      kind: 'compare',
      op: 'eq',
      property: 'displayName',
      value: input,
    });
    expect(roundTrip(odataEq('userPrincipalName', "' or 1 eq 1"))).toEqual({
      kind: 'compare',
      op: 'eq',
      property: 'userPrincipalName',
      value: "' or 1 eq 1",
    });
  });

  it('URL-encodes everything that could end a query parameter or a path segment', () => {
    const encoded = encodeODataComponent("a&b=c#d+e%f'g(h)*!/?");
    expect(encoded).toBe('a%26b%3Dc%23d%2Be%25f%27g%28h%29%2A%21%2F%3F');
    expect(odataQuery({ $filter: "displayName eq 'a&$top=1'", $top: 5, $select: undefined })).toBe(
      '?$filter=displayName%20eq%20%27a%26%24top%3D1%27&$top=5',
    );
    expect(odataKeySegment('deviceId', "ab'c/d")).toBe('(deviceId=%27ab%27%27c%2Fd%27)');
  });

  it('carries unicode unchanged (accents, curly quotes, emoji, RTL, CJK)', () => {
    const input = 'José’s MacBook Air 🍏 مرحبا 日本';
    expect(decodeURIComponent(encodeODataComponent(odataString(input)))).toBe(`'${input}'`);
    expect(roundTrip(odataEq('displayName', input))).toMatchObject({ value: input });
  });

  it('replaces lone surrogates (not Unicode) instead of throwing URIError', () => {
    expect(wellFormed('a\uD800b')).toBe('a\uFFFDb');
    expect(wellFormed('\uDC00')).toBe('\uFFFD');
    expect(wellFormed('🍏')).toBe('🍏');
    expect(() => encodeODataComponent('x\uD83D')).not.toThrow();
  });

  it('handles a 10 kB string with quotes throughout', () => {
    const input = "O'".repeat(5000);
    const literal = odataString(input);
    expect(literal.length).toBe(15002);
    expect(roundTrip(odataEq('displayName', input))).toEqual({
      kind: 'compare',
      op: 'eq',
      property: 'displayName',
      value: input,
    });
  });

  it('any string survives quote → encode → decode → parse as exactly one literal', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        expect(roundTrip(odataEq('displayName', s))).toEqual({
          kind: 'compare',
          op: 'eq',
          property: 'displayName',
          value: wellFormed(s),
        });
        expect(encodeODataComponent(s)).toMatch(/^[A-Za-z0-9\-_.~%]*$/);
      }),
      { numRuns: 500 },
    );
  });
});
