/**
 * The baseline: a bare node:http server in its own process that answers each X-Amz-Target with
 * bytes captured from Stratus, so the SDK client does identical work against both.
 *   node --import tsx bench/support/bare-server.ts <captured-responses.json>
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

interface Captured {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const responses = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Record<string, Captured>;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const captured = responses[String(req.headers['x-amz-target'])];
    if (!captured) {
      res.writeHead(400).end();
      return;
    }
    res.writeHead(captured.status, {
      ...captured.headers,
      'content-length': Buffer.byteLength(captured.body),
    });
    res.end(captured.body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object')
    process.stdout.write(`READY http://127.0.0.1:${address.port}\n`);
});
