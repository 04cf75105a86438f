/**
 * EventBridge's event-pattern language, once for every service that filters events with it:
 * EventBridge rules, Lambda's `FilterCriteria` (and, where semantics agree, SNS filter policies).
 *
 *   const pattern = compilePattern('{"detail": {"state": [{"anything-but": "running"}]}}');
 *   matches(pattern, event); // event: a parsed JSON value
 *
 * `compilePattern` refuses what EventBridge refuses, throwing InvalidPatternError whose message is
 * EventBridge's reason (EventBridge answers `InvalidEventPatternException` with
 * `Event pattern is not valid. Reason: <message>`). The `event-source` dialect is the narrower set
 * Lambda event source mappings and EventBridge Pipes take: no `wildcard`, and `anything-but` only
 * of values, not of prefixes, suffixes, ignore-case values or wildcards.
 */
import { compileBranches, InvalidPatternError, type PatternBranch, type PatternField } from './compile.js';
import { branchMatches, flatten } from './match.js';
import { maxComplexity, wildcardComplexity } from './wildcard.js';

export { InvalidPatternError, type PatternBranch, type PatternField };
export { branchMatches, flatten, type FlatEvent } from './match.js';
export { matchesLeaf, type Condition, type LeafCondition, type Leaf } from './conditions.js';
export { cidrRange, ipBytesIfAddress } from './ip.js';

export type PatternDialect = 'event-bus' | 'event-source';

export interface EventPattern {
  /** The pattern as given (serialized, when given as an object). */
  readonly source: string;
  /** Its `$or` alternatives; the pattern matches when one of them does. */
  readonly branches: readonly PatternBranch[];
}

const tooComplex =
  'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';

export function compilePattern(
  pattern: string | object,
  options: { dialect?: PatternDialect } = {},
): EventPattern {
  const source = typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
  const branches = compileBranches(source);
  if (options.dialect === 'event-source') refuseEventBusOnly(branches);
  checkComplexity(branches);
  return { source, branches };
}

export function matches(pattern: EventPattern, event: unknown): boolean {
  const flat = flatten(event);
  return pattern.branches.some((branch) => branchMatches(branch, flat));
}

function refuseEventBusOnly(branches: readonly PatternBranch[]): void {
  for (const { fields } of branches) {
    for (const { conditions } of fields) {
      for (const { kind } of conditions) {
        if (kind === 'wildcard') throw new InvalidPatternError('Unrecognized match type wildcard');
        if (kind.startsWith('anything-but-')) {
          throw new InvalidPatternError(
            `Unsupported anything-but pattern: ${kind.slice('anything-but-'.length)}`,
          );
        }
      }
    }
  }
}

/** EventBridge's limit on wildcards, field by field over the branches that use them. */
function checkComplexity(branches: readonly PatternBranch[]): void {
  const byField = new Map<string, Set<string>>();
  for (const { fields } of branches) {
    for (const { path, conditions } of fields) {
      for (const condition of conditions) {
        const values =
          condition.kind === 'wildcard'
            ? [condition.value]
            : condition.kind === 'anything-but-wildcard'
              ? condition.values
              : [];
        if (values.length === 0) continue;
        const key = JSON.stringify(path);
        const set = byField.get(key) ?? new Set<string>();
        for (const value of values) set.add(value);
        byField.set(key, set);
      }
    }
  }
  for (const values of byField.values()) {
    if (wildcardComplexity([...values]) > maxComplexity) throw new InvalidPatternError(tooComplex);
  }
}
