/**
 * A real HTTP endpoint for SNS subscription tests: a `node:http` server on a free loopback port
 * that records every request and answers with whatever status the test says next.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVerify, X509Certificate } from 'node:crypto';
import { expect } from 'vitest';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RecordingEndpoint {
  url: string;
  received: ReceivedRequest[];
  /** Statuses for the next requests, in order (0: no answer at all); the default status once they run out. */
  answerWith(...statuses: number[]): void;
  /** The status given when no queued one is left (200 at first). */
  answerByDefault(status: number): void;
  close(): Promise<void>;
}

export async function startRecordingEndpoint(): Promise<RecordingEndpoint> {
  const received: ReceivedRequest[] = [];
  const statuses: number[] = [];
  let fallback = 200;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const status = statuses.shift() ?? fallback;
      // 0: never answer, as an endpoint that hangs.
      if (status === 0) return;
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answerWith: (...next) => statuses.push(...next),
    answerByDefault: (status) => {
      fallback = status;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Verifies an SNS message the way AWS tells subscribers to: fetch SigningCertURL, rebuild the
 * string to sign from the message's own fields, check the signature with the certificate's key.
 */
export async function verifySnsSignature(message: Record<string, string>): Promise<boolean> {
  const pem = await (await fetch(message['SigningCertURL'] ?? message['SigningCertUrl']!)).text();
  const certificate = new X509Certificate(pem);
  const keys =
    message['Type'] === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  const text = keys
    .filter((key) => message[key] !== undefined && message[key] !== null)
    .map((key) => `${key}\n${message[key]}\n`)
    .join('');
  const algorithm = message['SignatureVersion'] === '2' ? 'RSA-SHA256' : 'RSA-SHA1';
  return createVerify(algorithm)
    .update(text, 'utf8')
    .verify(certificate.publicKey, message['Signature']!, 'base64');
}

/** Expects an SDK call to fail with `type` and exactly `message` (or one matching it); returns the error. */
export async function rejects(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => Error,
  message: string | RegExp,
): Promise<Error & { $metadata: { httpStatusCode?: number }; name: string }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e as Error & { $metadata: { httpStatusCode?: number }; name: string },
  );
  expect(err, 'the call should fail').toBeInstanceOf(type);
  if (typeof message === 'string') expect(err!.message).toBe(message);
  else expect(err!.message).toMatch(message);
  return err!;
}
