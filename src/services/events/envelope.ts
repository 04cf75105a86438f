/**
 * The event as EventBridge delivers it: `version`, `id`, `detail-type`, `source`, `account`,
 * `time` (ISO 8601 to the second), `region`, `resources`, `detail`, in that order, and
 * `replay-name` on events a replay sends again. Pure.
 */
import type { Region } from './arns.js';

export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
  'replay-name'?: string;
}

/** What a PutEvents entry (or another service) says about an event. */
export interface EventFields {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
  resources: string[];
  /** Milliseconds since the epoch: the entry's `Time`, else when it arrived. */
  time: number;
}

export function envelope(id: string, fields: EventFields, from: Region): EventEnvelope {
  return {
    version: '0',
    id,
    'detail-type': fields.detailType,
    source: fields.source,
    account: from.accountId,
    time: eventTime(fields.time),
    region: from.region,
    resources: fields.resources,
    detail: fields.detail,
  };
}

/** `2026-11-01T12:00:00Z`: EventBridge writes event times without fractions of a second. */
export function eventTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
