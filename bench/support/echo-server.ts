/**
 * The warm-invoke baseline: a bare node:http server in its own process that answers Lambda's
 * Invoke path with the request body, as an echo function would.
 */
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    res.writeHead(200, {
      'content-type': 'application/json',
      'x-amz-executed-version': '$LATEST',
      'content-length': body.length,
    });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object')
    process.stdout.write(`READY http://127.0.0.1:${address.port}\n`);
});
