import type { FilterExpr } from './graphFilterParser';

/** One request the simulator received. Never holds the `Authorization` header or a secret. */
export interface GraphSimLogEntry {
  at: number;
  method: string;
  /** Path as requested, without the query string. */
  path: string;
  /** Route template, e.g. `GET /devices/{id}`; `?` when nothing matched. */
  endpoint: string;
  /** Decoded query parameters. */
  query: Record<string, string>;
  /** The parsed `$filter`, when there was one and it parsed. */
  filter?: FilterExpr;
  headers: { consistencyLevel?: string; clientRequestId?: string; contentType?: string; hasBearer: boolean };
  /** Sub-request of a `$batch`. */
  viaBatch: boolean;
  /** The JSON body of a Graph write (POST/PATCH/PUT), as parsed; never a token request's form. */
  body?: unknown;
  /** Answered status; undefined while pending or when a fault dropped the request. */
  status?: number;
  fault?: string;
}

/** What the simulator saw: every request, and a count per endpoint. */
export class GraphSimRequestLog {
  readonly entries: GraphSimLogEntry[] = [];

  add(entry: GraphSimLogEntry): GraphSimLogEntry {
    this.entries.push(entry);
    return entry;
  }

  /** Requests to an endpoint template such as `GET /devices` or `POST /{tenant}/oauth2/v2.0/token`. */
  count(endpoint: string): number {
    return this.entries.filter((e) => e.endpoint === endpoint).length;
  }

  /** Requests per endpoint template. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.entries) out[e.endpoint] = (out[e.endpoint] ?? 0) + 1;
    return out;
  }

  clear(): void {
    this.entries.length = 0;
  }
}
