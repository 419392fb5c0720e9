import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { freePort } from '../helpers/processes';

export { freePort };

export const ROOT = path.resolve(__dirname, '..', '..');

/** Debian's Chromium (installed by apt, never downloaded); CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface NpmStart {
  botPort: number;
  playgroundPort: number;
  playgroundUrl: string;
  /** Everything the process group wrote to stdout and stderr so far. */
  output(): string;
  /** The bot's JSON log lines (pino) parsed; other lines are skipped. */
  logLines(): Record<string, unknown>[];
  /** Ctrl-C for the whole process group (npm, tsx, the bot, the Playground); SIGKILL if it lingers. */
  stop(): Promise<{ code: number | null; signal: string | null }>;
}

/**
 * `npm start` as a person runs it, on free ports, in its own process group; resolves once the
 * bot logs `open http://localhost:<port>` (the Playground is ready).
 */
export async function startNpmStart(
  opts: { logLevel?: string; timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<NpmStart> {
  const [botPort, playgroundPort] = [await freePort(), await freePort()];
  const child: ChildProcess = spawn('npm', ['start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(botPort),
      PLAYGROUND_PORT: String(playgroundPort),
      LOG_LEVEL: opts.logLevel ?? 'info',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  let exitInfo: { code: number | null; signal: string | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) =>
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      r(exitInfo);
    }),
  );

  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const stop = async () => {
    if (exitInfo) return exitInfo;
    killGroup('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      exited,
      new Promise<null>((r) => (timer = setTimeout(() => r(null), 10_000))),
    ]);
    clearTimeout(timer);
    if (result) {
      // npm may exit before its grandchildren; make sure nothing of the group survives.
      killGroup('SIGKILL');
      return result;
    }
    killGroup('SIGKILL');
    return exited;
  };

  const playgroundUrl = `http://localhost:${playgroundPort}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 45_000);
  while (!output.includes(`open ${playgroundUrl}`)) {
    if (exitInfo || Date.now() > deadline) {
      await stop();
      throw new Error(
        `npm start did not report the Playground ready at ${playgroundUrl} ` +
          `(${exitInfo ? `it exited: ${JSON.stringify(exitInfo)}` : 'timed out'}). Output:\n${output}`,
      );
    }
    await sleep(100);
  }

  return {
    botPort,
    playgroundPort,
    playgroundUrl,
    output: () => output,
    logLines: () =>
      output
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    stop,
  };
}

/** Headless Debian Chromium with a throwaway profile (playwright-core's `launch` makes a fresh one). */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); no browser is downloaded.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Opens the Playground page with the network limited to loopback: the page also asks Microsoft's
 * CDN for fonts and animations, which the test neither needs nor may depend on.
 */
export async function openPlayground(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route(
    (u) => !['localhost', '127.0.0.1', '[::1]'].includes(u.hostname),
    (route) => route.abort(),
  );
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

/**
 * The Playground's message box: the first `contenteditable` on the page (a Lexical editor,
 * `role="textbox"`); the second one is the log panel.
 */
export function messageBox(page: Page): Locator {
  return page.locator('[contenteditable="true"]').first();
}

/** Types a message into the Playground and sends it with Enter, as a person would. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const box = messageBox(page);
  await box.click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** The Adaptive Cards the Playground rendered (`.ac-adaptiveCard`) whose text contains `text`. */
export function cardsWith(page: Page, text: string | RegExp): Locator {
  return page.locator('.ac-adaptiveCard', { hasText: text });
}

/**
 * A screenshot of one whole card. The page first grows to fit a card taller than the window:
 * otherwise the chat scrolls it under the Playground's header and the shot is cut.
 */
export async function screenshotCard(page: Page, card: Locator, file: string): Promise<void> {
  const size = page.viewportSize();
  const box = await card.boundingBox();
  if (size && box && box.height + 300 > size.height)
    await page.setViewportSize({ width: size.width, height: Math.ceil(box.height) + 600 });
  try {
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: file });
  } finally {
    if (size) await page.setViewportSize(size);
  }
}

/**
 * Sends an activity through the Playground's own "Mock an Activity → Custom activity" dialog's
 * two requests: the template for the chat (the Playground's user, conversation and service URL)
 * and the edited activity. The Playground has no language setting — its server writes
 * `locale: "en-US"` into every message it generates — so this is the one way it sends what a
 * Teams client in another language does.
 */
export async function sendCustomActivity(
  page: Page,
  conversationId: string,
  edit: Record<string, unknown>,
): Promise<void> {
  await page.evaluate(
    async ({ conversationId, edit }) => {
      const base = `${window.location.origin}/_internal/v1/customActivities`;
      const template = await fetch(`${base}/template?conversationId=${encodeURIComponent(conversationId)}`);
      if (!template.ok) throw new Error(`custom activity template: HTTP ${template.status}`);
      const activity = { ...((await template.json()) as Record<string, unknown>), ...edit };
      const sent = await fetch(base, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(activity),
      });
      if (!sent.ok) throw new Error(`custom activity: HTTP ${sent.status}`);
    },
    { conversationId, edit },
  );
}
