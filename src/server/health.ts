/** `GET /_stratus/health`: is this server up, what runs in it. */
import type { WireResponse } from '../protocol/wire.js';

export interface HealthReport {
  status: 'ok';
  version: string;
  uptimeSeconds: number;
  store: { engine: 'sqlite' | 'postgres' };
  services: Record<string, { protocols: string[]; apiVersion: string }>;
  accountId: string;
  region: string;
}

export function jsonResponse(status: number, value: unknown): WireResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}
