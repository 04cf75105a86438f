/**
 * SES v1 and v2 through the `aws` command line, as in test/aws-cli.test.ts: every binary
 * available is tried (Debian's awscli v2 at /usr/bin/aws, whichever `aws` is first on PATH).
 * The CLI's botocore models drive v1's query form and v2's REST routes (it lists identities with
 * `GET /v2/email/identities`, where the JS SDK uses `POST /v2/email/list-identities`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliVariants, awsOk, cliTimeoutMs, runAws } from './support/aws-cli.js';
import { outboxMessage } from './support/outbox.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const stepTimeoutMs = 3 * cliTimeoutMs + 10_000;

let stratus: TestStratus;
beforeAll(async () => {
  stratus = await startTestStratus();
});
afterAll(() => stratus?.close());

for (const variant of awsCliVariants) {
  describe.concurrent(`aws ses / sesv2 CLI: ${variant.name}`, () => {
    const skip = variant.binary === undefined;
    const step = (name: string, fn: () => Promise<void>) =>
      it.sequential(name, { skip, timeout: stepTimeoutMs }, fn);
    const ok = <T = Record<string, unknown>>(args: string[]) => awsOk<T>(variant.binary!, stratus.url, args);
    const sender = `sender-${variant.tag}@cli.example`;

    step('ses verify-email-identity, then ses send-email lands in the outbox', async () => {
      await ok(['ses', 'verify-email-identity', '--email-address', sender]);
      const { Identities } = await ok<{ Identities: string[] }>([
        'ses',
        'list-identities',
        '--identity-type',
        'EmailAddress',
      ]);
      expect(Identities).toContain(sender);
      const { MessageId } = await ok<{ MessageId: string }>([
        'ses',
        'send-email',
        '--from',
        sender,
        '--to',
        'one@example.org',
        'two@example.org',
        '--subject',
        `CLI v1 ${variant.tag}`,
        '--text',
        'sent by aws ses send-email',
      ]);
      expect(await outboxMessage(stratus.url, MessageId)).toMatchObject({
        api: 'ses',
        source: sender,
        destination: { to: ['one@example.org', 'two@example.org'] },
        subject: `CLI v1 ${variant.tag}`,
        text: 'sent by aws ses send-email',
      });
    });

    step(
      'sesv2 send-email with simple content lands in the outbox; list-email-identities sees v1 identities',
      async () => {
        const content = JSON.stringify({
          Simple: {
            Subject: { Data: `CLI v2 ${variant.tag}` },
            Body: { Html: { Data: '<p>v2 from the CLI</p>' } },
          },
        });
        const { MessageId } = await ok<{ MessageId: string }>([
          'sesv2',
          'send-email',
          '--from-email-address',
          sender,
          '--destination',
          'ToAddresses=three@example.org',
          '--content',
          content,
        ]);
        expect(await outboxMessage(stratus.url, MessageId)).toMatchObject({
          api: 'sesv2',
          source: sender,
          destination: { to: ['three@example.org'] },
          subject: `CLI v2 ${variant.tag}`,
          html: '<p>v2 from the CLI</p>',
        });
        const { EmailIdentities } = await ok<{ EmailIdentities: { IdentityName: string }[] }>([
          'sesv2',
          'list-email-identities',
        ]);
        expect(EmailIdentities.map((i) => i.IdentityName)).toContain(sender);
      },
    );

    step('ses send-email from an unverified address fails with MessageRejected', async () => {
      const result = await runAws(variant.binary!, [
        'ses',
        'send-email',
        '--from',
        `stranger-${variant.tag}@nowhere.example`,
        '--to',
        'one@example.org',
        '--subject',
        's',
        '--text',
        'b',
        '--endpoint-url',
        stratus.url,
      ]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('(MessageRejected)');
      expect(result.stderr).toContain(
        `Email address is not verified. The following identities failed the check in region US-EAST-1: stranger-${variant.tag}@nowhere.example`,
      );
    });
  });
}
