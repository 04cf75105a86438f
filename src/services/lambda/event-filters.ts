/**
 * Lambda event filtering (`FilterCriteria`) for event source mappings, on EventBridge's pattern
 * language (src/patterns/) — pure, so the SQS poller and the stream pollers share it.
 *
 * A mapping takes up to five filters, each a `Pattern` in the dialect event sources take (no
 * wildcards, no `anything-but` of prefixes, suffixes, ignore-case values or wildcards); any pattern
 * Lambda cannot use is refused with one message, `Invalid filter pattern definition.`. A record is
 * delivered when any filter matches it and dropped otherwise.
 *
 * A record is filtered as the function would receive it, minus `eventSource`, `eventSourceARN` and
 * `awsRegion`, with its data field (`body` for SQS, `data` for Kinesis, `dynamodb` for DynamoDB)
 * read as JSON when it is JSON. Lambda then insists that pattern and data agree on their format: a
 * pattern that tests the data field as a plain value (`{"body": ["hi"]}`) drops records whose data
 * is JSON, and one that reaches into it (`{"body": {"kind": ["a"]}}`) drops records whose data is
 * not; a pattern that does not mention the data field filters on the other fields alone.
 */
import type * as Lambda from '@aws-sdk/client-lambda';
import {
  branchMatches,
  compilePattern,
  flatten,
  InvalidPatternError,
  type EventPattern,
  type PatternBranch,
} from '../../patterns/index.js';
import { InvalidParameterValueException } from './errors.js';

/** Lambda's default quota of filters per event source mapping. */
export const maxFilters = 5;

const invalidPattern = () => new InvalidParameterValueException('Invalid filter pattern definition.');

/**
 * Checks FilterCriteria from CreateEventSourceMapping/UpdateEventSourceMapping and returns what to
 * keep: undefined when it names no filters (`{}` or `{"Filters": []}` clears them).
 */
export function checkFilterCriteria(criteria: Lambda.FilterCriteria): Lambda.FilterCriteria | undefined {
  const filters = criteria.Filters ?? [];
  if (filters.length === 0) return undefined;
  if (filters.length > maxFilters) {
    throw new InvalidParameterValueException(
      `The number of filters in FilterCriteria must be at most ${maxFilters}.`,
    );
  }
  for (const { Pattern } of filters) {
    if (Pattern === undefined) throw invalidPattern();
    try {
      compilePattern(Pattern, { dialect: 'event-source' });
    } catch (err) {
      if (err instanceof InvalidPatternError) throw invalidPattern();
      throw err;
    }
  }
  return { Filters: filters.map(({ Pattern }) => ({ Pattern: Pattern! })) };
}

/** The patterns of stored, already checked FilterCriteria. */
export function compileFilters(criteria: Lambda.FilterCriteria | undefined): EventPattern[] {
  return (criteria?.Filters ?? []).map(({ Pattern }) =>
    compilePattern(Pattern!, { dialect: 'event-source' }),
  );
}

export type DataFormat = 'plain' | 'json';

/** How a branch tests the data field: as a plain value, by reaching into it, or not at all. */
function dataFormats(branch: PatternBranch, dataKey: string): Set<DataFormat> {
  const formats = new Set<DataFormat>();
  for (const { path } of branch.fields) {
    // Joined as the matcher names fields: `{"body.kind": …}` reaches into `body` too.
    const name = path.join('.');
    if (name === dataKey) formats.add('plain');
    else if (name.startsWith(`${dataKey}.`)) formats.add('json');
  }
  return formats;
}

/** The formats a pattern expects of the data field (streams refuse a plain one at create time). */
export function patternDataFormats(pattern: EventPattern, dataKey: string): Set<DataFormat> {
  return new Set(pattern.branches.flatMap((branch) => [...dataFormats(branch, dataKey)]));
}

/**
 * Whether a record passes the filters: there are none, or one matches.
 *
 * @param record the record as filtered (see above), its `dataKey` field parsed when `dataFormat` is `json`
 */
export function recordMatches(
  filters: readonly EventPattern[],
  record: Record<string, unknown>,
  dataKey: string,
  dataFormat: DataFormat,
): boolean {
  if (filters.length === 0) return true;
  const event = flatten(record);
  return filters.some((pattern) =>
    pattern.branches.some((branch) => {
      const formats = dataFormats(branch, dataKey);
      return [...formats].every((f) => f === dataFormat) && branchMatches(branch, event);
    }),
  );
}

/** Reads a data field's text as Lambda does before filtering: JSON when it parses as JSON. */
export function readData(text: string): { value: unknown; format: DataFormat } {
  try {
    return { value: JSON.parse(text) as unknown, format: 'json' };
  } catch {
    return { value: text, format: 'plain' };
  }
}
