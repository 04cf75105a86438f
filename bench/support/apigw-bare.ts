/**
 * bench:apigw's ceiling: a bare node:http server in its own process that answers every request
 * with what the benched function returns through API Gateway — 200, JSON, `{"ok":true}` — so the
 * load generator does the same work against it as against an API.
 *   node --import tsx bench/support/apigw-bare.ts   → prints `READY <url>`
 */
import { createServer } from 'node:http';

const body = '{"ok":true}';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object')
    process.stdout.write(`READY http://127.0.0.1:${address.port}\n`);
});
