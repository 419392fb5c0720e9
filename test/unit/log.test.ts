import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { createLogger, redactSecretValues, type LogFormat } from '../../src/log';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, logger: createLogger({ level: 'debug', destination }) };
}

describe('createLogger', () => {
  it('writes JSON lines and redacts credentials wherever they sit', () => {
    const { lines, logger } = capture();
    logger.child({ activityId: 'a1' }).info(
      {
        headers: { authorization: 'Bearer eyJhbGciOi.secret' },
        clientSecret: 'jamf-secret-value',
        config: { client_secret: 'graph-secret', password: 'pw', token: 'tkn', access_token: 'at' },
        safe: 'kept',
      },
      'calling upstream',
    );
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ activityId: 'a1', msg: 'calling upstream', safe: 'kept' });
    for (const secret of ['eyJhbGciOi.secret', 'jamf-secret-value', 'graph-secret', '"pw"', 'tkn', '"at"']) {
      expect(lines[0]).not.toContain(secret);
    }
    expect(lines[0]).toContain('[redacted]');
  });

  it('blanks configured secret values wherever they appear, as typed, JSON-escaped or URL-encoded', () => {
    const secret = 'p@ss"w\\ord/+=';
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const logger = createLogger({ destination, secrets: () => [secret, 'short'] });
    logger.info(
      { nested: { deeper: { value: secret } }, form: `x=${encodeURIComponent(secret)}` },
      `msg ${secret} short`,
    );
    expect(lines[0]).not.toContain(JSON.stringify(secret).slice(1, -1));
    expect(lines[0]).not.toContain(encodeURIComponent(secret));
    expect(lines[0]).toContain('short'); // too short to be treated as a secret
    expect(redactSecretValues('a SECRET-VALUE b', ['SECRET-VALUE'])).toBe('a [redacted] b');
  });
});

/** An ANSI colour escape (ESC [ n m). */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`);

describe('createLogger output format', () => {
  function lines(isTTY: boolean, format?: LogFormat): string[] {
    const out: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, cb) {
        out.push(chunk.toString());
        cb();
      },
    });
    createLogger({ destination, isTTY, format, secrets: () => ['the-bot-password'] }).info(
      { command: 'rollout', clientSecret: 'jamf-secret-value' },
      'running command the-bot-password',
    );
    return out;
  }

  it('writes readable, coloured lines on a terminal, secrets still redacted', () => {
    const [line = ''] = lines(true);
    expect(() => JSON.parse(line)).toThrow();
    expect(line).toMatch(ANSI);
    expect(line).toContain('INFO');
    expect(line).toContain('running command [redacted]');
    expect(line).toContain('rollout');
    expect(line).not.toContain('jamf-secret-value');
    expect(line).not.toContain('the-bot-password');
  });

  it('writes JSON lines when the output is not a terminal', () => {
    const [line = ''] = lines(false);
    expect(JSON.parse(line)).toMatchObject({
      level: 30,
      msg: 'running command [redacted]',
      command: 'rollout',
    });
    expect(line).not.toMatch(ANSI);
  });

  it('LOG_FORMAT overrides the guess: json on a terminal, pretty into a pipe', () => {
    const [json = ''] = lines(true, 'json');
    expect(JSON.parse(json)).toMatchObject({ msg: 'running command [redacted]' });
    const [pretty = ''] = lines(false, 'pretty');
    expect(() => JSON.parse(pretty)).toThrow();
    expect(pretty).toContain('running command [redacted]');
    expect(pretty).not.toContain('jamf-secret-value');
    expect(lines(true, 'auto')[0]).toMatch(ANSI);
    expect(loadConfig({}).log.format).toBe('auto');
    expect(loadConfig({ LOG_FORMAT: 'json' }).log.format).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT: must be auto, json or pretty/);
  });
});
