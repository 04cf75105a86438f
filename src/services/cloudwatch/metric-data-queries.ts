/**
 * GetMetricData's request rules: query ids, MetricStat or Expression, periods, statistics and the
 * time range, refused with the `ValidationError`s AWS answers for this operation.
 */
import type { GetMetricDataInput, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { MissingRequiredParameterException, ValidationError } from './errors.js';
import { isValidStat, validatePeriod } from './statistics.js';

const MAX_QUERIES = 500;
const ID_PATTERN = /^[a-z][a-zA-Z0-9_]*$/;

export function validateMetricDataQueries(input: GetMetricDataInput): MetricDataQuery[] {
  const queries = input.MetricDataQueries ?? [];
  if (queries.length === 0) {
    throw new MissingRequiredParameterException('The parameter MetricDataQueries is required.');
  }
  if (queries.length > MAX_QUERIES) {
    throw new ValidationError(
      `The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`,
    );
  }
  const badIds = queries.flatMap((q, i) =>
    ID_PATTERN.test(q.Id!)
      ? []
      : [
          `The value ${q.Id} for parameter MetricDataQueries.member.${i + 1}.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.`,
        ],
  );
  if (badIds.length > 0) throw new ValidationError(badIds.join('\n'));
  if (new Set(queries.map((q) => q.Id)).size !== queries.length) {
    throw new ValidationError('The values for parameter id in MetricDataQueries are not unique.');
  }
  queries.forEach((query, i) => validateQuery(query, `MetricDataQueries.member.${i + 1}`));
  if (!(input.StartTime!.getTime() < input.EndTime!.getTime())) {
    throw new ValidationError('The parameter StartTime must be less than the parameter EndTime.');
  }
  return queries;
}

function validateQuery(query: MetricDataQuery, name: string): void {
  const { MetricStat: stat, Expression: expression } = query;
  if (stat && expression !== undefined) {
    throw new ValidationError(
      `The parameters ${name}.Expression and ${name}.MetricStat are mutually exclusive and you have specified both.`,
    );
  }
  if (!stat && expression === undefined) {
    throw new ValidationError(
      `Exactly one of the parameters ${name}.Expression and ${name}.MetricStat must be specified.`,
    );
  }
  if (!stat) return;
  if (query.Period !== undefined) {
    throw new ValidationError(
      `The parameters ${name}.Period and ${name}.MetricStat are mutually exclusive and you have specified both.`,
    );
  }
  for (const member of ['Namespace', 'MetricName'] as const) {
    if (stat.Metric?.[member] === undefined) {
      throw new ValidationError(`The parameter ${name}.MetricStat.Metric.${member} is required.`);
    }
  }
  const periodError = validatePeriod(stat.Period!, `${name}.MetricStat.Period`);
  if (periodError) throw new ValidationError(periodError.message);
  if (!isValidStat(stat.Stat!)) {
    throw new ValidationError(`The value ${stat.Stat} for parameter ${name}.MetricStat.Stat is invalid.`);
  }
}
