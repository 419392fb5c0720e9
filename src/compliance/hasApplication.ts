/** `Company Portal.app`, `CompanyPortal.app` and `company portal` all become `companyportal`. */
const squash = (name: string): string =>
  name
    .normalize('NFC')
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/\.app$/, '');

/**
 * Whether the inventoried applications include the required one. Jamf inventories the bundle
 * as `Company Portal.app` while the seed's smart group criterion says `CompanyPortal.app`, so
 * the match ignores case, spaces and a trailing `.app`.
 */
export function hasApplication(applications: readonly string[], required: string): boolean {
  const want = squash(required);
  return want !== '' && applications.some((a) => squash(a) === want);
}
