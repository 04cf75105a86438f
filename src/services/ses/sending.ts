/**
 * What every send operation shares, v1 or v2, simple, raw or templated: the addresses checked as
 * SES checks them, the recipient and size limits, the verified-sender rule, the MIME built (or
 * read), and the message kept in the outbox.
 */
import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Clock } from '../../engine/clock.js';
import type { RequestContext } from '../service.js';
import { parseMailbox, type Mailbox } from './addresses.js';
import { invalidParameter, notVerified, type Api } from './errors.js';
import type { Identities } from './identities.js';
import { summarizeMime } from './mime.js';
import type { Outbox } from './outbox.js';

/** SES's per-message limits. */
export const maxRecipients = 50;
export const maxRawMessageBytes = 10 * 1024 * 1024;

export type Content =
  | {
      kind: 'simple';
      subject: string;
      text?: string | undefined;
      html?: string | undefined;
      headers?: { name: string; value: string }[] | undefined;
    }
  | { kind: 'raw'; data: Buffer };

export interface Outgoing {
  api: Api;
  operation: string;
  /** Source / FromEmailAddress; a raw message may leave it to its From header. */
  source?: string | undefined;
  to?: string[] | undefined;
  cc?: string[] | undefined;
  bcc?: string[] | undefined;
  replyTo?: string[] | undefined;
  returnPath?: string | undefined;
  content: Content;
}

/** `0100` and the send time in hex, a UUID, `-000000`: the shape of SES's message ids. */
export function newMessageId(now: number): string {
  return `0100${now.toString(16).padStart(12, '0')}-${randomUUID()}-000000`;
}

/** A simple message as MIME; TestRenderTemplate shows one without its addresses. */
export function composeMime(message: {
  id: string;
  date: number;
  source?: string;
  to?: string[];
  cc?: string[];
  replyTo?: string[];
  content: Extract<Content, { kind: 'simple' }>;
}): Promise<Buffer> {
  const { content } = message;
  const composer = new MailComposer({
    ...(message.source !== undefined ? { from: message.source } : {}),
    to: message.to ?? [],
    cc: message.cc ?? [],
    replyTo: message.replyTo ?? [],
    subject: content.subject,
    ...(content.text !== undefined ? { text: content.text } : {}),
    ...(content.html !== undefined ? { html: content.html } : {}),
    headers: Object.fromEntries((content.headers ?? []).map((h) => [h.name, h.value])),
    messageId: `<${message.id}@email.amazonses.com>`,
    date: new Date(message.date),
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return new Promise((resolve, reject) =>
    composer.compile().build((err, mime) => (err ? reject(err) : resolve(mime))),
  );
}

/** ` a@x b@y `: every recipient's bare address, for the outbox's `?to=` filter. */
function recipientIndex(mailboxes: readonly Mailbox[]): string {
  return ` ${mailboxes.map((m) => m.address.toLowerCase()).join(' ')} `;
}

export class Sender {
  constructor(
    private readonly identities: Identities,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  /** Checks, keeps and (when relaying) queues one message; resolves to its MessageId. */
  async send(at: RequestContext, message: Outgoing): Promise<string> {
    const { api } = message;
    const mailbox = (text: string): Mailbox => {
      const parsed = parseMailbox(text);
      if (!parsed.ok) throw invalidParameter(api, parsed.reason);
      return parsed.mailbox;
    };
    let { to = [], cc = [], bcc = [], replyTo = [], source } = message;
    let summary: ReturnType<typeof summarizeMime> | undefined;
    if (message.content.kind === 'raw') {
      const size = message.content.data.length;
      if (size > maxRawMessageBytes) {
        throw invalidParameter(
          api,
          `Message length is more than ${maxRawMessageBytes} bytes long: '${size}'.`,
        );
      }
      summary = summarizeMime(message.content.data);
      // Without Destinations, SES sends to the message's own To, Cc and Bcc headers.
      if (to.length + cc.length + bcc.length === 0) ({ to, cc, bcc } = summary);
      source ??= summary.from[0];
      if (replyTo.length === 0) replyTo = summary.replyTo;
    }
    if (source === undefined) throw invalidParameter(api, "Missing final '@domain'");
    const sender = mailbox(source);
    const recipients = [...to, ...cc, ...bcc].map(mailbox);
    replyTo.forEach(mailbox);
    const returnPath = message.returnPath === undefined ? undefined : mailbox(message.returnPath);
    if (recipients.length === 0) throw invalidParameter(api, "Missing required header 'To'.");
    if (recipients.length > maxRecipients) {
      throw invalidParameter(api, `Recipient count exceeds ${maxRecipients}.`);
    }
    // Other Stratus services send as AWS does (SNS from no-reply@sns.amazonaws.com): no check.
    if (at.origin !== 'service') {
      const senders = new Map<string, string>([[sender.address, source]]);
      for (const from of summary?.from ?? []) senders.set(mailbox(from).address, from);
      if (returnPath) senders.set(returnPath.address, message.returnPath!);
      const failed = await this.identities.unverified(at, [...senders.keys()].map(mailbox));
      if (failed.length > 0) {
        // Like SES, name an address written with a display name both ways.
        const names = failed.flatMap((m) => {
          const written = senders.get(m.address)!;
          return written === m.address ? [m.address] : [written, m.address];
        });
        throw notVerified(at.region, names);
      }
    }
    const now = this.clock.now();
    const id = newMessageId(now);
    const content = message.content;
    const raw =
      content.kind === 'raw'
        ? content.data
        : await composeMime({ id, date: now, source, to, cc, replyTo, content });
    await this.outbox.accept({
      id,
      account_id: at.accountId,
      region: at.region,
      api,
      operation: message.operation,
      source,
      source_address: sender.address.toLowerCase(),
      to_addresses: JSON.stringify(to),
      cc_addresses: JSON.stringify(cc),
      bcc_addresses: JSON.stringify(bcc),
      reply_to: JSON.stringify(replyTo),
      recipients: recipientIndex(recipients),
      recipient_count: recipients.length,
      subject: content.kind === 'raw' ? (summary?.subject ?? null) : content.subject,
      text_body: content.kind === 'raw' ? (summary?.text ?? null) : (content.text ?? null),
      html_body: content.kind === 'raw' ? (summary?.html ?? null) : (content.html ?? null),
      raw,
      sent_at: now,
    });
    return id;
  }
}
