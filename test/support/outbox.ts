/** Reads Stratus's SES outbox (`/_stratus/ses/messages`) the way a test or a user would: over HTTP. */
import type { OutboxMessage } from '../../src/services/ses/outbox.js';

export async function outboxMessages(
  url: string,
  filter: Record<string, string> = {},
): Promise<OutboxMessage[]> {
  const endpoint = new URL('/_stratus/ses/messages', url);
  for (const [name, value] of Object.entries(filter)) endpoint.searchParams.set(name, value);
  const response = await fetch(endpoint);
  if (!response.ok) throw new Error(`GET ${endpoint} answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { messages: OutboxMessage[] }).messages;
}

export async function outboxMessage(url: string, id: string): Promise<OutboxMessage> {
  const [message] = await outboxMessages(url, { id });
  if (!message) throw new Error(`message ${id} is not in the outbox`);
  return message;
}

export async function clearOutbox(url: string): Promise<void> {
  const response = await fetch(new URL('/_stratus/ses/messages', url), { method: 'DELETE' });
  if (!response.ok) throw new Error(`DELETE /_stratus/ses/messages answered ${response.status}`);
}
