/**
 * PutMetricData's rules: which namespaces, values, timestamps and combinations CloudWatch accepts,
 * with its error messages. Turns an accepted request into metrics and datapoints to store.
 */
import type { MetricDatum, PutMetricDataInput, StatisticSet } from '@aws-sdk/client-cloudwatch';
import {
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  MissingRequiredParameterException,
} from './errors.js';
import { newMetric } from './dimensions.js';
import type { StoredDatapoint } from './statistics.js';
import type { NewMetric } from './tables.js';

const MAX_METRIC_DATA = 1000;
const MAX_VALUES = 150;
/** AWS refuses values beyond ±2^360. */
const MAX_MAGNITUDE = 2 ** 360;
const MINUTE = 60_000;
const TWO_HOURS = 2 * 3600_000;
const TWO_WEEKS = 14 * 24 * 3600_000;

/** One datum ready to store: its metric, and the samples as the statistics module reads them. */
export interface AcceptedDatum {
  metric: NewMetric;
  storageResolution: number;
  point: StoredDatapoint & { unit: string };
}

/** The datums of a request, with the parameter name AWS uses for each (`MetricData.member.3`). */
function datumsOf(input: PutMetricDataInput): { datum: MetricDatum; name: string }[] {
  const datums = (input.MetricData ?? []).map((datum, i) => ({ datum, name: `MetricData.member.${i + 1}` }));
  (input.EntityMetricData ?? []).forEach((entity, i) =>
    (entity.MetricData ?? []).forEach((datum, j) =>
      datums.push({ datum, name: `EntityMetricData.member.${i + 1}.MetricData.member.${j + 1}` }),
    ),
  );
  return datums;
}

/** `AWS/` namespaces belong to AWS's own services: only Stratus's services may write them. */
export function acceptMetricData(
  input: PutMetricDataInput,
  now: number,
  options: { awsNamespacesAllowed: boolean },
): AcceptedDatum[] {
  const namespace = input.Namespace!;
  if (namespace.startsWith('AWS/') && !options.awsNamespacesAllowed) {
    throw new InvalidParameterValueException('The value AWS/ for parameter Namespace is invalid.');
  }
  const datums = datumsOf(input);
  if (datums.length === 0)
    throw new MissingRequiredParameterException('The parameter MetricData is required.');
  if (datums.length > MAX_METRIC_DATA) {
    throw new InvalidParameterValueException(
      `The collection MetricData must not have a size greater than ${MAX_METRIC_DATA}.`,
    );
  }
  return datums.map(({ datum, name }) => acceptDatum(namespace, datum, name, now));
}

function acceptDatum(namespace: string, datum: MetricDatum, name: string, now: number): AcceptedDatum {
  const values = datum.Values?.length ? datum.Values : undefined;
  const statisticValues = datum.StatisticValues;
  if (datum.Value !== undefined && values) {
    throw new InvalidParameterCombinationException(
      `The parameters ${name}.Value and ${name}.Values are mutually exclusive and you have specified both.`,
    );
  }
  if (datum.Value !== undefined && statisticValues) {
    throw new InvalidParameterCombinationException(
      `The parameters ${name}.Value and ${name}.StatisticValues are mutually exclusive and you have specified both.`,
    );
  }
  if (datum.Value === undefined && !values && !statisticValues) {
    throw new MissingRequiredParameterException(
      `At least one of the parameters ${name}.Value, ${name}.Values or ${name}.StatisticValues must be specified.`,
    );
  }
  const point: AcceptedDatum['point'] = {
    timestamp: acceptTimestamp(datum.Timestamp, `${name}.Timestamp`, now),
    unit: datum.Unit ?? 'None',
  };
  if (datum.Value !== undefined) {
    point.values = [{ value: checkValue(datum.Value, `${name}.Value`), count: 1 }];
  }
  if (values) point.values = acceptValues(values, datum.Counts, name);
  if (statisticValues) point.statisticSet = acceptStatisticSet(statisticValues, `${name}.StatisticValues`);

  const storageResolution = datum.StorageResolution ?? 60;
  if (storageResolution !== 1 && storageResolution !== 60) {
    throw new InvalidParameterValueException(
      `The value ${storageResolution} for parameter ${name}.StorageResolution is invalid.`,
    );
  }
  // Standard resolution is stored at one-minute granularity.
  if (storageResolution === 60) point.timestamp = Math.floor(point.timestamp / MINUTE) * MINUTE;
  return { metric: newMetric(namespace, datum.MetricName!, datum.Dimensions), storageResolution, point };
}

function acceptTimestamp(timestamp: Date | undefined, name: string, now: number): number {
  if (timestamp === undefined) return now;
  const ms = timestamp.getTime();
  if (now - ms > TWO_WEEKS) {
    throw new InvalidParameterValueException(
      `The parameter ${name} must specify a time within the past two weeks.`,
    );
  }
  if (ms - now > TWO_HOURS) {
    throw new InvalidParameterValueException(
      `The parameter ${name} must specify a time no more than two hours in the future.`,
    );
  }
  return ms;
}

/** Special values (NaN, ±Infinity) and magnitudes beyond 2^360 are refused. */
function checkValue(value: number, name: string): number {
  if (!Number.isFinite(value) || Math.abs(value) > MAX_MAGNITUDE) {
    throw new InvalidParameterValueException(`The value ${value} for parameter ${name} is invalid.`);
  }
  return value;
}

function acceptValues(
  values: number[],
  counts: number[] | undefined,
  name: string,
): { value: number; count: number }[] {
  if (values.length > MAX_VALUES) {
    throw new InvalidParameterValueException(
      `The collection ${name}.Values must not have a size greater than ${MAX_VALUES}.`,
    );
  }
  if (counts?.length && counts.length !== values.length) {
    throw new InvalidParameterValueException(
      `The parameters ${name}.Values and ${name}.Counts must be of the same size.`,
    );
  }
  return values.map((value, i) => {
    const count = counts?.length ? counts[i]! : 1;
    if (!Number.isFinite(count) || count < 0) {
      throw new InvalidParameterValueException(
        `The value ${count} for parameter ${name}.Counts.member.${i + 1} is invalid.`,
      );
    }
    return { value: checkValue(value, `${name}.Values.member.${i + 1}`), count };
  });
}

function acceptStatisticSet(set: StatisticSet, name: string): NonNullable<StoredDatapoint['statisticSet']> {
  const accepted = {
    sampleCount: checkValue(set.SampleCount!, `${name}.SampleCount`),
    sum: checkValue(set.Sum!, `${name}.Sum`),
    minimum: checkValue(set.Minimum!, `${name}.Minimum`),
    maximum: checkValue(set.Maximum!, `${name}.Maximum`),
  };
  if (accepted.maximum < accepted.minimum) {
    throw new InvalidParameterValueException(
      `The parameter ${name}.Maximum must be greater than ${name}.Minimum.`,
    );
  }
  if (accepted.sampleCount <= 0) {
    throw new InvalidParameterValueException(`The parameter ${name}.SampleCount must be greater than 0.`);
  }
  return accepted;
}
