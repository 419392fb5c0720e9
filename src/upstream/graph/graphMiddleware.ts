import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { CALL_STATE_OPTION, type GraphCallState } from './graphCallState';
import type { FetchLike } from './fetchTypes';

function stateOf(context: Context): GraphCallState | undefined {
  return (context.options as Record<string, unknown> | undefined)?.[CALL_STATE_OPTION] as
    GraphCallState | undefined;
}

/** First in the chain: remembers the original error before the SDK turns it into a `GraphError`. */
export class ErrorCaptureHandler implements Middleware {
  private next?: Middleware;

  async execute(context: Context): Promise<void> {
    try {
      await this.next?.execute(context);
    } catch (e) {
      const state = stateOf(context);
      if (state) state.error = e;
      throw e;
    }
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/**
 * Last in the chain, instead of the SDK's `HTTPMessageHandler` (which calls the global fetch):
 * sends the request with the injected fetch, so CA trust, proxies and test doubles apply.
 */
export class InjectedFetchHandler implements Middleware {
  constructor(private readonly fetchFn: FetchLike) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const { [CALL_STATE_OPTION]: _state, ...init } = (context.options ?? {}) as Record<string, unknown>;
    const state = stateOf(context);
    const headers = (init.headers ?? {}) as Record<string, string>;
    if (state) state.bearer = headers.Authorization ?? headers.authorization;
    context.response = await this.fetchFn(url, init as RequestInit);
  }
}
