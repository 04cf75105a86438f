/**
 * Plain HTTP calls the way a browser or curl makes them, for deployed APIs. `Host` can be set
 * (Node's resolver does not map `*.localhost` to loopback, so tests connect to 127.0.0.1 and
 * name the API's host), and repeated response headers stay apart.
 */
import { request } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  json<T = unknown>(): T;
}

export function httpCall(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<HttpAnswer> {
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  // Node frames a DELETE's (or GET's) body only when told its length.
  const headers = body ? { 'content-length': String(body.length), ...options.headers } : options.headers;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          text,
          json: <T>() => JSON.parse(text) as T,
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
