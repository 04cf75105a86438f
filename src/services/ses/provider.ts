/**
 * Amazon SES (v1, the query API): sending, verified identities, templates and the sending quota.
 * Each method names the AWS operation and hands over to the shared SES domain (domain.ts).
 *
 * Differences from AWS: identities are verified at once — no verification mail is sent and no
 * DNS is checked, so every identity reads `Success`. The account is out of the sandbox: only the
 * sender must be verified, not the recipients, and the quota (50,000 a day, 14 a second) is
 * reported but never enforced. Messages are kept in Stratus's outbox and, with `--smtp-relay`,
 * delivered over SMTP; there are no bounces, complaints, configuration sets, event destinations,
 * sending authorization policies, receipt rules, DKIM signing or custom verification emails.
 * Templates render Handlebars' `{{value}}` / `{{{value}}}` only; a value the data lacks renders
 * empty when sending (SES fails the delivery later), while TestRenderTemplate names it as SES does.
 * A ConfigurationSetName is accepted and ignored.
 */
import type * as SES from '@aws-sdk/client-ses';
import type { RequestContext } from '../service.js';
import { parseMailbox } from './addresses.js';
import { sendQuota, type SesDomain } from './domain.js';
import {
  AlreadyExistsException,
  InvalidRenderingParameterException,
  MissingRenderingAttributeException,
  TemplateDoesNotExistException,
  invalidParameter,
  missingAttributeMessage,
} from './errors.js';
import { dkimTokens, identityKey } from './identities.js';
import type { Outgoing } from './sending.js';
import { pageOf, readPageToken } from './tokens.js';
import type { IdentityRow } from './tables.js';

const maxListItems = 1000;
const maxVerificationIdentities = 100;

function checkEmailAddress(address: string): void {
  const parsed = parseMailbox(address);
  if (!parsed.ok || parsed.mailbox.name !== undefined || parsed.mailbox.address !== address.trim()) {
    throw invalidParameter('ses', `Invalid email address<${address}>.`);
  }
}

function checkDomain(domain: string): void {
  if (!/^(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?$/.test(domain)) {
    throw invalidParameter('ses', `Invalid domain name ${domain}.`);
  }
}

function pageSize(maxItems: number | undefined): number {
  if (maxItems === undefined) return maxListItems;
  if (maxItems < 1 || maxItems > maxListItems) {
    throw invalidParameter('ses', `MaxItems must be between 1 and ${maxListItems}.`);
  }
  return maxItems;
}

function afterToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const after = readPageToken(token);
  if (after === undefined) throw invalidParameter('ses', 'Invalid NextToken value.');
  return after;
}

function parseTemplateData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw invalidParameter('ses', 'Template data is not valid JSON.');
  }
}

/** Who a SendEmail or SendTemplatedEmail message is from and to. */
function addressing(
  input: SES.SendEmailRequest | SES.SendTemplatedEmailRequest,
  operation: string,
): Omit<Outgoing, 'content'> {
  const destination = input.Destination;
  return {
    api: 'ses',
    operation,
    source: input.Source,
    to: destination?.ToAddresses,
    cc: destination?.CcAddresses,
    bcc: destination?.BccAddresses,
    replyTo: input.ReplyToAddresses,
    returnPath: input.ReturnPath,
  };
}

const templateMissing = (name: string) => () =>
  new TemplateDoesNotExistException(`Template ${name} does not exist.`, { TemplateName: name });

export class SesProvider {
  constructor(private readonly ses: SesDomain) {}

  async VerifyEmailIdentity(input: SES.VerifyEmailIdentityRequest, at: RequestContext): Promise<object> {
    checkEmailAddress(input.EmailAddress!);
    await this.ses.identities.verify(at, input.EmailAddress!.trim());
    return {};
  }

  async VerifyEmailAddress(input: SES.VerifyEmailAddressRequest, at: RequestContext): Promise<void> {
    checkEmailAddress(input.EmailAddress!);
    await this.ses.identities.verify(at, input.EmailAddress!.trim());
  }

  async VerifyDomainIdentity(
    input: SES.VerifyDomainIdentityRequest,
    at: RequestContext,
  ): Promise<SES.VerifyDomainIdentityResponse> {
    checkDomain(input.Domain!);
    const { row } = await this.ses.identities.verify(at, input.Domain!.replace(/\.$/, ''));
    return { VerificationToken: row.verification_token! };
  }

  async ListIdentities(
    input: SES.ListIdentitiesRequest,
    at: RequestContext,
  ): Promise<SES.ListIdentitiesResponse> {
    const limit = pageSize(input.MaxItems);
    const rows = await this.ses.identities.list(at, {
      ...(input.IdentityType ? { type: input.IdentityType } : {}),
      afterKey: afterToken(input.NextToken),
      limit: limit + 1,
    });
    const { page, nextToken } = pageOf(rows, limit, (row) => row.identity_key);
    return { Identities: page.map((row) => row.identity), ...(nextToken ? { NextToken: nextToken } : {}) };
  }

  async GetIdentityVerificationAttributes(
    input: SES.GetIdentityVerificationAttributesRequest,
    at: RequestContext,
  ): Promise<SES.GetIdentityVerificationAttributesResponse> {
    const attributes: Record<string, SES.IdentityVerificationAttributes> = {};
    for (const [identity, row] of await this.known(at, input.Identities!)) {
      attributes[identity] = {
        VerificationStatus: 'Success',
        ...(row.verification_token ? { VerificationToken: row.verification_token } : {}),
      };
    }
    return { VerificationAttributes: attributes };
  }

  async VerifyDomainDkim(
    input: SES.VerifyDomainDkimRequest,
    at: RequestContext,
  ): Promise<SES.VerifyDomainDkimResponse> {
    checkDomain(input.Domain!);
    const { row } = await this.ses.identities.verify(at, input.Domain!.replace(/\.$/, ''));
    return { DkimTokens: dkimTokens(row) };
  }

  async GetIdentityDkimAttributes(
    input: SES.GetIdentityDkimAttributesRequest,
    at: RequestContext,
  ): Promise<SES.GetIdentityDkimAttributesResponse> {
    const attributes: Record<string, SES.IdentityDkimAttributes> = {};
    for (const [identity, row] of await this.known(at, input.Identities!)) {
      attributes[identity] =
        row.identity_type === 'Domain'
          ? { DkimEnabled: true, DkimVerificationStatus: 'Success', DkimTokens: dkimTokens(row) }
          : { DkimEnabled: false, DkimVerificationStatus: 'NotStarted' };
    }
    return { DkimAttributes: attributes };
  }

  /** Feedback goes by email (forwarding on) to no SNS topics: SES's defaults, which Stratus keeps. */
  async GetIdentityNotificationAttributes(
    input: SES.GetIdentityNotificationAttributesRequest,
    at: RequestContext,
  ): Promise<SES.GetIdentityNotificationAttributesResponse> {
    const attributes: Record<string, SES.IdentityNotificationAttributes> = {};
    for (const [identity] of await this.known(at, input.Identities!)) {
      attributes[identity] = {
        BounceTopic: undefined,
        ComplaintTopic: undefined,
        DeliveryTopic: undefined,
        ForwardingEnabled: true,
        HeadersInBounceNotificationsEnabled: false,
        HeadersInComplaintNotificationsEnabled: false,
        HeadersInDeliveryNotificationsEnabled: false,
      };
    }
    return { NotificationAttributes: attributes };
  }

  async DeleteIdentity(input: SES.DeleteIdentityRequest, at: RequestContext): Promise<object> {
    await this.ses.identities.delete(at, input.Identity!);
    return {};
  }

  async ListVerifiedEmailAddresses(
    _input: object,
    at: RequestContext,
  ): Promise<SES.ListVerifiedEmailAddressesResponse> {
    const rows = await this.ses.identities.list(at, { type: 'EmailAddress', limit: 100_000 });
    return { VerifiedEmailAddresses: rows.map((row) => row.identity) };
  }

  async DeleteVerifiedEmailAddress(
    input: SES.DeleteVerifiedEmailAddressRequest,
    at: RequestContext,
  ): Promise<void> {
    await this.ses.identities.delete(at, input.EmailAddress!);
  }

  async GetSendQuota(_input: object, at: RequestContext): Promise<SES.GetSendQuotaResponse> {
    return {
      Max24HourSend: sendQuota.max24HourSend,
      MaxSendRate: sendQuota.maxSendRate,
      SentLast24Hours: await this.ses.sentLast24Hours(at),
    };
  }

  async GetSendStatistics(_input: object, at: RequestContext): Promise<SES.GetSendStatisticsResponse> {
    const points = await this.ses.sendStatistics(at);
    return {
      SendDataPoints: points.map((p) => ({
        Timestamp: new Date(p.timestamp),
        DeliveryAttempts: p.deliveryAttempts,
        Bounces: 0,
        Complaints: 0,
        Rejects: 0,
      })),
    };
  }

  async SendEmail(input: SES.SendEmailRequest, at: RequestContext): Promise<SES.SendEmailResponse> {
    const message = input.Message;
    const MessageId = await this.ses.sender.send(at, {
      ...addressing(input, 'SendEmail'),
      content: {
        kind: 'simple',
        subject: message?.Subject?.Data ?? '',
        text: message?.Body?.Text?.Data,
        html: message?.Body?.Html?.Data,
      },
    });
    return { MessageId };
  }

  async SendRawEmail(input: SES.SendRawEmailRequest, at: RequestContext): Promise<SES.SendRawEmailResponse> {
    const MessageId = await this.ses.sender.send(at, {
      api: 'ses',
      operation: 'SendRawEmail',
      source: input.Source,
      to: input.Destinations,
      content: { kind: 'raw', data: Buffer.from(input.RawMessage!.Data!) },
    });
    return { MessageId };
  }

  async SendTemplatedEmail(
    input: SES.SendTemplatedEmailRequest,
    at: RequestContext,
  ): Promise<SES.SendTemplatedEmailResponse> {
    const template = await this.ses.templates.get(at, input.Template!, templateMissing(input.Template!));
    const rendered = this.ses.templates.render(template, parseTemplateData(input.TemplateData!));
    const MessageId = await this.ses.sender.send(at, {
      ...addressing(input, 'SendTemplatedEmail'),
      content: { kind: 'simple', ...rendered },
    });
    return { MessageId };
  }

  async GetAccountSendingEnabled(): Promise<SES.GetAccountSendingEnabledResponse> {
    return { Enabled: true };
  }

  async TestRenderTemplate(
    input: SES.TestRenderTemplateRequest,
    at: RequestContext,
  ): Promise<SES.TestRenderTemplateResponse> {
    const template = await this.ses.templates.get(
      at,
      input.TemplateName!,
      templateMissing(input.TemplateName!),
    );
    let data: unknown;
    try {
      data = JSON.parse(input.TemplateData!);
    } catch {
      throw new InvalidRenderingParameterException('Template data is not valid JSON.', {
        TemplateName: input.TemplateName,
      });
    }
    const [missing] = this.ses.templates.missing(template, data);
    if (missing !== undefined) {
      throw new MissingRenderingAttributeException(missingAttributeMessage(missing), {
        TemplateName: input.TemplateName,
      });
    }
    return { RenderedTemplate: await this.ses.renderedMime(template, data) };
  }

  async CreateTemplate(input: SES.CreateTemplateRequest, at: RequestContext): Promise<object> {
    const t = input.Template!;
    await this.ses.templates.create(
      at,
      { name: t.TemplateName!, subject: t.SubjectPart, text: t.TextPart, html: t.HtmlPart },
      () =>
        new AlreadyExistsException(`Template ${t.TemplateName} already exists.`, { Name: t.TemplateName }),
    );
    return {};
  }

  async UpdateTemplate(input: SES.UpdateTemplateRequest, at: RequestContext): Promise<object> {
    const t = input.Template!;
    await this.ses.templates.update(
      at,
      { name: t.TemplateName!, subject: t.SubjectPart, text: t.TextPart, html: t.HtmlPart },
      templateMissing(t.TemplateName!),
    );
    return {};
  }

  async GetTemplate(input: SES.GetTemplateRequest, at: RequestContext): Promise<SES.GetTemplateResponse> {
    const row = await this.ses.templates.get(at, input.TemplateName!, templateMissing(input.TemplateName!));
    return {
      Template: {
        TemplateName: row.name,
        ...(row.subject !== null ? { SubjectPart: row.subject } : {}),
        ...(row.text_part !== null ? { TextPart: row.text_part } : {}),
        ...(row.html_part !== null ? { HtmlPart: row.html_part } : {}),
      },
    };
  }

  async DeleteTemplate(input: SES.DeleteTemplateRequest, at: RequestContext): Promise<object> {
    await this.ses.templates.delete(at, input.TemplateName!);
    return {};
  }

  async ListTemplates(
    input: SES.ListTemplatesRequest,
    at: RequestContext,
  ): Promise<SES.ListTemplatesResponse> {
    const limit = input.MaxItems === undefined ? 10 : pageSize(input.MaxItems);
    const rows = await this.ses.templates.list(at, afterToken(input.NextToken), limit + 1);
    const { page, nextToken } = pageOf(rows, limit, (row) => row.name);
    return {
      TemplatesMetadata: page.map((row) => ({ Name: row.name, CreatedTimestamp: new Date(row.created_at) })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  }

  /**
   * The asked-for identities that exist, under the names they were asked by. Identities SES has
   * never heard of are left out of its answers.
   */
  private async known(at: RequestContext, identities: readonly string[]): Promise<[string, IdentityRow][]> {
    if (identities.length > maxVerificationIdentities) {
      throw invalidParameter('ses', `Cannot request more than ${maxVerificationIdentities} identities.`);
    }
    const rows = await this.ses.identities.getMany(at, identities);
    return identities.flatMap((identity) => {
      const row = rows.get(identityKey(identity));
      return row ? [[identity, row] as [string, IdentityRow]] : [];
    });
  }
}
