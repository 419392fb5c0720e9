/**
 * A PostgreSQL connection string as it may appear in logs and errors: scheme, user, host, port
 * and database only. The password and the whole query string (libpq also accepts
 * `?password=…`, and `sslkey` paths) are left out.
 */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `${u.protocol}//${user}${u.host}${u.pathname}`;
  } catch {
    return 'a PostgreSQL URL that could not be parsed';
  }
}
