/**
 * `stratus mail`: the messages SES accepted (the outbox, `GET /_stratus/ses/messages`), as
 * readable blocks or JSON, optionally followed as new ones arrive.
 */
import type { OutboxMessage } from '../services/ses/outbox.js';
import { UsageError, type Command } from './command.js';
import { connectionFlags, connectionOf, reportingFailures } from './functions.js';
import { pause, stopSignal } from './logs.js';
import { signedFetch } from './signed-fetch.js';

const pollIntervalMs = 1000;
const bodyLines = 40;

/** An HTML body as text for a terminal: tags dropped, common entities read, blank runs squeezed. */
export function htmlAsText(html: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|h\d|li|tr)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name: string) => entities[name]!)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function deliveryText(delivery: OutboxMessage['delivery']): string {
  const attempts = `${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}`;
  switch (delivery.status) {
    case 'stored':
      return 'stored (no SMTP relay)';
    case 'pending':
      return 'pending';
    case 'delivered':
      return `delivered (${attempts})`;
    default:
      return `${delivery.status} (${attempts}: ${delivery.error ?? 'no reason given'})`;
  }
}

export function formatMessage(message: OutboxMessage): string {
  const { to, cc, bcc } = message.destination;
  const header = (name: string, values: string[]) =>
    values.length ? [`${name.padEnd(8)} ${values.join(', ')}`] : [];
  const body = message.text ?? (message.html !== null ? htmlAsText(message.html) : '');
  const lines = body.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  const shown =
    lines.length > bodyLines
      ? [...lines.slice(0, bodyLines), `… (${lines.length - bodyLines} more lines)`]
      : lines;
  return [
    `── ${message.timestamp}  ${message.api === 'sesv2' ? 'v2 ' : ''}${message.operation}  ${deliveryText(message.delivery)}`,
    ...header('From:', [message.source]),
    ...header('To:', to),
    ...header('Cc:', cc),
    ...header('Bcc:', bcc),
    ...header('Reply-To:', message.replyTo),
    `Subject: ${message.subject ?? '(none)'}`,
    `Id:      ${message.id}`,
    '',
    ...shown,
    '',
    '',
  ].join('\n');
}

class OutboxUnavailable extends Error {}

export const mail: Command = {
  name: 'mail',
  summary: 'Show the emails SES sent (the outbox)',
  description: [
    'Prints every message SES accepted, oldest first: sender, recipients, subject, body and',
    'whether the SMTP relay delivered it. --json prints the messages as JSON (one object per line',
    'with --follow). With --follow, keeps printing new messages until interrupted (Ctrl-C).',
    '--clear empties the outbox.',
  ].join('\n'),
  flags: {
    to: { type: 'string', arg: 'ADDRESS', describe: 'Only messages to this address (To, Cc or Bcc)' },
    from: { type: 'string', arg: 'ADDRESS', describe: 'Only messages from this address' },
    last: { type: 'string', arg: 'N', describe: 'Only the latest N messages' },
    json: { type: 'boolean', describe: 'Print JSON instead of text' },
    follow: { type: 'boolean', describe: 'Keep printing new messages until interrupted' },
    clear: { type: 'boolean', describe: 'Delete every message in the outbox' },
    endpoint: connectionFlags.endpoint!,
  },
  async run(values, env) {
    const connection = connectionOf(values, env);
    const url = new URL('/_stratus/ses/messages', connection.endpoint);
    if (values.clear) {
      if (values.follow || values.to || values.from || values.last) {
        throw new UsageError('--clear takes no other flags');
      }
      return reportingFailures('mail', connection, async () => {
        const response = await signedFetch(connection, url, { method: 'DELETE' });
        const body = (await response.json().catch(() => undefined)) as { deleted?: number } | undefined;
        if (!response.ok || typeof body?.deleted !== 'number')
          throw new OutboxUnavailable(String(response.status));
        process.stdout.write(`Deleted ${body.deleted} message${body.deleted === 1 ? '' : 's'}.\n`);
        return 0;
      }).catch((err: unknown) => unavailable(err, connection.endpoint.origin));
    }
    for (const name of ['to', 'from'] as const) {
      if (typeof values[name] === 'string') url.searchParams.set(name, values[name]);
    }
    if (typeof values.last === 'string') {
      if (!/^[1-9]\d{0,5}$/.test(values.last)) {
        throw new UsageError(`--last must be a whole number from 1 to 999999, got '${values.last}'`);
      }
      url.searchParams.set('last', values.last);
    }
    const print = (message: OutboxMessage) =>
      process.stdout.write(
        values.json
          ? `${JSON.stringify(message, null, values.follow ? undefined : 2)}\n`
          : formatMessage(message),
      );
    return reportingFailures('mail', connection, async () => {
      const read = async (after: string | undefined): Promise<OutboxMessage[] | 'gone'> => {
        const page = new URL(url);
        if (after) {
          // Following: everything after the last message shown, however many.
          page.searchParams.set('after', after);
          page.searchParams.delete('last');
        }
        const response = await signedFetch(connection, page);
        // The message we followed from was cleared away: everything there now is new.
        if (response.status === 404 && after) return 'gone';
        const body = (await response.json().catch(() => undefined)) as
          { messages?: OutboxMessage[] } | undefined;
        if (!response.ok || !Array.isArray(body?.messages))
          throw new OutboxUnavailable(String(response.status));
        return body.messages;
      };
      const first = await read(undefined);
      const messages = first === 'gone' ? [] : first;
      if (!values.follow) {
        if (values.json) process.stdout.write(`${JSON.stringify(messages, null, 2)}\n`);
        else if (messages.length === 0)
          process.stdout.write(`No messages in the outbox at ${connection.endpoint.origin}.\n`);
        else messages.forEach(print);
        return 0;
      }
      messages.forEach(print);
      let last = messages.at(-1)?.id;
      const stopped = stopSignal();
      while (!stopped.aborted) {
        await pause(pollIntervalMs, stopped);
        if (stopped.aborted) break;
        let next = await read(last);
        if (next === 'gone') {
          last = undefined;
          next = (await read(undefined)) as OutboxMessage[];
        }
        next.forEach(print);
        if (next.length > 0) last = next.at(-1)!.id;
      }
      return 0;
    }).catch((err: unknown) => unavailable(err, connection.endpoint.origin));
  },
};

function unavailable(err: unknown, origin: string): number {
  if (!(err instanceof OutboxUnavailable)) throw err;
  process.stderr.write(`stratus mail: ${origin} has no SES outbox to read (HTTP ${err.message})\n`);
  return 1;
}
