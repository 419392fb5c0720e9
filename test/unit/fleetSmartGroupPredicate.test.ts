import { generateFleet } from '../../demo/generateFleet';
import type { JamfSmartGroupRecord } from '../../demo/fleetTypes';
import { smartGroupPredicate } from '../../demo/smartGroupPredicate';

type Criterion = JamfSmartGroupRecord['criteria'][number];

const NOW = new Date('2025-03-10T12:00:00Z').getTime();
const [mac] = generateFleet({ size: 1, now: NOW }).jamf.computers; // Alex: compliant, macOS 15.x
if (!mac) throw new Error('no Mac');

const c = (name: string, searchType: string, value: string, more: Partial<Criterion> = {}): Criterion => ({
  name,
  priority: 0,
  andOr: 'and',
  searchType,
  value,
  openingParen: false,
  closingParen: false,
  ...more,
});
const yes = c('Computer Name', 'is', mac.general.name);
const no = c('Computer Name', 'is', 'someone else');

describe('smartGroupPredicate', () => {
  it.each([
    ['no criteria: every computer', [], true],
    ['Application Title ignores case and spaces', [c('Application Title', 'is', 'companyportal.app')], true],
    ['Application Title is not', [c('Application Title', 'is not', 'CompanyPortal.app')], false],
    ['Application Title like', [c('Application Title', 'like', 'portal')], true],
    [
      'Last Inventory Update less than 2 days ago',
      [c('Last Inventory Update', 'less than x days ago', '2')],
      true,
    ],
    [
      'Last Inventory Update more than 2 days ago',
      [c('Last Inventory Update', 'more than x days ago', '2')],
      false,
    ],
    [
      'FileVault label',
      [c('FileVault 2 Partition Encryption State', 'is', 'All Partitions Encrypted')],
      true,
    ],
    ['FileVault is not', [c('FileVault 2 Status', 'is not', 'All Partitions Encrypted')], false],
    [
      'OS version compares numerically',
      [c('Operating System Version', 'greater than or equal', '15.0')],
      true,
    ],
    ['OS version 15 < 100', [c('Operating System Version', 'less than', '100.0')], true],
    ['unknown criterion matches nothing', [c('Department', 'is', 'IT')], false],
    [
      'and binds tighter than or',
      [no, { ...no, andOr: 'and' as const }, { ...yes, andOr: 'or' as const }],
      true,
    ],
    [
      'parentheses group',
      [
        { ...no, openingParen: true },
        { ...yes, andOr: 'or' as const, closingParen: true },
        { ...no, andOr: 'and' as const },
      ],
      false,
    ],
    ['or of two', [no, { ...yes, andOr: 'or' as const }], true],
  ])('%s', (_label, criteria, expected) => {
    expect(smartGroupPredicate(criteria as Criterion[], NOW)(mac)).toBe(expected);
  });
});
