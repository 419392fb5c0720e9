import type { DesiredSmartGroup, SmartGroupCriterionFacts } from './onboardingTypes';

type Criterion = Pick<SmartGroupCriterionFacts, 'name' | 'searchType' | 'value'> &
  Partial<Pick<SmartGroupCriterionFacts, 'andOr' | 'openingParen' | 'closingParen'>>;

/** Case, spacing and a trailing `.app` do not make two criteria differ (`Company Portal.app` = `CompanyPortal.app`). */
const key = (c: Criterion): string =>
  [c.name, c.searchType, c.value]
    .map((s) =>
      s
        .normalize('NFC')
        .toLowerCase()
        .replace(/\s+/g, '')
        .replace(/\.app$/, ''),
    )
    .join('|');

const plainAnd = (list: readonly Criterion[]): boolean =>
  list.every((c, i) => (i === 0 || (c.andOr ?? 'and') === 'and') && !c.openingParen && !c.closingParen);

/**
 * Whether a smart group's criteria are the desired ones. Criteria all joined by `and` without
 * parentheses compare as a set (order does not change the members); anything with `or` or
 * parentheses must match in order, joins and parentheses included.
 */
export function criteriaMatch(
  actual: readonly SmartGroupCriterionFacts[],
  desired: DesiredSmartGroup['criteria'],
): boolean {
  if (actual.length !== desired.length) return false;
  if (plainAnd(actual)) {
    const a = actual.map(key).sort();
    const d = desired.map(key).sort();
    return a.every((k, i) => k === d[i]);
  }
  return false; // the desired criteria are always plain `and`
}

/** `Last Inventory Update less than x days ago 2 and Application Title is CompanyPortal.app`. */
export function describeCriteria(list: readonly Criterion[]): string {
  if (list.length === 0) return 'no criteria (every computer)';
  return list
    .map((c, i) => {
      const join = i === 0 ? '' : `${c.andOr ?? 'and'} `;
      return `${join}${c.openingParen ? '(' : ''}${c.name} ${c.searchType} ${c.value}${c.closingParen ? ')' : ''}`;
    })
    .join(' ');
}
