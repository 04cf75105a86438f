/** `GET /_stratus/health`: is this server up, what runs in it. */

export interface HealthReport {
  status: 'ok';
  version: string;
  uptimeSeconds: number;
  store: { engine: 'sqlite' | 'postgres' };
  services: Record<string, { protocols: string[]; apiVersion: string }>;
  accountId: string;
  region: string;
}
