import pino, { type Logger } from 'pino';
import pinoPretty from 'pino-pretty';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear in a log object. Anything that can hold a
 * credential is listed: headers, tokens, client secrets, passwords.
 */
export const REDACT_PATHS = [
  'authorization',
  'Authorization',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'clientSecret',
  '*.clientSecret',
  'client_secret',
  '*.client_secret',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'appPassword',
  '*.appPassword',
];

export interface LoggerOptions {
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read them. */
  destination?: pino.DestinationStream;
  /**
   * The configured secrets' values (bot password, Graph and Jamf client secrets), read at each
   * write so secrets known only later (the demo tenant's) are covered too.
   */
  secrets?: () => Iterable<string>;
  /**
   * Is the output a terminal? Then lines are pretty-printed and coloured (pino-pretty) for people;
   * otherwise JSON lines for log collectors. Defaults to `process.stdout.isTTY` when writing to
   * stdout, false with a `destination`.
   */
  isTTY?: boolean;
  /** `LOG_FORMAT`: `pretty` or `json` whatever the output is; `auto` (default) goes by `isTTY`. */
  format?: LogFormat;
}

/** How log lines are written (`LOG_FORMAT`). */
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Shorter values are not treated as secrets: replacing them would mangle ordinary text. */
const MIN_SECRET_LENGTH = 6;

/**
 * Blanks every secret value in a finished log line, wherever it ended up — in a message, an
 * error's text, a nested object the path list does not reach — as typed, JSON-escaped or
 * URL-encoded (a form body).
 */
export function redactSecretValues(line: string, secrets: Iterable<string>): string {
  let out = line;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])) {
      if (out.includes(form)) out = out.split(form).join('[redacted]');
    }
  }
  return out;
}

/**
 * The process's root logger: JSON lines, secrets redacted by path and by value; on a terminal,
 * readable coloured lines instead (the same redacted record, formatted in-process by pino-pretty,
 * synchronously, so nothing is lost on exit).
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const secrets = opts.secrets;
  const format = opts.format ?? 'auto';
  const pretty =
    format === 'auto'
      ? (opts.isTTY ?? (opts.destination === undefined && process.stdout.isTTY === true))
      : format === 'pretty';
  const destination = pretty
    ? pinoPretty({
        colorize: true,
        sync: true,
        translateTime: 'SYS:HH:MM:ss.l',
        destination: opts.destination ?? 1,
      })
    : opts.destination;
  return pino(
    {
      name: 'jamf-compliance-bot',
      level: opts.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      ...(secrets ? { hooks: { streamWrite: (line: string) => redactSecretValues(line, secrets()) } } : {}),
    },
    destination,
  );
}

/** A logger that writes nothing, for unit tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
