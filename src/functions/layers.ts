/**
 * Layers merged into one directory for /opt, as Lambda extracts them in order (a later layer's
 * file replaces an earlier one's; directories merge). The merge is made of hard links, so it costs
 * a directory walk, not a copy, and it is shared by every environment of every function that uses
 * the same layers in the same order. A single layer is used as it is.
 */
import {
  copyFileSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export class LayerMerges {
  private readonly merged = new Map<string, { dir: string; users: number }>();

  constructor(private readonly workDir: string) {}

  /** The directory to mount at /opt for these layers (undefined: an empty /opt). */
  acquire(layerDirs: readonly string[]): string | undefined {
    if (layerDirs.length === 0) return undefined;
    if (layerDirs.length === 1) return layerDirs[0];
    const key = createHash('sha256').update(JSON.stringify(layerDirs)).digest('hex').slice(0, 24);
    const existing = this.merged.get(key);
    if (existing) {
      existing.users++;
      return existing.dir;
    }
    const dir = join(this.workDir, 'layers', key);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    for (const layer of layerDirs) mergeInto(layer, dir);
    this.merged.set(key, { dir, users: 1 });
    return dir;
  }

  release(dir: string | undefined): void {
    for (const [key, entry] of this.merged) {
      if (entry.dir !== dir) continue;
      if (--entry.users === 0) {
        this.merged.delete(key);
        rmSync(dir, { recursive: true, force: true });
      }
      return;
    }
  }
}

function mergeInto(from: string, to: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    const existing = lstatOrUndefined(target);
    if (entry.isDirectory()) {
      if (existing && !existing.isDirectory()) unlinkSync(target);
      if (!existing?.isDirectory()) mkdirSync(target, { mode: lstatSync(source).mode & 0o7777 });
      mergeInto(source, target);
      continue;
    }
    if (existing) rmSync(target, { recursive: true, force: true });
    if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else {
      try {
        linkSync(source, target);
      } catch {
        // Another filesystem, or links to files we do not own are forbidden: copy instead.
        copyFileSync(source, target);
      }
    }
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
