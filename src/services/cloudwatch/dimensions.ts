/**
 * A metric's identity: namespace, name and the full set of its dimensions. CloudWatch treats each
 * distinct dimension set as a separate metric, whatever order the dimensions were given in, so the
 * set is kept sorted by name and the identity hashed into one key.
 */
import { createHash } from 'node:crypto';
import type { Dimension } from '@aws-sdk/client-cloudwatch';
import { InvalidParameterValueException } from './errors.js';
import type { NewMetric } from './tables.js';

export type DimensionPairs = (readonly [string, string])[];

/** The dimensions as sorted `[name, value]` pairs; refuses a name given twice, as AWS does. */
export function canonicalDimensions(dimensions: readonly Dimension[] | undefined): DimensionPairs {
  const pairs = (dimensions ?? []).map((d) => [d.Name ?? '', d.Value ?? ''] as const);
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 1; i < pairs.length; i++) {
    if (pairs[i]![0] === pairs[i - 1]![0]) {
      throw new InvalidParameterValueException('No Metric may specify the same dimension twice.');
    }
  }
  return pairs;
}

export function metricKey(namespace: string, metricName: string, dimensions: DimensionPairs): string {
  return createHash('sha256')
    .update(JSON.stringify([namespace, metricName, dimensions]))
    .digest('hex');
}

export function newMetric(
  namespace: string,
  metricName: string,
  dimensions: readonly Dimension[] | undefined,
): NewMetric {
  const pairs = canonicalDimensions(dimensions);
  return { key: metricKey(namespace, metricName, pairs), namespace, metricName, dimensions: pairs };
}

/** Stored pairs back to the API's `[{ Name, Value }]`. */
export function dimensionList(stored: string): Dimension[] {
  return (JSON.parse(stored) as [string, string][]).map(([Name, Value]) => ({ Name, Value }));
}
