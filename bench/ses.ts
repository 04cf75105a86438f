/**
 * node --import tsx bench/ses.ts — what sending an email costs, and how fast the relay drains.
 *
 * (1) SendEmail (a write: MIME built, outbox row committed) against GetSendQuota (a read through
 * the same edge, protocol and store) from one SDK client at concurrency 1 and 8: the ratio is
 * what the send path adds to a trivial call. (2) With an SMTP relay to a local smtp-server, how
 * many messages a second go from SendEmail to delivered. Client, Stratus and SMTP server share
 * this process, so the numbers are a floor, not a ceiling.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetSendQuotaCommand,
  SESClient,
  SendEmailCommand,
  VerifyEmailIdentityCommand,
} from '@aws-sdk/client-ses';
import { SMTPServer } from 'smtp-server';
import { startStratus } from '../src/server/stratus.js';

// The SDK's Node 20 notice would only bury the numbers.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const relayMessages = Number(process.env.BENCH_RELAY_MESSAGES ?? 300);

const email = new SendEmailCommand({
  Source: 'bench@bench.example',
  Destination: { ToAddresses: ['to@example.org'] },
  Message: { Subject: { Data: 'Benchmark' }, Body: { Text: { Data: 'x'.repeat(400) } } },
});

async function rate(client: SESClient, concurrency: number, send: () => Promise<unknown>): Promise<number> {
  const end = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        await send();
        done++;
      }
    }),
  );
  return done / seconds;
}

const smtp = new SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => callback());
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
const smtpPort = (smtp.server.address() as AddressInfo).port;

const work = mkdtempSync(join(tmpdir(), 'stratus-bench-ses-'));
const stratus = await startStratus({
  port: 0,
  logLevel: 'silent',
  dataDir: join(work, 'data'),
  storeUrl: process.env.STRATUS_BENCH_STORE || undefined,
  smtpRelay: `smtp://127.0.0.1:${smtpPort}`,
});
const client = new SESClient({
  endpoint: stratus.url,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
try {
  await client.send(new VerifyEmailIdentityCommand({ EmailAddress: 'bench@bench.example' }));
  const outbox = new URL('/_stratus/ses/messages', stratus.url);
  await fetch(outbox, { method: 'DELETE' });

  // (2) first, on an empty outbox: send a burst, wait until every message is delivered.
  const started = Date.now();
  // 16 senders at a time: within the SDK's socket pool, so the client does not queue.
  let queued = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (queued++ < relayMessages) await client.send(email);
    }),
  );
  const accepted = Date.now();
  for (;;) {
    const { messages } = (await (await fetch(outbox)).json()) as {
      messages: { delivery: { status: string } }[];
    };
    if (messages.every((m) => m.delivery.status === 'delivered')) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const delivered = Date.now();
  await fetch(outbox, { method: 'DELETE' });

  // (1) the send path against a read, both through the same edge.
  console.log(`SES on ${stratus.store.dialect.engine}, ${seconds}s per run`);
  for (const concurrency of [1, 8]) {
    // The quota sums the outbox's last day: start each read run from an empty one.
    await fetch(outbox, { method: 'DELETE' });
    const reads = await rate(client, concurrency, () => client.send(new GetSendQuotaCommand({})));
    const sends = await rate(client, concurrency, () => client.send(email));
    console.log(
      `  concurrency ${concurrency}: SendEmail ${sends.toFixed(0)}/s, GetSendQuota ${reads.toFixed(0)}/s, ratio ${(sends / reads).toFixed(2)}×`,
    );
  }
  console.log(
    `  relay: ${relayMessages} messages accepted in ${accepted - started} ms, all delivered over SMTP after ${delivered - started} ms (${((relayMessages * 1000) / (delivered - started)).toFixed(0)} messages/s end to end)`,
  );
} finally {
  client.destroy();
  await stratus.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  rmSync(work, { recursive: true, force: true });
}
