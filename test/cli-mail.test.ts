/**
 * `stratus mail` as a user runs it — a real child process against a Stratus started in this
 * test, whose outbox is filled with the SDK — and `stratus start --smtp-relay` refusing what is
 * not an SMTP URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESClient, SendEmailCommand, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMessage, htmlAsText } from '../src/cli/mail.js';
import type { OutboxMessage } from '../src/services/ses/outbox.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { eventually, runStratus, spawnStratus } from './support/stratus-cli.js';

const run = (...args: string[]) => runStratus(args);

/** A port nothing listens on: taken from the OS, then let go. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('stratus mail', () => {
  let stratus: TestStratus;
  let ses: SESClient;
  const send = (to: string, subject: string, body: { Text?: { Data: string }; Html?: { Data: string } }) =>
    ses.send(
      new SendEmailCommand({
        Source: 'Shop <shop@mail.example>',
        Destination: { ToAddresses: [to] },
        Message: { Subject: { Data: subject }, Body: body },
      }),
    );

  beforeAll(async () => {
    stratus = await startTestStratus();
    ses = new SESClient(stratus.clientConfig);
    await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: 'shop@mail.example' }));
  });
  afterAll(async () => {
    ses?.destroy();
    await stratus?.close();
  });

  it('says so when the outbox is empty', async () => {
    const result = await run('mail', '--endpoint', stratus.url);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`No messages in the outbox at ${stratus.url}.\n`);
  });

  it('lists messages readably, filters by recipient, prints JSON, and clears', async () => {
    const first = await send('ann@example.org', 'Your order', {
      Text: { Data: 'Thanks for your order.\nIt ships today.' },
    });
    await send('bob@example.org', 'Newsletter', { Html: { Data: '<h1>News</h1><p>Fish &amp; chips</p>' } });

    const listed = await run('mail', '--endpoint', stratus.url);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(
      'From:    Shop <shop@mail.example>\nTo:      ann@example.org\nSubject: Your order\n',
    );
    expect(listed.stdout).toContain(
      `Id:      ${first.MessageId}\n\nThanks for your order.\nIt ships today.\n`,
    );
    expect(listed.stdout).toContain('Subject: Newsletter');
    expect(listed.stdout).toContain('News\nFish & chips');
    expect(listed.stdout).toMatch(/SendEmail {2}stored \(no SMTP relay\)/);
    expect(listed.stdout.indexOf('Your order')).toBeLessThan(listed.stdout.indexOf('Newsletter'));

    const toBob = await run('mail', '--to', 'BOB@example.org', '--endpoint', stratus.url);
    expect(toBob.stdout).toContain('Subject: Newsletter');
    expect(toBob.stdout).not.toContain('Your order');

    const latest = await run('mail', '--last', '1', '--endpoint', stratus.url);
    expect(latest.stdout).toContain('Subject: Newsletter');
    expect(latest.stdout).not.toContain('Your order');
    const badLast = await run('mail', '--last', 'all', '--endpoint', stratus.url);
    expect(badLast.code).toBe(2);
    expect(badLast.stderr).toContain("--last must be a whole number from 1 to 999999, got 'all'");

    const json = await run('mail', '--json', '--endpoint', stratus.url);
    const messages = JSON.parse(json.stdout) as OutboxMessage[];
    expect(messages.map((m) => m.subject)).toEqual(['Your order', 'Newsletter']);
    expect(messages[0]).toMatchObject({ id: first.MessageId, delivery: { status: 'stored' } });

    const cleared = await run('mail', '--clear', '--endpoint', stratus.url);
    expect(cleared).toMatchObject({ code: 0, stdout: 'Deleted 2 messages.\n' });
    expect((await run('mail', '--endpoint', stratus.url)).stdout).toMatch(/^No messages/);
  });

  it('--follow prints messages as they arrive until interrupted', async () => {
    await send('early@example.org', 'Before following', { Text: { Data: 'one' } });
    const follow = spawnStratus(['mail', '--follow', '--json', '--endpoint', stratus.url]);
    await eventually(() => follow.stdout().includes('Before following'), 'the existing message');
    await send('late@example.org', 'While following', { Text: { Data: 'two' } });
    await eventually(() => follow.stdout().includes('While following'), 'the new message');
    follow.child.kill('SIGINT');
    expect(await follow.exit).toBe(0);
    const lines = follow
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as OutboxMessage);
    expect(lines.map((m) => m.subject)).toEqual(['Before following', 'While following']);
  });

  it('fails in words when no Stratus answers', async () => {
    const port = await closedPort();
    const result = await run('mail', '--endpoint', `http://127.0.0.1:${port}`);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `stratus mail: no Stratus answers at http://127.0.0.1:${port} (ECONNREFUSED); start one with 'stratus start'\n`,
    );
  });
});

describe('stratus start --smtp-relay', () => {
  it.each([
    [['start', '--smtp-relay', 'http://mail.example:25'], '--smtp-relay must be smtp://'],
    [['start', '--smtp-relay', 'smtp://'], '--smtp-relay must be smtp://'],
  ])('refuses %j as a usage error', async (args, message) => {
    const result = await run(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('reads STRATUS_SMTP_RELAY, refusing a bad one by its name', async () => {
    const result = await runStratus(['start'], { STRATUS_SMTP_RELAY: 'mail.example:25' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "STRATUS_SMTP_RELAY must be smtp://[user:pass@]host[:port] or smtps://…, got 'mail.example:25'",
    );
  });

  it('shows the relay in the banner with its password hidden', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stratus-mail-cli-'));
    try {
      const started = spawnStratus(['start', '--port', '0', '--data-dir', dataDir, '--log-level', 'silent'], {
        STRATUS_SMTP_RELAY: 'smtp://relay:hunter2@127.0.0.1:2525',
      });
      await eventually(() => started.stderr().includes('Stop with Ctrl-C.'), 'the banner', 30_000);
      expect(started.stderr()).toContain('  mail      SES relays to smtp://relay:****@127.0.0.1:2525');
      expect(started.stderr()).not.toContain('hunter2');
      started.child.kill('SIGINT');
      expect(await started.exit).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('names the variable STRATUS_SMTP_RELAY in its help', async () => {
    const result = await run('start', '--help');
    expect(result.stdout).toMatch(/--smtp-relay URL +smtp:\/\/user:pass@host:port/);
    expect(result.stdout).toContain('env STRATUS_SMTP_RELAY');
  });
});

describe('formatting', () => {
  it.each([
    ['<p>a</p><p>b</p>', 'a\nb'],
    ['x<br>y<br/>z', 'x\ny\nz'],
    ['<style>p{}</style>&lt;tag&gt; &quot;q&quot;', '<tag> "q"'],
  ])('htmlAsText(%j) is %j', (html, text) => {
    expect(htmlAsText(html)).toBe(text);
  });

  it('shows a failed delivery with its reason and cuts long bodies', () => {
    const text = formatMessage({
      id: 'm1',
      accountId: '000000000000',
      region: 'us-east-1',
      api: 'sesv2',
      operation: 'SendEmail',
      source: 'a@x.test',
      destination: { to: ['b@y.test'], cc: [], bcc: ['c@y.test'] },
      replyTo: [],
      subject: null,
      text: Array.from({ length: 45 }, (_, i) => `line ${i + 1}`).join('\n'),
      html: null,
      raw: '',
      timestamp: '2026-11-02T09:00:00.000Z',
      delivery: { status: 'failed', attempts: 1, error: '550 No such user', deliveredAt: null },
    });
    expect(text).toContain(
      '── 2026-11-02T09:00:00.000Z  v2 SendEmail  failed (1 attempt: 550 No such user)\n',
    );
    expect(text).toContain('Bcc:     c@y.test\nSubject: (none)\n');
    expect(text).toContain('line 40\n… (5 more lines)\n');
    expect(text).not.toContain('line 41');
  });
});
