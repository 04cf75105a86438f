/** `GET /_stratus/health`: is this server up, what runs in it. */
import type { ServiceHealth } from '../services/service.js';
import type { TimeReport } from './control/time.js';

export interface HealthReport {
  status: 'ok';
  version: string;
  uptimeSeconds: number;
  store: { engine: 'sqlite' | 'postgres' };
  services: Record<string, { protocols: string[]; apiVersion: string } & ServiceHealth>;
  accountId: string;
  region: string;
  /** Stratus's clock: moved by `stratus time`, else the host's. */
  time: TimeReport;
}
