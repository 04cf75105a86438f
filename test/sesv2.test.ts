/**
 * SES v2 through @aws-sdk/client-sesv2: email identities, the account, SendEmail with Simple, Raw
 * and Template content, email templates, and the identities and outbox it shares with v1.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SESClient, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import {
  AlreadyExistsException,
  BadRequestException,
  CreateEmailIdentityCommand,
  CreateEmailTemplateCommand,
  DeleteEmailIdentityCommand,
  DeleteEmailTemplateCommand,
  GetAccountCommand,
  GetEmailIdentityCommand,
  GetEmailTemplateCommand,
  ListEmailIdentitiesCommand,
  ListEmailTemplatesCommand,
  MessageRejected,
  NotFoundException,
  SESv2Client,
  SendEmailCommand,
  TestRenderEmailTemplateCommand,
  UpdateEmailTemplateCommand,
  type SESv2ServiceException,
} from '@aws-sdk/client-sesv2';
import { clearOutbox, outboxMessage } from './support/outbox.js';
import { rejection as rejectionOf } from './support/rejection.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const rejection = (promise: Promise<unknown>) => rejectionOf<SESv2ServiceException>(promise);

describe('SES v2', () => {
  let stratus: TestStratus;
  let sesv2: SESv2Client;

  beforeAll(async () => {
    stratus = await startTestStratus();
    sesv2 = new SESv2Client(stratus.clientConfig);
    await sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'from@v2.example' }));
  });
  afterAll(async () => {
    sesv2?.destroy();
    await stratus?.close();
  });
  beforeEach(() => clearOutbox(stratus.url));

  it('creates email and domain identities verified at once, reads, lists and deletes them', async () => {
    const email = await sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'ann@ids.example' }));
    expect(email).toMatchObject({ IdentityType: 'EMAIL_ADDRESS', VerifiedForSendingStatus: true });
    const domain = await sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'ids.example' }));
    expect(domain).toMatchObject({
      IdentityType: 'DOMAIN',
      VerifiedForSendingStatus: true,
      DkimAttributes: { SigningEnabled: true, Status: 'SUCCESS' },
    });
    expect(domain.DkimAttributes?.Tokens).toHaveLength(3);

    const exists = await rejection(
      sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'ids.example' })),
    );
    expect(exists).toBeInstanceOf(AlreadyExistsException);
    expect(exists.$metadata.httpStatusCode).toBe(400);

    const got = await sesv2.send(new GetEmailIdentityCommand({ EmailIdentity: 'ann@ids.example' }));
    expect(got).toMatchObject({
      IdentityType: 'EMAIL_ADDRESS',
      VerificationStatus: 'SUCCESS',
      VerifiedForSendingStatus: true,
    });

    const names: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await sesv2.send(new ListEmailIdentitiesCommand({ PageSize: 2, NextToken }));
      expect(page.EmailIdentities!.length).toBeLessThanOrEqual(2);
      names.push(...page.EmailIdentities!.map((i) => `${i.IdentityType}:${i.IdentityName}`));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(names).toEqual([
      'EMAIL_ADDRESS:ann@ids.example',
      'EMAIL_ADDRESS:from@v2.example',
      'DOMAIN:ids.example',
    ]);

    const filtered = async (Filter: Record<string, string>) =>
      (await sesv2.send(new ListEmailIdentitiesCommand({ Filter }))).EmailIdentities!.map(
        (i) => i.IdentityName,
      );
    expect(await filtered({ IDENTITY_TYPE: 'DOMAIN' })).toEqual(['ids.example']);
    expect(await filtered({ IDENTITY_NAME_CONTAINS: 'ANN@' })).toEqual(['ann@ids.example']);
    expect(await filtered({ VERIFICATION_STATUS: 'PENDING' })).toEqual([]);

    await sesv2.send(new DeleteEmailIdentityCommand({ EmailIdentity: 'ann@ids.example' }));
    await sesv2.send(new DeleteEmailIdentityCommand({ EmailIdentity: 'ids.example' }));
    const gone = await rejection(
      sesv2.send(new GetEmailIdentityCommand({ EmailIdentity: 'ann@ids.example' })),
    );
    expect(gone).toBeInstanceOf(NotFoundException);
    expect(gone.$metadata.httpStatusCode).toBe(404);
    expect(gone.message).toBe('Email identity ann@ids.example does not exist.');
    const again = await rejection(
      sesv2.send(new DeleteEmailIdentityCommand({ EmailIdentity: 'ids.example' })),
    );
    expect(again).toBeInstanceOf(NotFoundException);
  });

  it('GetAccount reports production access and counts what was sent', async () => {
    const before = await sesv2.send(new GetAccountCommand({}));
    expect(before).toMatchObject({
      ProductionAccessEnabled: true,
      SendingEnabled: true,
      EnforcementStatus: 'HEALTHY',
      SendQuota: { Max24HourSend: 50000, MaxSendRate: 14 },
    });
    await sesv2.send(
      new SendEmailCommand({
        FromEmailAddress: 'from@v2.example',
        Destination: { ToAddresses: ['a@example.org', 'b@example.org'] },
        Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } },
      }),
    );
    const after = await sesv2.send(new GetAccountCommand({}));
    expect(after.SendQuota!.SentLast24Hours).toBe(before.SendQuota!.SentLast24Hours! + 2);
  });

  it('SendEmail with Simple content keeps subject, bodies and custom headers', async () => {
    const { MessageId } = await sesv2.send(
      new SendEmailCommand({
        FromEmailAddress: 'V2 Sender <from@v2.example>',
        Destination: { ToAddresses: ['to@example.org'], BccAddresses: ['hidden@example.org'] },
        ReplyToAddresses: ['reply@v2.example'],
        Content: {
          Simple: {
            Subject: { Data: 'Simple v2' },
            Body: { Text: { Data: 'text body' }, Html: { Data: '<i>html body</i>' } },
            Headers: [{ Name: 'X-Campaign', Value: 'spring' }],
          },
        },
      }),
    );
    const message = await outboxMessage(stratus.url, MessageId!);
    expect(message).toMatchObject({
      api: 'sesv2',
      operation: 'SendEmail',
      source: 'V2 Sender <from@v2.example>',
      destination: { to: ['to@example.org'], cc: [], bcc: ['hidden@example.org'] },
      replyTo: ['reply@v2.example'],
      subject: 'Simple v2',
      text: 'text body',
      html: '<i>html body</i>',
    });
    expect(message.raw).toMatch(/^X-Campaign: spring\r$/m);
  });

  it('SendEmail with Raw content reads the MIME for the outbox', async () => {
    const raw = 'From: from@v2.example\r\nTo: raw@example.org\r\nSubject: Raw v2\r\n\r\nraw body\r\n';
    const { MessageId } = await sesv2.send(
      new SendEmailCommand({ Content: { Raw: { Data: Buffer.from(raw) } } }),
    );
    expect(await outboxMessage(stratus.url, MessageId!)).toMatchObject({
      source: 'from@v2.example',
      destination: { to: ['raw@example.org'] },
      subject: 'Raw v2',
      text: 'raw body\r\n',
      raw,
    });
  });

  it('email templates: CRUD, and SendEmail with a stored or an inline template', async () => {
    await sesv2.send(
      new CreateEmailTemplateCommand({
        TemplateName: 'receipt',
        TemplateContent: {
          Subject: 'Order {{order.id}}',
          Text: 'Total: {{order.total}}',
          Html: '<b>{{order.total}}</b>',
        },
      }),
    );
    const dup = await rejection(
      sesv2.send(
        new CreateEmailTemplateCommand({ TemplateName: 'receipt', TemplateContent: { Subject: 'x' } }),
      ),
    );
    expect(dup).toBeInstanceOf(AlreadyExistsException);
    await sesv2.send(
      new UpdateEmailTemplateCommand({
        TemplateName: 'receipt',
        TemplateContent: { Subject: 'Your order {{order.id}}', Text: 'Total: {{order.total}}' },
      }),
    );
    const got = await sesv2.send(new GetEmailTemplateCommand({ TemplateName: 'receipt' }));
    expect(got).toMatchObject({
      TemplateName: 'receipt',
      TemplateContent: { Subject: 'Your order {{order.id}}', Text: 'Total: {{order.total}}' },
    });
    expect(got.TemplateContent?.Html).toBeUndefined();
    const list = await sesv2.send(new ListEmailTemplatesCommand({}));
    expect(list.TemplatesMetadata?.map((t) => t.TemplateName)).toEqual(['receipt']);

    const stored = await sesv2.send(
      new SendEmailCommand({
        FromEmailAddress: 'from@v2.example',
        Destination: { ToAddresses: ['buyer@example.org'] },
        Content: {
          Template: {
            TemplateName: 'receipt',
            TemplateData: JSON.stringify({ order: { id: 42, total: '9.99' } }),
          },
        },
      }),
    );
    expect(await outboxMessage(stratus.url, stored.MessageId!)).toMatchObject({
      subject: 'Your order 42',
      text: 'Total: 9.99',
    });
    const inline = await sesv2.send(
      new SendEmailCommand({
        FromEmailAddress: 'from@v2.example',
        Destination: { ToAddresses: ['buyer@example.org'] },
        Content: {
          Template: {
            TemplateContent: { Subject: 'Hi {{who}}', Html: '<p>{{who}}</p>' },
            TemplateData: '{"who":"<you>"}',
          },
        },
      }),
    );
    expect(await outboxMessage(stratus.url, inline.MessageId!)).toMatchObject({
      subject: 'Hi <you>',
      html: '<p>&lt;you&gt;</p>',
    });

    const { RenderedTemplate } = await sesv2.send(
      new TestRenderEmailTemplateCommand({
        TemplateName: 'receipt',
        TemplateData: JSON.stringify({ order: { id: 7, total: '1.00' } }),
      }),
    );
    expect(RenderedTemplate).toMatch(/^Subject: Your order 7\r$/m);
    expect(RenderedTemplate).toContain('Total: 1.00');
    const lacking = await rejection(
      sesv2.send(new TestRenderEmailTemplateCommand({ TemplateName: 'receipt', TemplateData: '{}' })),
    );
    expect(lacking).toBeInstanceOf(BadRequestException);
    expect(lacking.message).toBe("Attribute 'order.id' is not present in the rendering data.");

    await sesv2.send(new DeleteEmailTemplateCommand({ TemplateName: 'receipt' }));
    const missing = await rejection(sesv2.send(new GetEmailTemplateCommand({ TemplateName: 'receipt' })));
    expect(missing).toBeInstanceOf(NotFoundException);
    expect(missing.message).toBe('Template receipt does not exist.');
    const deleteMissing = await rejection(
      sesv2.send(new DeleteEmailTemplateCommand({ TemplateName: 'receipt' })),
    );
    expect(deleteMissing).toBeInstanceOf(NotFoundException);
  });

  it('an identity verified through v1 sends through v2', async () => {
    const ses = new SESClient(stratus.clientConfig);
    try {
      await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: 'legacy@v1.example' }));
    } finally {
      ses.destroy();
    }
    const { MessageId } = await sesv2.send(
      new SendEmailCommand({
        FromEmailAddress: 'legacy@v1.example',
        Destination: { ToAddresses: ['to@example.org'] },
        Content: { Simple: { Subject: { Data: 'cross' }, Body: { Text: { Data: 'b' } } } },
      }),
    );
    expect((await outboxMessage(stratus.url, MessageId!)).subject).toBe('cross');
  });

  it('rejects an unverified sender with MessageRejected', async () => {
    const err = await rejection(
      sesv2.send(
        new SendEmailCommand({
          FromEmailAddress: 'stranger@nowhere.example',
          Destination: { ToAddresses: ['to@example.org'] },
          Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } },
        }),
      ),
    );
    expect(err).toBeInstanceOf(MessageRejected);
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe(
      'Email address is not verified. The following identities failed the check in region US-EAST-1: stranger@nowhere.example',
    );
  });

  it.each([
    [
      'a bad recipient address',
      {
        FromEmailAddress: 'from@v2.example',
        Destination: { ToAddresses: ['nobody'] },
        Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } },
      },
      "Missing final '@domain'",
    ],
    [
      '51 recipients',
      {
        FromEmailAddress: 'from@v2.example',
        Destination: { ToAddresses: Array.from({ length: 51 }, (_, i) => `r${i}@example.org`) },
        Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } },
      },
      'Recipient count exceeds 50.',
    ],
    [
      'two kinds of content',
      {
        FromEmailAddress: 'from@v2.example',
        Destination: { ToAddresses: ['to@example.org'] },
        Content: {
          Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } },
          Raw: { Data: Buffer.from('Subject: x\r\n\r\ny') },
        },
      },
      'Exactly one of Simple, Raw or Template content must be specified.',
    ],
    [
      'a Simple message without its required Subject',
      {
        FromEmailAddress: 'from@v2.example',
        Destination: { ToAddresses: ['to@example.org'] },
        Content: { Simple: { Body: { Text: { Data: 'b' } } } },
      },
      "1 validation error detected: Value null at 'content.simple.subject' failed to satisfy constraint: Member must not be null",
    ],
  ])('answers %s with BadRequestException', async (_, input, message) => {
    const err = await rejection(sesv2.send(new SendEmailCommand(input as never)));
    expect(err).toBeInstanceOf(BadRequestException);
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe(message);
  });
});
