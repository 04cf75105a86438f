/**
 * The SMTP relay against a real SMTP server (smtp-server, on 127.0.0.1 with a random port): what
 * v1 SendEmail, SendRawEmail and v2 SendEmail deliver (envelope and content), retries with
 * backoff on a 4xx reply, a 5xx reply failing the message, and delivery surviving a restart.
 */
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import {
  SESClient,
  SendEmailCommand,
  SendRawEmailCommand,
  VerifyEmailIdentityCommand,
} from '@aws-sdk/client-ses';
import { SESv2Client, SendEmailCommand as SendEmailV2Command } from '@aws-sdk/client-sesv2';
import { ManualClock } from '../src/engine/clock.js';
import type { OutboxMessage } from '../src/services/ses/outbox.js';
import { maxDeliveryAttempts, retryDelayMs } from '../src/services/ses/relay.js';
import { outboxMessage } from './support/outbox.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

interface Received {
  user: unknown;
  from: string | false;
  to: string[];
  data: string;
}

/** An SMTP server that takes mail for user `relay`, and can be told to refuse the next messages. */
async function smtpServer() {
  const received: Received[] = [];
  const refusals: { code: number; message: string }[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'relay' && auth.password === 's3cr:t') callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const refusal = refusals.shift();
        if (refusal) {
          callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
          return;
        }
        received.push({
          user: session.user,
          from: session.envelope.mailFrom && session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    received,
    refusals,
    url: `smtp://relay:${encodeURIComponent('s3cr:t')}@127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('SES SMTP relay', () => {
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  let stratus: TestStratus;
  let ses: SESClient;
  let sesv2: SESv2Client;
  const clock = new ManualClock(Date.UTC(2026, 10, 3, 8, 0, 0));

  const delivery = (id: string, status: OutboxMessage['delivery']['status']) =>
    eventually(
      () => outboxMessage(stratus.url, id),
      (m) => m.delivery.status === status,
      `message ${id} to be ${status}`,
    );

  beforeAll(async () => {
    smtp = await smtpServer();
    stratus = await startTestStratus({ clock, smtpRelay: smtp.url });
    ses = new SESClient(stratus.clientConfig);
    sesv2 = new SESv2Client(stratus.clientConfig);
    await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: 'sender@relay.example' }));
  });
  afterAll(async () => {
    ses?.destroy();
    sesv2?.destroy();
    await stratus?.close();
    await smtp?.close();
  });
  beforeEach(() => {
    smtp.received.length = 0;
  });

  it('delivers v1 SendEmail with the SES envelope: MAIL FROM the source, RCPT TO every recipient', async () => {
    const { MessageId } = await ses.send(
      new SendEmailCommand({
        Source: 'Relay Sender <sender@relay.example>',
        Destination: {
          ToAddresses: ['Ann <ann@example.org>'],
          CcAddresses: ['cc@example.org'],
          BccAddresses: ['bcc@example.org'],
        },
        Message: { Subject: { Data: 'Relayed v1' }, Body: { Text: { Data: 'Hello over SMTP' } } },
      }),
    );
    const message = await delivery(MessageId!, 'delivered');
    expect(message.delivery).toMatchObject({
      attempts: 1,
      error: null,
      deliveredAt: new Date(clock.now()).toISOString(),
    });
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail).toMatchObject({
      user: 'relay',
      from: 'sender@relay.example',
      to: ['ann@example.org', 'cc@example.org', 'bcc@example.org'],
    });
    expect(mail!.data).toMatch(/^Subject: Relayed v1\r$/m);
    expect(mail!.data).toMatch(/^To: Ann <ann@example\.org>\r$/m);
    expect(mail!.data).toContain('Hello over SMTP');
    expect(mail!.data).not.toContain('bcc@example.org');
    expect(mail!.data.replace(/\r\n\s+/g, ' ')).toContain(`Message-ID: <${MessageId}@email.amazonses.com>`);
  });

  it('delivers SendRawEmail byte for byte to its Destinations', async () => {
    const raw =
      'From: sender@relay.example\r\nTo: header-only@example.org\r\nSubject: Relayed raw\r\nX-Trace: 42\r\n\r\nraw body line\r\n';
    const { MessageId } = await ses.send(
      new SendRawEmailCommand({
        Destinations: ['envelope@example.org'],
        RawMessage: { Data: Buffer.from(raw) },
      }),
    );
    await delivery(MessageId!, 'delivered');
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]).toMatchObject({ from: 'sender@relay.example', to: ['envelope@example.org'] });
    expect(smtp.received[0]!.data.replace(/\r\n$/, '')).toBe(raw.replace(/\r\n$/, ''));
  });

  it('delivers v2 SendEmail', async () => {
    const { MessageId } = await sesv2.send(
      new SendEmailV2Command({
        FromEmailAddress: 'sender@relay.example',
        Destination: { ToAddresses: ['v2@example.org'] },
        Content: {
          Simple: { Subject: { Data: 'Relayed v2' }, Body: { Html: { Data: '<h1>Hi from v2</h1>' } } },
        },
      }),
    );
    await delivery(MessageId!, 'delivered');
    expect(smtp.received[0]).toMatchObject({ from: 'sender@relay.example', to: ['v2@example.org'] });
    expect(smtp.received[0]!.data).toMatch(/^Subject: Relayed v2\r$/m);
    expect(smtp.received[0]!.data).toMatch(/^Content-Type: text\/html; charset=utf-8\r$/m);
    expect(smtp.received[0]!.data).toContain('<h1>Hi from v2</h1>');
  });

  it('retries after a 4xx reply with backoff, then delivers', async () => {
    smtp.refusals.push({ code: 451, message: 'Try again later' });
    const { MessageId } = await ses.send(
      new SendEmailCommand({
        Source: 'sender@relay.example',
        Destination: { ToAddresses: ['later@example.org'] },
        Message: { Subject: { Data: 'Second time lucky' }, Body: { Text: { Data: 'b' } } },
      }),
    );
    const retrying = await delivery(MessageId!, 'retrying');
    expect(retrying.delivery.attempts).toBe(1);
    expect(retrying.delivery.error).toContain('451');
    // The next attempt waits a second of Stratus's clock; nothing happens before.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect((await outboxMessage(stratus.url, MessageId!)).delivery.status).toBe('retrying');
    clock.advance(1000);
    const delivered = await delivery(MessageId!, 'delivered');
    expect(delivered.delivery).toMatchObject({ attempts: 2, error: null });
    expect(smtp.received.map((m) => m.to)).toEqual([['later@example.org']]);
  });

  it('marks a message failed on a 5xx reply, without retrying', async () => {
    smtp.refusals.push({ code: 550, message: 'No such user here' });
    const { MessageId } = await ses.send(
      new SendEmailCommand({
        Source: 'sender@relay.example',
        Destination: { ToAddresses: ['nobody@example.org'] },
        Message: { Subject: { Data: 'Doomed' }, Body: { Text: { Data: 'b' } } },
      }),
    );
    const failed = await delivery(MessageId!, 'failed');
    expect(failed.delivery.attempts).toBe(1);
    expect(failed.delivery.error).toContain('550');
    clock.advance(10 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect((await outboxMessage(stratus.url, MessageId!)).delivery).toMatchObject({
      status: 'failed',
      attempts: 1,
    });
    expect(smtp.received).toHaveLength(0);
  });
});

describe('SES SMTP relay backoff', () => {
  it('waits 1 s, 2 s, 4 s … capped at 5 minutes between attempts', () => {
    expect([1, 2, 3, 8, 9, 10, 11].map(retryDelayMs)).toEqual([
      1000, 2000, 4000, 128_000, 256_000, 300_000, 300_000,
    ]);
  });

  it(`gives a message up after ${maxDeliveryAttempts} failed attempts`, { timeout: 60_000 }, async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 3, 10, 0, 0));
    const smtp = await smtpServer();
    const stratus = await startTestStratus({ clock, smtpRelay: smtp.url });
    try {
      const ses = new SESClient(stratus.clientConfig);
      await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: 'sender@relay.example' }));
      smtp.refusals.push(
        ...Array.from({ length: maxDeliveryAttempts }, () => ({
          code: 421,
          message: 'Service not available',
        })),
      );
      const { MessageId } = await ses.send(
        new SendEmailCommand({
          Source: 'sender@relay.example',
          Destination: { ToAddresses: ['never@example.org'] },
          Message: { Subject: { Data: 'Never arrives' }, Body: { Text: { Data: 'b' } } },
        }),
      );
      ses.destroy();
      for (let attempt = 1; attempt < maxDeliveryAttempts; attempt++) {
        await eventually(
          () => outboxMessage(stratus.url, MessageId!),
          (m) => m.delivery.attempts === attempt,
          `attempt ${attempt}`,
        );
        clock.advance(retryDelayMs(attempt));
      }
      const failed = await eventually(
        () => outboxMessage(stratus.url, MessageId!),
        (m) => m.delivery.status === 'failed',
        'the message to be given up',
      );
      expect(failed.delivery).toMatchObject({ attempts: maxDeliveryAttempts });
      expect(failed.delivery.error).toContain('421');
      expect(smtp.refusals).toHaveLength(0);
      expect(smtp.received).toHaveLength(0);
    } finally {
      await stratus.close();
      await smtp.close();
    }
  });
});

describe('SES SMTP relay durability', () => {
  it('a message accepted while the relay is down is delivered after a restart', async () => {
    const smtp = await smtpServer();
    const clock = new ManualClock(Date.UTC(2026, 10, 3, 9, 0, 0));
    // First run: the relay points at a port where nothing listens.
    const downUrl = smtp.url.replace(/:\d+$/, ':1');
    let stratus = await startTestStratus({ clock, smtpRelay: downUrl });
    const dataDir = stratus.dataDir;
    const storeUrl = stratus.config.storeUrl;
    try {
      const ses = new SESClient(stratus.clientConfig);
      await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: 'sender@relay.example' }));
      const { MessageId } = await ses.send(
        new SendEmailCommand({
          Source: 'sender@relay.example',
          Destination: { ToAddresses: ['patient@example.org'] },
          Message: { Subject: { Data: 'Survives restarts' }, Body: { Text: { Data: 'b' } } },
        }),
      );
      ses.destroy();
      await eventually(
        () => outboxMessage(stratus.url, MessageId!),
        (m) => m.delivery.status === 'retrying',
        'the first attempt to fail',
      );
      await stratus.stop();

      stratus = await startTestStratus({ clock, smtpRelay: smtp.url, dataDir, storeUrl });
      clock.advance(60_000);
      const delivered = await eventually(
        () => outboxMessage(stratus.url, MessageId!),
        (m) => m.delivery.status === 'delivered',
        'delivery after the restart',
      );
      expect(delivered.delivery.attempts).toBe(2);
      expect(smtp.received.map((m) => m.to)).toEqual([['patient@example.org']]);
    } finally {
      await stratus.close();
      await smtp.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
