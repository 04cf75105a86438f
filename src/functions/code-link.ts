/**
 * Puts a function's extracted code into a spare environment's /var/task: the spare's sandbox
 * binds an empty directory there read-only, and the host fills that directory in. Files are hard
 * links (the code store and the environments live under one data directory), copied where the
 * file system refuses links; the tree is read-only to the function either way.
 */
import {
  copyFileSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
} from 'node:fs';
import { join } from 'node:path';

/** Entries in the tree under `dir` (files, directories, links), counting at most `limit + 1`. */
export function countEntries(dir: string, limit: number): number {
  let count = 0;
  const pending = [dir];
  while (pending.length > 0 && count <= limit) {
    const parent = pending.pop()!;
    for (const entry of readdirSync(parent, { withFileTypes: true })) {
      count++;
      if (entry.isDirectory()) pending.push(join(parent, entry.name));
    }
  }
  return count;
}

/** Recreates the tree under `from` inside the existing directory `to`. */
export function linkTree(from: string, to: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) {
      mkdirSync(target, { mode: lstatSync(source).mode & 0o7777 });
      linkTree(source, target);
    } else if (entry.isSymbolicLink()) {
      symlinkSync(readlinkSync(source), target);
    } else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}
