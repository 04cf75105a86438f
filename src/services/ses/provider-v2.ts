/**
 * Amazon SES v2 (the REST API): sending, email identities, email templates and the account. It
 * shares identities, templates and the outbox with v1 (provider.ts), as the two APIs do on AWS.
 *
 * Differences from AWS: as for v1 — identities verify at once (DKIM reads `SUCCESS`, no DNS is
 * checked), the account is out of the sandbox with a quota it reports but does not enforce, and
 * messages go to the outbox and the optional SMTP relay. Attachments, tags on identities and
 * templates, configuration sets, contact lists, suppression lists, dedicated IPs, deliverability
 * dashboards and bulk sending are not served. `SendEmail`'s `Raw` content is limited to 10 MB.
 */
import type * as SESv2 from '@aws-sdk/client-sesv2';
import type { RequestContext } from '../service.js';
import { isDomainIdentity, parseMailbox } from './addresses.js';
import { sendQuota, type SesDomain } from './domain.js';
import {
  AlreadyExistsException,
  BadRequestException,
  NotFoundException,
  missingAttributeMessage,
} from './errors.js';
import type { Content } from './sending.js';
import { dkimTokens } from './identities.js';
import type { IdentityRow } from './tables.js';
import type { TemplateParts } from './templates.js';
import { pageOf, readPageToken } from './tokens.js';

const maxPageSize = 1000;

function identityType(row: Pick<IdentityRow, 'identity_type'>): SESv2.IdentityType {
  return row.identity_type === 'Domain' ? 'DOMAIN' : 'EMAIL_ADDRESS';
}

/** Easy DKIM as a verified domain has it: three CNAME tokens; addresses sign through their domain. */
function dkimAttributes(row: IdentityRow): SESv2.DkimAttributes {
  if (row.identity_type !== 'Domain') {
    return { SigningEnabled: false, Status: 'NOT_STARTED', SigningAttributesOrigin: 'AWS_SES' };
  }
  return {
    SigningEnabled: true,
    Status: 'SUCCESS',
    Tokens: dkimTokens(row),
    SigningAttributesOrigin: 'AWS_SES',
    CurrentSigningKeyLength: 'RSA_2048_BIT',
    NextSigningKeyLength: 'RSA_2048_BIT',
    LastKeyGenerationTimestamp: new Date(row.created_at),
  };
}

function pageSize(size: number | undefined): number {
  if (size === undefined) return 100;
  if (size < 1 || size > maxPageSize) {
    throw new BadRequestException(`PageSize must be between 1 and ${maxPageSize}.`);
  }
  return size;
}

function afterToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const after = readPageToken(token);
  if (after === undefined) throw new BadRequestException('Invalid NextToken.');
  return after;
}

function templateParts(name: string, content: SESv2.EmailTemplateContent | undefined): TemplateParts {
  return { name, subject: content?.Subject, text: content?.Text, html: content?.Html };
}

function parseTemplateData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new BadRequestException('TemplateData is not valid JSON.');
  }
}

const templateMissing = (name: string) => () => new NotFoundException(`Template ${name} does not exist.`);

export class SesV2Provider {
  constructor(private readonly ses: SesDomain) {}

  async CreateEmailIdentity(
    input: SESv2.CreateEmailIdentityRequest,
    at: RequestContext,
  ): Promise<SESv2.CreateEmailIdentityResponse> {
    const identity = input.EmailIdentity!.trim();
    const parsed = isDomainIdentity(identity) ? undefined : parseMailbox(identity);
    if (parsed && (!parsed.ok || parsed.mailbox.name !== undefined)) {
      throw new BadRequestException(`Invalid email address ${identity}.`);
    }
    const { row, created } = await this.ses.identities.verify(at, identity);
    if (!created) throw new AlreadyExistsException(`Email identity ${identity} already exist.`);
    return {
      IdentityType: identityType(row),
      VerifiedForSendingStatus: true,
      DkimAttributes: dkimAttributes(row),
    };
  }

  async GetEmailIdentity(
    input: SESv2.GetEmailIdentityRequest,
    at: RequestContext,
  ): Promise<SESv2.GetEmailIdentityResponse> {
    const row = await this.identity(at, input.EmailIdentity!);
    return {
      IdentityType: identityType(row),
      FeedbackForwardingStatus: true,
      VerifiedForSendingStatus: true,
      VerificationStatus: 'SUCCESS',
      DkimAttributes: dkimAttributes(row),
      MailFromAttributes: {
        MailFromDomain: '',
        MailFromDomainStatus: 'SUCCESS',
        BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
      },
      Policies: {},
      Tags: [],
    };
  }

  async ListEmailIdentities(
    input: SESv2.ListEmailIdentitiesRequest,
    at: RequestContext,
  ): Promise<SESv2.ListEmailIdentitiesResponse> {
    const limit = pageSize(input.PageSize);
    const filter = input.Filter ?? {};
    // Every identity is verified: asking for any other status finds none.
    if (filter.VERIFICATION_STATUS !== undefined && filter.VERIFICATION_STATUS !== 'SUCCESS') {
      return { EmailIdentities: [] };
    }
    const type = filter.IDENTITY_TYPE;
    const rows = await this.ses.identities.list(at, {
      ...(type ? { type: type === 'DOMAIN' ? ('Domain' as const) : ('EmailAddress' as const) } : {}),
      ...(filter.IDENTITY_NAME_CONTAINS !== undefined ? { nameContains: filter.IDENTITY_NAME_CONTAINS } : {}),
      afterKey: afterToken(input.NextToken),
      limit: limit + 1,
    });
    const { page, nextToken } = pageOf(rows, limit, (row) => row.identity_key);
    return {
      EmailIdentities: page.map((row) => ({
        IdentityType: identityType(row),
        IdentityName: row.identity,
        SendingEnabled: true,
        VerificationStatus: 'SUCCESS',
      })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  }

  async DeleteEmailIdentity(input: SESv2.DeleteEmailIdentityRequest, at: RequestContext): Promise<object> {
    if (!(await this.ses.identities.delete(at, input.EmailIdentity!))) {
      throw new NotFoundException(`Email identity ${input.EmailIdentity} does not exist.`);
    }
    return {};
  }

  async GetAccount(_input: object, at: RequestContext): Promise<SESv2.GetAccountResponse> {
    return {
      DedicatedIpAutoWarmupEnabled: false,
      EnforcementStatus: 'HEALTHY',
      ProductionAccessEnabled: true,
      SendingEnabled: true,
      SendQuota: {
        Max24HourSend: sendQuota.max24HourSend,
        MaxSendRate: sendQuota.maxSendRate,
        SentLast24Hours: await this.ses.sentLast24Hours(at),
      },
      SuppressionAttributes: { SuppressedReasons: [] },
    };
  }

  async SendEmail(input: SESv2.SendEmailRequest, at: RequestContext): Promise<SESv2.SendEmailResponse> {
    const MessageId = await this.ses.sender.send(at, {
      api: 'sesv2',
      operation: 'SendEmail',
      source: input.FromEmailAddress,
      to: input.Destination?.ToAddresses,
      cc: input.Destination?.CcAddresses,
      bcc: input.Destination?.BccAddresses,
      replyTo: input.ReplyToAddresses,
      content: await this.content(input, at),
    });
    return { MessageId };
  }

  async CreateEmailTemplate(input: SESv2.CreateEmailTemplateRequest, at: RequestContext): Promise<object> {
    const name = input.TemplateName!;
    await this.ses.templates.create(
      at,
      templateParts(name, input.TemplateContent),
      () => new AlreadyExistsException(`Template ${name} already exists.`),
    );
    return {};
  }

  async UpdateEmailTemplate(input: SESv2.UpdateEmailTemplateRequest, at: RequestContext): Promise<object> {
    const name = input.TemplateName!;
    await this.ses.templates.update(at, templateParts(name, input.TemplateContent), templateMissing(name));
    return {};
  }

  async GetEmailTemplate(
    input: SESv2.GetEmailTemplateRequest,
    at: RequestContext,
  ): Promise<SESv2.GetEmailTemplateResponse> {
    const row = await this.ses.templates.get(at, input.TemplateName!, templateMissing(input.TemplateName!));
    return {
      TemplateName: row.name,
      TemplateContent: {
        ...(row.subject !== null ? { Subject: row.subject } : {}),
        ...(row.text_part !== null ? { Text: row.text_part } : {}),
        ...(row.html_part !== null ? { Html: row.html_part } : {}),
      },
    };
  }

  async DeleteEmailTemplate(input: SESv2.DeleteEmailTemplateRequest, at: RequestContext): Promise<object> {
    const name = input.TemplateName!;
    if (!(await this.ses.templates.delete(at, name))) throw templateMissing(name)();
    return {};
  }

  async ListEmailTemplates(
    input: SESv2.ListEmailTemplatesRequest,
    at: RequestContext,
  ): Promise<SESv2.ListEmailTemplatesResponse> {
    const limit = input.PageSize === undefined ? 10 : pageSize(input.PageSize);
    const rows = await this.ses.templates.list(at, afterToken(input.NextToken), limit + 1);
    const { page, nextToken } = pageOf(rows, limit, (row) => row.name);
    return {
      TemplatesMetadata: page.map((row) => ({
        TemplateName: row.name,
        CreatedTimestamp: new Date(row.created_at),
      })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  }

  async TestRenderEmailTemplate(
    input: SESv2.TestRenderEmailTemplateRequest,
    at: RequestContext,
  ): Promise<SESv2.TestRenderEmailTemplateResponse> {
    const template = await this.ses.templates.get(
      at,
      input.TemplateName!,
      templateMissing(input.TemplateName!),
    );
    const data = parseTemplateData(input.TemplateData!);
    const [missing] = this.ses.templates.missing(template, data);
    if (missing !== undefined) throw new BadRequestException(missingAttributeMessage(missing));
    return { RenderedTemplate: await this.ses.renderedMime(template, data) };
  }

  private async identity(at: RequestContext, identity: string): Promise<IdentityRow> {
    const row = await this.ses.identities.get(at, identity);
    if (!row) throw new NotFoundException(`Email identity ${identity} does not exist.`);
    return row;
  }

  /** Exactly one of Simple, Raw and Template, as the message to send. */
  private async content(input: SESv2.SendEmailRequest, at: RequestContext): Promise<Content> {
    const { Simple: simple, Raw: raw, Template: template } = input.Content ?? {};
    if ([simple, raw, template].filter((c) => c !== undefined).length !== 1) {
      throw new BadRequestException('Exactly one of Simple, Raw or Template content must be specified.');
    }
    if (raw) return { kind: 'raw', data: Buffer.from(raw.Data!) };
    if (input.FromEmailAddress === undefined) {
      throw new BadRequestException('FromEmailAddress is required for Simple and Template content.');
    }
    if (simple) {
      return {
        kind: 'simple',
        subject: simple.Subject?.Data ?? '',
        text: simple.Body?.Text?.Data,
        html: simple.Body?.Html?.Data,
        headers: simple.Headers?.map((h) => ({ name: h.Name!, value: h.Value! })),
      };
    }
    const stored = template!.TemplateContent
      ? undefined
      : await this.ses.templates.get(
          at,
          template!.TemplateName ?? '',
          templateMissing(template!.TemplateName ?? ''),
        );
    const parts = stored ?? {
      subject: template!.TemplateContent!.Subject ?? null,
      text_part: template!.TemplateContent!.Text ?? null,
      html_part: template!.TemplateContent!.Html ?? null,
    };
    const rendered = this.ses.templates.render(parts, parseTemplateData(template!.TemplateData ?? '{}'));
    return {
      kind: 'simple',
      ...rendered,
      headers: template!.Headers?.map((h) => ({ name: h.Name!, value: h.Value! })),
    };
  }
}
