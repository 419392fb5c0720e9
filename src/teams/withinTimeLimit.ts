import { ConnectorSendError } from '../broadcasts/reminderTransport';

/**
 * Bounds a whole Bot Connector call — what comes before the request (the bot's token, which the
 * pipeline gets before `reminderSendPolicy`'s own limit starts) included — and aborts it when the
 * time is up. A call cut here has no evidence of its write (`requestWritten: null`), so a send is
 * then in doubt, never retried.
 */
export async function withinTimeLimit<T>(
  limitMs: number,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new ConnectorSendError(`no answer within ${limitMs} ms`, null, 'SEND_TIMEOUT', null, null));
    }, limitMs);
  });
  try {
    return await Promise.race([call(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
