/**
 * Document paths: the checks on how one is written, turning it into the attribute names and
 * indexes it stands for, the clash rules for paths that an update or a projection names
 * together, and how DynamoDB prints one in its messages (`[a, b, [3]]`).
 */
import type { DocumentPath } from './ast.js';
import { ExpressionError } from './errors.js';
import type { Placeholders } from './placeholders.js';
import { isReservedWord } from './reserved-words.js';
import type { PathNode } from './syntax.js';

/** DynamoDB documents nest 32 levels, so no path is longer. */
const MAX_PATH_DEPTH = 32;
/** List indexes are Java ints. */
const MAX_LIST_INDEX = 2147483647;

/** What can be told from a path as written: reserved words and indexes out of range. */
export function checkPathWording(path: PathNode): void {
  for (const step of path.steps) {
    if (step.kind === 'index' && (step.text.length > 10 || Number(step.text) > MAX_LIST_INDEX)) {
      throw new ExpressionError(`List index is not within the allowable range; index: [${step.text}]`);
    }
    if (step.kind === 'name' && isReservedWord(step.name)) {
      throw new ExpressionError(`Attribute name is a reserved keyword; reserved keyword: ${step.name}`);
    }
  }
}

/** The path with its `#names` replaced by the attribute names they stand for. */
export function resolvePath(path: PathNode, placeholders: Placeholders): DocumentPath {
  const elements = path.steps.map((step) => {
    if (step.kind === 'index') return Number(step.text);
    return step.kind === 'name' ? step.name : placeholders.name(step.name);
  });
  if (elements.length > MAX_PATH_DEPTH) {
    throw new ExpressionError(
      `The document path has too many nesting levels; nesting levels: ${elements.length}`,
    );
  }
  return elements as unknown as DocumentPath;
}

/** A path as DynamoDB's messages print it: `[a, b, [3]]`. */
export function pathText(path: DocumentPath): string {
  return `[${path.map((element) => (typeof element === 'number' ? `[${element}]` : element)).join(', ')}]`;
}

export function samePath(a: DocumentPath, b: DocumentPath): boolean {
  return a.length === b.length && a.every((element, i) => element === b[i]);
}

/**
 * Refuses paths that an update or projection may not name together: one inside (or equal to)
 * another, or one attribute used as a map by one path and as a list by another. An overlap
 * anywhere is reported before a conflict, each naming the earlier path first.
 */
export function checkPathsApart(paths: readonly DocumentPath[]): void {
  let conflict: string | undefined;
  for (let later = 1; later < paths.length; later++) {
    for (let earlier = 0; earlier < later; earlier++) {
      const one = paths[earlier] as DocumentPath;
      const two = paths[later] as DocumentPath;
      const clash = compare(one, two);
      const pair = `must remove or rewrite one of these paths; path one: ${pathText(one)}, path two: ${pathText(two)}`;
      if (clash === 'overlap') {
        throw new ExpressionError(`Two document paths overlap with each other; ${pair}`);
      }
      if (clash === 'conflict') conflict ??= `Two document paths conflict with each other; ${pair}`;
    }
  }
  if (conflict !== undefined) throw new ExpressionError(conflict);
}

function compare(one: DocumentPath, two: DocumentPath): 'overlap' | 'conflict' | 'apart' {
  const shorter = Math.min(one.length, two.length);
  for (let i = 0; i < shorter; i++) {
    if (typeof one[i] !== typeof two[i]) return 'conflict';
    if (one[i] !== two[i]) return 'apart';
  }
  return 'overlap';
}
