/**
 * The account's SMS settings (SetSMSAttributes / GetSMSAttributes). Stratus sends no text
 * messages — they go to the SMS outbox — so no number is ever opted out.
 */
import type { Store } from '../../storage/store.js';
import { invalidParameter } from './errors.js';
import { smsAttributeQueries, type Region } from './tables.js';

const smsAttributeNames = new Set([
  'MonthlySpendLimit',
  'DeliveryStatusIAMRole',
  'DeliveryStatusSuccessSamplingRate',
  'DefaultSenderID',
  'DefaultSMSType',
  'UsageReportS3Bucket',
]);

export class SmsSettings {
  constructor(private readonly store: Store) {}

  async set(at: Region, attributes: Record<string, string>): Promise<void> {
    for (const [name, value] of Object.entries(attributes)) {
      if (!smsAttributeNames.has(name)) throw invalidParameter(`${name} is not a valid attribute`);
      if (name === 'DefaultSMSType' && value !== 'Promotional' && value !== 'Transactional') {
        throw invalidParameter('DefaultSMSType Reason: must be Promotional or Transactional');
      }
      if (name === 'MonthlySpendLimit' && !/^\d+$/.test(value)) throw invalidParameter('MonthlySpendLimit');
    }
    await this.store.transaction(async (tx) => {
      const current = await smsAttributeQueries.get(tx, at);
      await smsAttributeQueries.put(tx, at, { ...current, ...attributes });
    });
  }

  async get(at: Region, names: string[] | undefined): Promise<Record<string, string>> {
    const all = await smsAttributeQueries.get(this.store, at);
    if (!names || names.length === 0) return all;
    return Object.fromEntries(names.filter((n) => all[n] !== undefined).map((n) => [n, all[n]!]));
  }
}
