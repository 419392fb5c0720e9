/** The HTTP layer the Graph client runs on: WHATWG `fetch`, injectable (tests, proxies, custom trust). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;
