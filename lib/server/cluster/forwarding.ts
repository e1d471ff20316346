import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { VibesError } from '../../core/errors.ts';
import { CLIENT_ID_HEADER, ErrorBody, ROUTES, type CreateSessionBody, type RouteResponse } from '../../protocol/index.ts';
import { FORWARDED_HEADER, ON_BEHALF_OF_HEADER, type Principal } from '../auth.ts';
import { sendError } from '../http-errors.ts';
import type { Membership } from './membership.ts';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

export interface ForwardingOptions {
  membership: Membership;
  /** The cluster's token: what one node shows another. */
  token: () => string;
  timeoutMs: number;
}

/** Requests about sessions that run on another node, answered by that node. */
export class Forwarding {
  readonly #options: ForwardingOptions;

  constructor(options: ForwardingOptions) {
    this.#options = options;
  }

  /**
   * Sends a request about a session that runs on another node to that node and streams its
   * answer back: same status, same error code. False when the request is answered here.
   */
  forward(req: IncomingMessage, res: ServerResponse, url: URL, principal: Principal): boolean {
    if (req.headers[FORWARDED_HEADER] !== undefined) return false;
    const match = /^\/api\/sessions\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!match?.[1]) return false;
    // The transcript is in the shared store: read it here.
    if (match[2] === '/events' && req.method === 'GET') return false;
    const { membership } = this.#options;
    const node = membership.directory.remoteNodeOf(decodeURIComponent(match[1]));
    if (node === undefined) return false;
    const target = membership.urlOf(node);
    if (target === undefined) {
      sendError(res, 'NODE_UNAVAILABLE', `The machine running this session (${node}) is not answering`);
      return true;
    }
    this.#proxy(req, res, new URL(url.pathname + url.search, target), node, principal);
    return true;
  }

  /** Starts a session on another node on the caller's behalf; its answer, or its error, is ours. */
  async createSession(
    node: string,
    body: Omit<CreateSessionBody, 'node'>,
    clientId: string,
    principal: Principal,
  ): Promise<RouteResponse<'createSession'>> {
    const { membership } = this.#options;
    const target = membership.urlOf(node);
    if (target === undefined) {
      const known = membership.nodes().some((state) => state.name === node);
      if (!known) throw new VibesError('NOT_FOUND', `There is no node named ${node} in this cluster`);
      throw unavailable(node);
    }
    const answer = await fetch(new URL(ROUTES.createSession.path, target), {
      method: 'POST',
      headers: { ...this.#headers(principal), [CLIENT_ID_HEADER]: clientId, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.#options.timeoutMs),
    }).catch(() => {
      throw unavailable(node);
    });
    const json: unknown = await answer.json().catch(() => {
      throw unavailable(node);
    });
    if (answer.ok) return json as RouteResponse<'createSession'>;
    const error = ErrorBody.safeParse(json);
    throw error.success
      ? new VibesError(error.data.error.code, error.data.error.message)
      : new VibesError('INTERNAL', `The machine ${node} answered ${answer.status}`);
  }

  /** The cluster's token, and the device the request came from: the other node acts for it. */
  #headers(principal: Principal): Record<string, string> {
    const headers = { authorization: `Bearer ${this.#options.token()}`, [FORWARDED_HEADER]: this.#options.membership.node };
    return principal.kind === 'device' ? { ...headers, [ON_BEHALF_OF_HEADER]: principal.deviceId } : headers;
  }

  #proxy(req: IncomingMessage, res: ServerResponse, target: URL, node: string, principal: Principal): void {
    const headers: Record<string, string | string[]> = { ...this.#headers(principal), host: target.host };
    for (const name of ['content-type', 'content-length', 'transfer-encoding', 'accept', CLIENT_ID_HEADER.toLowerCase()]) {
      const value = req.headers[name];
      if (value !== undefined) headers[name] = value;
    }
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = request(target, { method: req.method, headers, timeout: this.#options.timeoutMs }, (answer) => {
      const copied: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) copied[name] = value;
      }
      res.writeHead(answer.statusCode ?? 502, copied);
      answer.pipe(res);
    });
    const fail = () => {
      if (!res.headersSent) sendError(res, 'NODE_UNAVAILABLE', `The machine running this session (${node}) did not answer in time`);
      else res.destroy();
    };
    outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.on('error', fail);
    req.pipe(outgoing);
  }
}

function unavailable(node: string): VibesError {
  return new VibesError('NODE_UNAVAILABLE', `The machine ${node} is not answering`);
}
