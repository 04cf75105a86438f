/**
 * SES v1 through @aws-sdk/client-ses: identities, sending (simple, raw, templated) into the
 * outbox, the verified-sender rule and its exemption for other Stratus services, the limits, the
 * quota and statistics, and `/_stratus/ses/messages`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SESServiceException } from '@aws-sdk/client-ses';
import {
  AlreadyExistsException,
  CreateTemplateCommand,
  DeleteIdentityCommand,
  DeleteTemplateCommand,
  DeleteVerifiedEmailAddressCommand,
  GetAccountSendingEnabledCommand,
  GetIdentityDkimAttributesCommand,
  GetIdentityNotificationAttributesCommand,
  GetIdentityVerificationAttributesCommand,
  GetSendQuotaCommand,
  GetSendStatisticsCommand,
  GetTemplateCommand,
  InvalidRenderingParameterException,
  ListIdentitiesCommand,
  ListTemplatesCommand,
  ListVerifiedEmailAddressesCommand,
  MessageRejected,
  MissingRenderingAttributeException,
  SESClient,
  SendEmailCommand,
  SendRawEmailCommand,
  SendTemplatedEmailCommand,
  TemplateDoesNotExistException,
  TestRenderTemplateCommand,
  UpdateTemplateCommand,
  VerifyDomainDkimCommand,
  VerifyDomainIdentityCommand,
  VerifyEmailAddressCommand,
  VerifyEmailIdentityCommand,
} from '@aws-sdk/client-ses';
import { ManualClock } from '../src/engine/clock.js';
import { serviceDefinitions } from '../src/services/registry.js';
import type { ServiceCaller, ServiceDefinition } from '../src/services/service.js';
import type { ServiceModel } from '../src/protocol/model.js';
import { clearOutbox, outboxMessage, outboxMessages } from './support/outbox.js';
import { rejection as rejectionOf } from './support/rejection.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const t0 = Date.UTC(2026, 10, 2, 9, 0, 0);

/**
 * A stand-in for another Stratus service (SNS delivering to an email subscription): it only
 * keeps the ServiceCaller every service receives, so the test can call SES the way SNS will.
 */
function callerProbe(): { definition: ServiceDefinition; caller: () => ServiceCaller } {
  let caller: ServiceCaller | undefined;
  const model = {
    metadata: { apiVersion: 'probe', endpointPrefix: 'probe', protocol: 'json', serviceId: 'Probe' },
    operations: {},
    shapes: {},
  } as unknown as ServiceModel;
  return {
    definition: {
      name: 'probe',
      model,
      create: (context) => {
        caller = context.services;
        return { provider: {} };
      },
    },
    caller: () => caller!,
  };
}

const rejection = (promise: Promise<unknown>) => rejectionOf<SESServiceException>(promise);

describe('SES v1', () => {
  let stratus: TestStratus;
  let ses: SESClient;
  const clock = new ManualClock(t0);
  const probe = callerProbe();

  beforeAll(async () => {
    stratus = await startTestStratus({ clock, services: [...serviceDefinitions, probe.definition] });
    ses = new SESClient(stratus.clientConfig);
    await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: 'sender@example.com' }));
  });
  afterAll(async () => {
    ses?.destroy();
    await stratus?.close();
  });
  beforeEach(() => clearOutbox(stratus.url));

  it('verifies email and domain identities at once and lists them by type, page by page', async () => {
    await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: 'a@list.test' }));
    await ses.send(new VerifyEmailAddressCommand({ EmailAddress: 'b@list.test' }));
    const { VerificationToken } = await ses.send(new VerifyDomainIdentityCommand({ Domain: 'List.Test' }));
    expect(VerificationToken).toMatch(/^[A-Za-z0-9+/]{43}=$/);

    const domains = await ses.send(new ListIdentitiesCommand({ IdentityType: 'Domain' }));
    expect(domains.Identities).toEqual(['list.test']);
    const emails = await ses.send(new ListIdentitiesCommand({ IdentityType: 'EmailAddress' }));
    expect(emails.Identities).toEqual(['a@list.test', 'b@list.test', 'sender@example.com']);

    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await ses.send(new ListIdentitiesCommand({ MaxItems: 2, NextToken }));
      expect(page.Identities!.length).toBeLessThanOrEqual(2);
      seen.push(...page.Identities!);
      NextToken = page.NextToken;
    } while (NextToken);
    expect(seen).toEqual(['a@list.test', 'b@list.test', 'list.test', 'sender@example.com']);

    const attributes = await ses.send(
      new GetIdentityVerificationAttributesCommand({
        Identities: ['a@list.test', 'list.test', 'never-verified@list.test'],
      }),
    );
    expect(attributes.VerificationAttributes).toEqual({
      'a@list.test': { VerificationStatus: 'Success' },
      'list.test': { VerificationStatus: 'Success', VerificationToken },
    });
    const { DkimTokens } = await ses.send(new VerifyDomainDkimCommand({ Domain: 'list.test' }));
    expect(DkimTokens).toHaveLength(3);
    const dkim = await ses.send(
      new GetIdentityDkimAttributesCommand({ Identities: ['list.test', 'a@list.test', 'unknown.test'] }),
    );
    expect(dkim.DkimAttributes).toEqual({
      'list.test': { DkimEnabled: true, DkimVerificationStatus: 'Success', DkimTokens },
      'a@list.test': { DkimEnabled: false, DkimVerificationStatus: 'NotStarted' },
    });
    const notifications = await ses.send(
      new GetIdentityNotificationAttributesCommand({ Identities: ['list.test'] }),
    );
    expect(notifications.NotificationAttributes?.['list.test']).toMatchObject({ ForwardingEnabled: true });
    const tooMany = await rejection(
      ses.send(
        new GetIdentityVerificationAttributesCommand({
          Identities: Array.from({ length: 101 }, (_, i) => `d${i}.test`),
        }),
      ),
    );
    expect(tooMany.name).toBe('InvalidParameterValue');

    const again = await ses.send(new VerifyDomainIdentityCommand({ Domain: 'list.test' }));
    expect(again.VerificationToken).toBe(VerificationToken);

    const verified = await ses.send(new ListVerifiedEmailAddressesCommand({}));
    expect(verified.VerifiedEmailAddresses).toEqual(['a@list.test', 'b@list.test', 'sender@example.com']);

    await ses.send(new DeleteIdentityCommand({ Identity: 'list.test' }));
    await ses.send(new DeleteVerifiedEmailAddressCommand({ EmailAddress: 'b@list.test' }));
    await ses.send(new DeleteIdentityCommand({ Identity: 'a@list.test' }));
    await ses.send(new DeleteIdentityCommand({ Identity: 'never-verified@list.test' }));
    const left = await ses.send(new ListIdentitiesCommand({}));
    expect(left.Identities).toEqual(['sender@example.com']);
  });

  it('rejects an invalid address to verify, and a bad page token', async () => {
    const err = await rejection(ses.send(new VerifyEmailIdentityCommand({ EmailAddress: 'not-an-address' })));
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.$metadata.httpStatusCode).toBe(400);
    const token = await rejection(ses.send(new ListIdentitiesCommand({ NextToken: 'garbage!' })));
    expect(token.name).toBe('InvalidParameterValue');
  });

  it('SendEmail keeps the message in the outbox with its MIME, under the MessageId it returns', async () => {
    clock.set(t0 + 1000);
    const { MessageId } = await ses.send(
      new SendEmailCommand({
        Source: 'Sender <sender@example.com>',
        Destination: {
          ToAddresses: ['to@example.org'],
          CcAddresses: ['cc@example.org'],
          BccAddresses: ['bcc@example.org'],
        },
        ReplyToAddresses: ['replies@example.com'],
        Message: {
          Subject: { Data: 'Grüße' },
          Body: { Text: { Data: 'Hello in text' }, Html: { Data: '<p>Hello in HTML</p>' } },
        },
      }),
    );
    expect(MessageId).toMatch(
      /^0100[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-000000$/,
    );
    const message = await outboxMessage(stratus.url, MessageId!);
    expect(message).toMatchObject({
      id: MessageId,
      accountId: '000000000000',
      region: 'us-east-1',
      api: 'ses',
      operation: 'SendEmail',
      source: 'Sender <sender@example.com>',
      destination: { to: ['to@example.org'], cc: ['cc@example.org'], bcc: ['bcc@example.org'] },
      replyTo: ['replies@example.com'],
      subject: 'Grüße',
      text: 'Hello in text',
      html: '<p>Hello in HTML</p>',
      timestamp: new Date(t0 + 1000).toISOString(),
      delivery: { status: 'stored', attempts: 0, error: null, deliveredAt: null },
    });
    expect(message.raw.replace(/\r\n\s+/g, ' ')).toContain(`Message-ID: <${MessageId}@email.amazonses.com>`);
    expect(message.raw).toMatch(/^From: Sender <sender@example\.com>\r$/m);
    expect(message.raw).toMatch(/^To: to@example\.org\r$/m);
    expect(message.raw).toContain('Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=');
    // Bcc recipients get the message without being named in it.
    expect(message.raw).not.toContain('bcc@example.org');
  });

  it('rejects a sender that is not verified with the message SES gives', async () => {
    const err = await rejection(
      ses.send(
        new SendEmailCommand({
          Source: 'Nobody <nobody@unverified.example>',
          Destination: { ToAddresses: ['to@example.org'] },
          Message: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } },
        }),
      ),
    );
    expect(err).toBeInstanceOf(MessageRejected);
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe(
      'Email address is not verified. The following identities failed the check in region US-EAST-1: Nobody <nobody@unverified.example>, nobody@unverified.example',
    );
    expect(await outboxMessages(stratus.url)).toEqual([]);
  });

  it('a verified domain lets any address of it and of its subdomains send; the local part is case sensitive', async () => {
    await ses.send(new VerifyDomainIdentityCommand({ Domain: 'corp.example' }));
    const send = (Source: string) =>
      ses.send(
        new SendEmailCommand({
          Source,
          Destination: { ToAddresses: ['to@example.org'] },
          Message: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } },
        }),
      );
    await send('anyone@corp.example');
    await send('alerts@mail.CORP.example');
    await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: 'Case@only.example' }));
    await send('Case@ONLY.example');
    const err = await rejection(send('case@only.example'));
    expect(err).toBeInstanceOf(MessageRejected);
    expect(err.message).toMatch(/in region US-EAST-1: case@only\.example$/);
  });

  it('skips the verified-sender check for other Stratus services (SNS email subscriptions)', async () => {
    const result = await probe.caller().call<{ MessageId: string }>(
      'ses',
      'SendEmail',
      {
        Source: 'no-reply@sns.amazonaws.com',
        Destination: { ToAddresses: ['subscriber@example.org'] },
        Message: {
          Subject: { Data: 'AWS Notification Message' },
          Body: { Text: { Data: 'hello from SNS' } },
        },
      },
      { accountId: '000000000000', region: 'us-east-1' },
    );
    const [message] = await outboxMessages(stratus.url, { to: 'subscriber@example.org' });
    expect(message).toMatchObject({
      id: result.MessageId,
      source: 'no-reply@sns.amazonaws.com',
      subject: 'AWS Notification Message',
      text: 'hello from SNS',
    });
  });

  it.each([
    ['no domain', 'to-nowhere', "Missing final '@domain'"],
    ['no local part', '@example.org', 'Missing local name'],
    ['a space in the domain', 'a@exa mple.org', 'Domain contains control or whitespace'],
    ['an illegal domain character', 'a@exa(mple.org', 'Domain contains illegal character'],
    ['a trailing dot', 'a@example.org.', 'Domain ends with dot'],
  ])('rejects a recipient with %s as InvalidParameterValue', async (_, address, message) => {
    const err = await rejection(
      ses.send(
        new SendEmailCommand({
          Source: 'sender@example.com',
          Destination: { ToAddresses: [address] },
          Message: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } },
        }),
      ),
    );
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe(message);
  });

  it('takes 50 recipients and refuses 51', async () => {
    const addresses = (n: number) => Array.from({ length: n }, (_, i) => `r${i}@example.org`);
    const send = (to: string[], bcc: string[]) =>
      ses.send(
        new SendEmailCommand({
          Source: 'sender@example.com',
          Destination: { ToAddresses: to, BccAddresses: bcc },
          Message: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } },
        }),
      );
    await send(addresses(40), addresses(50).slice(40));
    const err = await rejection(send(addresses(40), addresses(51).slice(40)));
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.message).toBe('Recipient count exceeds 50.');
  });

  it('reports a missing required member as ValidationError', async () => {
    const err = await rejection(
      ses.send(
        new SendEmailCommand({
          Source: 'sender@example.com',
          Destination: { ToAddresses: ['to@example.org'] },
        } as never),
      ),
    );
    expect(err.name).toBe('ValidationError');
    expect(err.message).toContain(
      "Value null at 'message' failed to satisfy constraint: Member must not be null",
    );
  });

  it('SendRawEmail reads From, To, Subject and the text part from the MIME', async () => {
    const raw = [
      'From: =?UTF-8?B?U8OpbmRlcg==?= <sender@example.com>',
      'To: "Doe, Jane" <jane@example.org>, bob@example.org',
      'Cc: carol@example.org',
      'Subject: =?UTF-8?Q?Caf=C3=A9?= report',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Caf=C3=A9 is open',
      '--b1',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<b>open</b>',
      '--b1--',
      '',
    ].join('\r\n');
    const { MessageId } = await ses.send(new SendRawEmailCommand({ RawMessage: { Data: Buffer.from(raw) } }));
    const message = await outboxMessage(stratus.url, MessageId!);
    expect(message).toMatchObject({
      operation: 'SendRawEmail',
      source: 'Sénder <sender@example.com>',
      destination: {
        to: ['Doe, Jane <jane@example.org>', 'bob@example.org'],
        cc: ['carol@example.org'],
        bcc: [],
      },
      subject: 'Café report',
      text: 'Café is open',
      html: '<b>open</b>',
      raw,
    });
    expect(await outboxMessages(stratus.url, { to: 'JANE@example.org' })).toHaveLength(1);
    expect(await outboxMessages(stratus.url, { from: 'sender@example.com' })).toHaveLength(1);
    expect(await outboxMessages(stratus.url, { to: 'someone-else@example.org' })).toHaveLength(0);
  });

  it('SendRawEmail sends to Destinations instead of the headers, and checks the From header too', async () => {
    const raw = 'From: sender@example.com\r\nTo: header@example.org\r\nSubject: hi\r\n\r\nbody\r\n';
    const { MessageId } = await ses.send(
      new SendRawEmailCommand({
        Destinations: ['envelope@example.org'],
        RawMessage: { Data: Buffer.from(raw) },
      }),
    );
    expect((await outboxMessage(stratus.url, MessageId!)).destination.to).toEqual(['envelope@example.org']);

    const forged = 'From: boss@unverified.example\r\nTo: header@example.org\r\nSubject: hi\r\n\r\nbody\r\n';
    const err = await rejection(
      ses.send(
        new SendRawEmailCommand({ Source: 'sender@example.com', RawMessage: { Data: Buffer.from(forged) } }),
      ),
    );
    expect(err).toBeInstanceOf(MessageRejected);
    expect(err.message).toMatch(/: boss@unverified\.example$/);
  });

  it('SendRawEmail refuses a message over 10 MB and one without recipients', async () => {
    const header = 'From: sender@example.com\r\nTo: to@example.org\r\nSubject: big\r\n\r\n';
    const big = Buffer.concat([Buffer.from(header), Buffer.alloc(10 * 1024 * 1024, 'a')]);
    const err = await rejection(ses.send(new SendRawEmailCommand({ RawMessage: { Data: big } })));
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.message).toBe(`Message length is more than 10485760 bytes long: '${big.length}'.`);

    const noRecipients = 'From: sender@example.com\r\nSubject: lonely\r\n\r\nbody\r\n';
    const none = await rejection(
      ses.send(new SendRawEmailCommand({ RawMessage: { Data: Buffer.from(noRecipients) } })),
    );
    expect(none.name).toBe('InvalidParameterValue');
    expect(none.message).toBe("Missing required header 'To'.");
  });

  it('templates: create, get, update, list, send with data, delete', async () => {
    await ses.send(
      new CreateTemplateCommand({
        Template: {
          TemplateName: 'welcome',
          SubjectPart: 'Welcome, {{name}}',
          TextPart: 'Hi {{name}}, your plan is {{plan.tier}}.',
          HtmlPart: '<p>Hi {{name}}</p>',
        },
      }),
    );
    const exists = await rejection(
      ses.send(new CreateTemplateCommand({ Template: { TemplateName: 'welcome', SubjectPart: 'x' } })),
    );
    expect(exists).toBeInstanceOf(AlreadyExistsException);
    expect(exists.message).toBe('Template welcome already exists.');
    await ses.send(
      new UpdateTemplateCommand({
        Template: {
          TemplateName: 'welcome',
          SubjectPart: 'Welcome aboard, {{name}}',
          TextPart: 'Hi {{name}}, your plan is {{plan.tier}}.',
          HtmlPart: '<p>Hi {{name}}</p>',
        },
      }),
    );
    const got = await ses.send(new GetTemplateCommand({ TemplateName: 'welcome' }));
    expect(got.Template?.SubjectPart).toBe('Welcome aboard, {{name}}');
    const listed = await ses.send(new ListTemplatesCommand({}));
    expect(listed.TemplatesMetadata?.map((t) => t.Name)).toEqual(['welcome']);

    const { MessageId } = await ses.send(
      new SendTemplatedEmailCommand({
        Source: 'sender@example.com',
        Destination: { ToAddresses: ['to@example.org'] },
        Template: 'welcome',
        TemplateData: JSON.stringify({ name: 'Ann <3', plan: { tier: 'gold' } }),
      }),
    );
    expect(await outboxMessage(stratus.url, MessageId!)).toMatchObject({
      operation: 'SendTemplatedEmail',
      subject: 'Welcome aboard, Ann <3',
      text: 'Hi Ann <3, your plan is gold.',
      html: '<p>Hi Ann &lt;3</p>',
    });

    const { RenderedTemplate } = await ses.send(
      new TestRenderTemplateCommand({
        TemplateName: 'welcome',
        TemplateData: JSON.stringify({ name: 'Bo', plan: { tier: 'free' } }),
      }),
    );
    expect(RenderedTemplate).toMatch(/^Subject: Welcome aboard, Bo\r$/m);
    expect(RenderedTemplate).toContain('Hi Bo, your plan is free.');
    expect(RenderedTemplate).toContain('<p>Hi Bo</p>');
    const lacking = await rejection(
      ses.send(new TestRenderTemplateCommand({ TemplateName: 'welcome', TemplateData: '{"name":"Bo"}' })),
    );
    expect(lacking).toBeInstanceOf(MissingRenderingAttributeException);
    expect(lacking.message).toBe("Attribute 'plan.tier' is not present in the rendering data.");
    const notJson = await rejection(
      ses.send(new TestRenderTemplateCommand({ TemplateName: 'welcome', TemplateData: '{nope' })),
    );
    expect(notJson).toBeInstanceOf(InvalidRenderingParameterException);

    await ses.send(new DeleteTemplateCommand({ TemplateName: 'welcome' }));
    const missing = await rejection(ses.send(new GetTemplateCommand({ TemplateName: 'welcome' })));
    expect(missing).toBeInstanceOf(TemplateDoesNotExistException);
    expect(missing.message).toBe('Template welcome does not exist.');
    const sendMissing = await rejection(
      ses.send(
        new SendTemplatedEmailCommand({
          Source: 'sender@example.com',
          Destination: { ToAddresses: ['to@example.org'] },
          Template: 'welcome',
          TemplateData: '{}',
        }),
      ),
    );
    expect(sendMissing).toBeInstanceOf(TemplateDoesNotExistException);
  });

  it('GetSendQuota counts recipients of the last 24 hours; GetSendStatistics buckets them per 15 minutes', async () => {
    clock.set(t0 + 10 * 24 * 3600 * 1000);
    expect(await ses.send(new GetAccountSendingEnabledCommand({}))).toMatchObject({ Enabled: true });
    const before = await ses.send(new GetSendQuotaCommand({}));
    expect(before).toMatchObject({ Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: 0 });
    await ses.send(
      new SendEmailCommand({
        Source: 'sender@example.com',
        Destination: { ToAddresses: ['a@example.org', 'b@example.org'], CcAddresses: ['c@example.org'] },
        Message: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } },
      }),
    );
    const after = await ses.send(new GetSendQuotaCommand({}));
    expect(after.SentLast24Hours).toBe(3);
    const { SendDataPoints } = await ses.send(new GetSendStatisticsCommand({}));
    expect(SendDataPoints?.at(-1)).toEqual({
      Timestamp: new Date(t0 + 10 * 24 * 3600 * 1000),
      DeliveryAttempts: 3,
      Bounces: 0,
      Complaints: 0,
      Rejects: 0,
    });
  });

  it('the outbox endpoint filters by id and clears with DELETE', async () => {
    const send = (subject: string) =>
      ses.send(
        new SendEmailCommand({
          Source: 'sender@example.com',
          Destination: { ToAddresses: ['to@example.org'] },
          Message: { Subject: { Data: subject }, Body: { Text: { Data: 'b' } } },
        }),
      );
    const first = await send('one');
    await send('two');
    expect((await outboxMessages(stratus.url)).map((m) => m.subject)).toEqual(['one', 'two']);
    expect((await outboxMessages(stratus.url, { id: first.MessageId! })).map((m) => m.subject)).toEqual([
      'one',
    ]);
    expect((await outboxMessages(stratus.url, { last: '1' })).map((m) => m.subject)).toEqual(['two']);
    expect((await outboxMessages(stratus.url, { last: '5' })).map((m) => m.subject)).toEqual(['one', 'two']);
    const bad = await fetch(new URL('/_stratus/ses/messages?last=0', stratus.url));
    expect(bad.status).toBe(400);
    expect((await outboxMessages(stratus.url, { after: first.MessageId! })).map((m) => m.subject)).toEqual([
      'two',
    ]);
    const response = await fetch(new URL('/_stratus/ses/messages', stratus.url), { method: 'DELETE' });
    expect(await response.json()).toEqual({ deleted: 2 });
    expect(await outboxMessages(stratus.url)).toEqual([]);
  });
});
