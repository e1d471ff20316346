import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

export interface PostInit {
  headers: Record<string, string>;
  body: Buffer | string;
  signal?: AbortSignal;
  /** Checks the addresses a push endpoint's name resolves to. */
  lookup?: LookupFunction;
}

export type Post = (url: string, init: PostInit) => Promise<{ status: number }>;

/** What every transport sends with: a bounded POST, the clock, and whether shutdown began. */
export interface Delivery {
  /** Aborted by its timeout or by shutdown. */
  post: Post;
  /** Shutdown began: a call it aborted is no failure worth a log line. */
  stopping: () => boolean;
  /** Unix seconds. */
  now: () => number;
}

/**
 * One POST, the answer's body read and dropped. Redirects are not followed: a push service
 * has no reason to send one, and following it would go where the endpoint rules never looked.
 */
export function postOnce(url: string, init: PostInit): Promise<{ status: number }> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      target,
      {
        method: 'POST',
        headers: init.headers,
        ...(init.signal ? { signal: init.signal } : {}),
        ...(init.lookup ? { lookup: init.lookup } : {}),
      },
      (response) => {
        response.on('error', reject);
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
      },
    );
    request.on('error', reject);
    request.end(init.body);
  });
}

/** Why a call failed, in a line: fetch says only "fetch failed" and keeps the reason (refused, DNS, TLS) in its cause. */
export function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
