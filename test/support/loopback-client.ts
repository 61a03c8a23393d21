import { request } from 'node:http';
import { CookieJar } from '../server/respondent-helpers.js';

/**
 * A browser over real HTTP on loopback. Each browser sends from its own loopback address (127.x.y.z),
 * as respondents on different connections would, so per-address limits (invitation links) apply to
 * each respondent and not to the whole test. node:http rather than fetch, because fetch cannot choose
 * the source address without undici's Agent.
 */

export interface Reply {
  readonly status: number;
  readonly location: string | undefined;
  readonly body: string;
}

/** The n-th loopback source address (never .0 or .255), distinct for n < 250 * 256. */
export const loopbackAddress = (n: number) => `127.1.${Math.floor(n / 250)}.${1 + (n % 250)}`;

export class LoopbackBrowser {
  readonly jar = new CookieJar();

  constructor(private readonly localAddress: string) {}

  /**
   * One request to `base + path`. Rejects when no response arrives (refused, reset by a killed server,
   * or no answer within `timeoutMs`): the caller cannot know whether the server acted on it.
   */
  send(base: string, method: 'GET' | 'POST', path: string, form?: Record<string, string>, timeoutMs = 15_000): Promise<Reply> {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const cookie = this.jar.header(path);
    const headers: Record<string, string> = {
      ...(cookie ? { cookie } : {}),
      ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    };
    return new Promise((done, fail) => {
      const req = request(new URL(path, base), { method, headers, localAddress: this.localAddress, agent: false, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        // A server killed in the middle of the body: the response never fully arrived.
        res.on('close', () => {
          if (!res.complete) fail(new Error(`the response to ${method} ${path} was cut off`));
        });
        res.on('end', () => {
          const setCookies = res.headers['set-cookie'] ?? [];
          this.jar.store(setCookies, path);
          done({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no response to ${method} ${path} within ${timeoutMs} ms`)));
      req.on('error', fail);
      req.end(body);
    });
  }
}
