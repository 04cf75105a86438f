/**
 * PutEvents entries checked as EventBridge checks them, one by one (a bad entry fails alone,
 * with an ErrorCode and ErrorMessage in its result), and their size as EventBridge counts it:
 * `Time` as 14 bytes, the UTF-8 bytes of `Source`, `DetailType`, `Detail` and each resource.
 * Sources starting with `aws.` are AWS's own: only Stratus's services may send them. Pure.
 */
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import type { EventFields } from './envelope.js';

/** The entries of one PutEvents may add up to 1 MB (256 KB until January 2026). */
export const maxEntriesBytes = 1024 * 1024;

export function entrySize(entry: EventBridge.PutEventsRequestEntry): number {
  let size = entry.Time !== undefined ? 14 : 0;
  for (const text of [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])]) {
    if (text !== undefined) size += Buffer.byteLength(text);
  }
  return size;
}

export interface EntryFailure {
  ErrorCode: string;
  ErrorMessage: string;
}

export interface AcceptedEntry {
  fields: EventFields;
  /** The entry's `EventBusName` (a name or an ARN), if it gave one. */
  bus: string | undefined;
  traceHeader: string | undefined;
}

const required = (name: string): EntryFailure => ({
  ErrorCode: 'InvalidArgument',
  ErrorMessage: `Parameter ${name} is not valid. Reason: ${name} is a required argument.`,
});

/**
 * An entry EventBridge takes, or why it does not. `trusted` for Stratus's own services, which
 * publish their events under `aws.*` sources.
 */
export function checkEntry(
  entry: EventBridge.PutEventsRequestEntry,
  now: number,
  trusted: boolean,
): AcceptedEntry | EntryFailure {
  if (!entry.Source) return required('Source');
  if (!entry.DetailType) return required('DetailType');
  if (!entry.Detail) return required('Detail');
  if (!trusted && entry.Source.startsWith('aws.')) {
    return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
  }
  const detail = parseObject(entry.Detail);
  if (!detail) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  return {
    fields: {
      source: entry.Source,
      detailType: entry.DetailType,
      detail,
      resources: entry.Resources ?? [],
      time: entry.Time ? entry.Time.getTime() : now,
    },
    bus: entry.EventBusName,
    traceHeader: entry.TraceHeader,
  };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
