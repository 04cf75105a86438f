/**
 * Checks a parsed ProjectionExpression and compiles it to its document paths: reserved words and
 * list indexes first, then `#names`, then paths that overlap or conflict.
 */
import type { DocumentPath } from './ast.js';
import { checkPathsApart, checkPathWording, resolvePath } from './paths.js';
import type { Placeholders } from './placeholders.js';
import type { PathNode } from './syntax.js';

export function compileProjection(nodes: PathNode[], placeholders: Placeholders): DocumentPath[] {
  for (const node of nodes) checkPathWording(node);
  const paths = nodes.map((node) => resolvePath(node, placeholders));
  checkPathsApart(paths);
  return paths;
}
