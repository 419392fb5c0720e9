import fc from 'fast-check';
import { parseRsql, rsqlComparisons, RsqlSyntaxError } from '../../demo/parseRsql';
import { computerFilter, matchesComputerQuery } from '../../src/upstream/jamf/computerQuery';
import {
  hasRsqlWildcard,
  rsqlAnd,
  rsqlEquals,
  rsqlIn,
  rsqlOr,
  rsqlQuote,
} from '../../src/upstream/jamf/rsql';
import type { JamfComputer } from '../../src/compliance/types';

/** The one comparison a filter must parse to, or a failure naming what it parsed to instead. */
function single(filter: string) {
  const comparisons = rsqlComparisons(parseRsql(filter));
  expect(comparisons).toHaveLength(1);
  return comparisons[0];
}

const HOSTILE = [
  '"),name==*',
  '"),general.name==*,(general.name=="',
  "' or 1 eq 1",
  "O'Brien",
  '\\',
  '\\"',
  '"',
  'a,b;c',
  ' and x==1 or ',
  '(',
  ')',
  '=in=(1,2)',
  'Alex’s MacBook Pro',
  '李伟的 MacBook Pro',
  'Zoë 💻 \u0000 \n\t end',
  '%22%29',
];

describe('rsqlQuote / rsqlEquals', () => {
  it('always double-quotes and escapes backslash and double quote', () => {
    expect(rsqlQuote('plain')).toBe('"plain"');
    expect(rsqlQuote('a"b')).toBe('"a\\"b"');
    expect(rsqlQuote('a\\b')).toBe('"a\\\\b"');
    expect(rsqlQuote("it's")).toBe('"it\'s"');
    expect(rsqlEquals('hardware.serialNumber', 'C02X')).toBe('hardware.serialNumber=="C02X"');
  });

  it.each(HOSTILE)('keeps %j one literal value of one comparison', (value) => {
    const c = single(rsqlEquals('general.name', value));
    expect(c).toEqual({ type: 'comparison', selector: 'general.name', operator: '==', values: [value] });
  });

  it('survives a 10 kB value full of quotes, escapes and operators', () => {
    const value = '"\\),;=*\''.repeat(1250);
    expect(value.length).toBe(10_000);
    expect(single(rsqlEquals('general.name', value))?.values).toEqual([value]);
  });

  it('round-trips any string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (value) => {
        const c = single(rsqlEquals('userAndLocation.email', value));
        expect(c?.values).toEqual([value]);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses field names that are not identifiers (a programming error, not user input)', () => {
    expect(() => rsqlEquals('name==x;id', 'v')).toThrow(/not an RSQL field/);
  });
});

describe('rsqlIn / rsqlAnd / rsqlOr', () => {
  it('quotes every member of an =in= list', () => {
    const c = single(rsqlIn('id', ['1', '2),(x', '"']));
    expect(c).toMatchObject({ operator: '=in=', values: ['1', '2),(x', '"'] });
    expect(() => rsqlIn('id', [])).toThrow();
  });

  it('parenthesises clauses so an inner OR cannot regroup an AND', () => {
    const f = rsqlAnd(rsqlOr(rsqlEquals('id', '1'), rsqlEquals('id', '2')), rsqlEquals('general.name', 'x'));
    expect(f).toBe('((id=="1"),(id=="2"));(general.name=="x")');
    const tree = parseRsql(f);
    expect(tree).toMatchObject({ type: 'and', children: [{ type: 'or' }, { type: 'comparison' }] });
  });

  it('leaves a single clause alone and drops empty ones', () => {
    expect(rsqlAnd(rsqlEquals('id', '1'), '')).toBe('id=="1"');
  });

  it('spots wildcards, which Jamf applies even inside quotes', () => {
    expect(hasRsqlWildcard('Mac*')).toBe(true);
    expect(hasRsqlWildcard('Mac')).toBe(false);
  });
});

describe('computerFilter / matchesComputerQuery', () => {
  it('ANDs the given fields, trimmed, each escaped', () => {
    const f = computerFilter({ serial: ' C02X ', userEmail: 'a"b@x.example' });
    const comparisons = rsqlComparisons(parseRsql(f));
    expect(comparisons.map((c) => [c.selector, c.values[0]])).toEqual([
      ['hardware.serialNumber', 'C02X'],
      ['userAndLocation.email', 'a"b@x.example'],
    ]);
    expect(computerFilter({ name: '  ' })).toBe('');
  });

  it('checks exact values ignoring case (the post-filter for values with *)', () => {
    const c = {
      name: 'MacBook*',
      serialNumber: 'C02X',
      email: 'A@X.EXAMPLE',
      username: null,
    } as JamfComputer;
    expect(matchesComputerQuery(c, { name: 'macbook*' })).toBe(true);
    expect(matchesComputerQuery(c, { name: 'MacBook Pro' })).toBe(false);
    expect(matchesComputerQuery(c, { userEmail: 'a@x.example', serial: 'C02X' })).toBe(true);
  });
});

describe('parseRsql (the simulator reads filters like Jamf Pro)', () => {
  it('parses operators, keywords, lists, precedence and both quote styles', () => {
    expect(parseRsql('')).toBeNull();
    expect(parseRsql("id=ge=5 and general.name=='a\\'b' or id=in=(1, \"2\")")).toEqual({
      type: 'or',
      children: [
        {
          type: 'and',
          children: [
            { type: 'comparison', selector: 'id', operator: '=ge=', values: ['5'] },
            { type: 'comparison', selector: 'general.name', operator: '==', values: ["a'b"] },
          ],
        },
        { type: 'comparison', selector: 'id', operator: '=in=', values: ['1', '2'] },
      ],
    });
    expect(rsqlComparisons(parseRsql('id<3;id>=1')).map((c) => c.operator)).toEqual(['=lt=', '=ge=']);
  });

  it.each([
    'general.name==',
    'general.name=="unterminated',
    'general.name==a b',
    '==x',
    'general.name=like=x',
    'id=in=1',
    '(id==1',
    'id==1)',
    'id==1;',
    'general.name==x"y"',
    'id==1,',
    'general.name=="x\\',
  ])('rejects malformed %j', (filter) => {
    expect(() => parseRsql(filter)).toThrow(RsqlSyntaxError);
  });

  it('shows what an unescaped value would have done', () => {
    const naive = `general.name=="${'"),name==*'}"`;
    expect(() => parseRsql(naive)).toThrow(RsqlSyntaxError);
    const unquoted = `general.name==x,general.name==*`;
    expect(rsqlComparisons(parseRsql(unquoted))).toHaveLength(2);
  });
});
