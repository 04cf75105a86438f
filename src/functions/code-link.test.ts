import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countEntries, linkTree } from './code-link.js';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'stratus-code-link-'));
  mkdirSync(join(root, 'code/lib/deep'), { recursive: true });
  writeFileSync(join(root, 'code/index.mjs'), 'export const handler = 1;');
  writeFileSync(join(root, 'code/lib/deep/data.json'), '{}');
  symlinkSync('lib/deep/data.json', join(root, 'code/data.json'));
  mkdirSync(join(root, 'task'));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('code-link', () => {
  it('recreates a code tree with hard links, nested directories and symbolic links', () => {
    linkTree(join(root, 'code'), join(root, 'task'));
    expect(readFileSync(join(root, 'task/index.mjs'), 'utf8')).toBe('export const handler = 1;');
    expect(statSync(join(root, 'task/index.mjs')).ino).toBe(statSync(join(root, 'code/index.mjs')).ino);
    expect(readFileSync(join(root, 'task/lib/deep/data.json'), 'utf8')).toBe('{}');
    expect(readlinkSync(join(root, 'task/data.json'))).toBe('lib/deep/data.json');
  });

  it('counts every entry of a tree, and stops counting past the limit', () => {
    expect(countEntries(join(root, 'code'), 100)).toBe(5);
    expect(countEntries(join(root, 'code'), 1)).toBeGreaterThan(1);
  });
});
