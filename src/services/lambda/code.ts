/**
 * Deployment packages (.zip) of functions and layers. A package is checked against Lambda's size
 * limits, kept in the blob store under its SHA-256, and extracted once to
 * `<dataDir>/lambda/code/<sha256hex>/` with its unix modes (an executable `bootstrap` stays
 * executable). Extraction goes to a temporary directory renamed into place, so a directory under
 * its hash is always complete; any node can rebuild it from the blob.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm, stat, symlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import type { BlobStore } from '../../storage/blobs.js';
import { isServiceError } from '../../protocol/errors.js';
import { InvalidParameterValueException, RequestEntityTooLargeException } from './errors.js';

/** Lambda's package limits, as GetAccountSettings reports them. */
export const codeLimits = {
  zipped: 52_428_800,
  unzipped: 262_144_000,
  totalStorage: 80_530_636_800,
} as const;

/** A package accepted by `CodeStore.accept`: pinned until `release()` (idempotent). */
export interface AcceptedCode extends CodePackage {
  release(): void;
}

export interface CodePackage {
  /** Hex SHA-256 of the zip: names its blob and its directory. */
  sha256: string;
  /** Bytes of the zip (Lambda's CodeSize). */
  size: number;
  /** Sum of the files' uncompressed sizes. */
  unzippedSize: number;
}

/** Lambda reports CodeSha256 as the base64 of the zip's SHA-256 digest. */
export function codeSha256Base64(sha256Hex: string): string {
  return Buffer.from(sha256Hex, 'hex').toString('base64');
}

const unzipFailed = () =>
  new InvalidParameterValueException(
    'Could not unzip uploaded file. Please check your file, then try to upload again.',
  );

const zipOptions = { lazyEntries: true, validateEntrySizes: true, strictFileNames: false } as const;

const fileTypeMask = 0o170000;
const symlinkType = 0o120000;
const madeByUnix = 3;

/** The entry's unix mode (type and permission bits), when the zip was made on unix. */
function unixMode(entry: yauzl.Entry): number | undefined {
  if (entry.versionMadeBy >> 8 !== madeByUnix) return undefined;
  const mode = entry.externalFileAttributes >>> 16;
  return mode === 0 ? undefined : mode;
}

export class CodeStore {
  private readonly extracting = new Map<string, Promise<string>>();
  /** Packages accepted by operations that have not committed yet: cleanup leaves them alone. */
  private readonly pins = new Map<string, number>();

  constructor(
    private readonly blobs: BlobStore,
    /** `<dataDir>/lambda/code` */
    private readonly root: string,
    /** Deletes blobs no longer named (another service may hold the same bytes: S3). */
    private readonly releaseBlobs: (hashes: string[]) => Promise<void> = async (hashes) => {
      for (const hash of hashes) await blobs.delete(hash);
    },
  ) {}

  /**
   * Checks a package against the zipped and unzipped limits (`otherUnzippedBytes`: the layers it
   * runs with) and keeps it in the blob store, pinned until the caller releases it (once the row
   * naming it has committed, or the operation failed). Extraction is `ensureExtracted`.
   */
  async accept(zip: Buffer, otherUnzippedBytes = 0): Promise<AcceptedCode> {
    if (zip.length > codeLimits.zipped) {
      throw new RequestEntityTooLargeException(`Zipped size must be smaller than ${codeLimits.zipped} bytes`);
    }
    let unzippedSize = 0;
    try {
      const zipfile = await yauzl.fromBufferPromise(zip, zipOptions);
      try {
        for await (const entry of zipfile.eachEntry()) unzippedSize += entry.uncompressedSize;
      } finally {
        zipfile.close();
      }
    } catch {
      throw unzipFailed();
    }
    const allowed = codeLimits.unzipped - otherUnzippedBytes;
    if (unzippedSize > allowed) {
      throw new InvalidParameterValueException(`Unzipped size must be smaller than ${allowed} bytes`);
    }
    const sha256 = createHash('sha256').update(zip).digest('hex');
    this.pins.set(sha256, (this.pins.get(sha256) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = this.pins.get(sha256)! - 1;
      if (left > 0) this.pins.set(sha256, left);
      else this.pins.delete(sha256);
    };
    try {
      await this.blobs.put(zip);
    } catch (error) {
      release();
      throw error;
    }
    return { sha256, size: zip.length, unzippedSize, release };
  }

  isPinned(sha256: string): boolean {
    return this.pins.has(sha256);
  }

  /** Packages accepted by operations that have not committed yet. */
  pinned(): Iterable<string> {
    return this.pins.keys();
  }

  /**
   * Removes the extracted directories of packages not in `keep` (nor pinned) after a reset or a
   * snapshot load; their blobs go with Stratus's own clean-up. A package loaded later is
   * extracted again from its blob when it first runs.
   */
  async removeExtractedExcept(keep: ReadonlySet<string>): Promise<void> {
    const entries = await readdir(this.root).catch(() => [] as string[]);
    for (const name of entries) {
      if (/^[0-9a-f]{64}$/.test(name) && !keep.has(name) && !this.pins.has(name)) {
        await rm(join(this.root, name), { recursive: true, force: true });
      }
    }
  }

  /** The package's extracted directory, extracting it from its blob first if this node lacks it. */
  ensureExtracted(sha256: string): Promise<string> {
    let pending = this.extracting.get(sha256);
    if (!pending) {
      pending = this.extractOnce(sha256).finally(() => this.extracting.delete(sha256));
      this.extracting.set(sha256, pending);
    }
    return pending;
  }

  dirOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`Invalid code hash: ${sha256}`);
    return join(this.root, sha256);
  }

  /** Drops the package's directory and releases its blob (callers check nothing here uses or pins it). */
  async remove(sha256: string): Promise<void> {
    await rm(this.dirOf(sha256), { recursive: true, force: true });
    await this.releaseBlobs([sha256]);
  }

  /** The package's bytes, for the download route behind GetFunction's `Code.Location`. */
  read(sha256: string): Readable {
    return this.blobs.stream(sha256);
  }

  private async extractOnce(sha256: string): Promise<string> {
    const target = this.dirOf(sha256);
    if (await exists(target)) return target;
    const temp = join(this.root, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    await mkdir(temp, { recursive: true });
    try {
      await extractZip(await this.blobs.get(sha256), temp);
      try {
        await rename(temp, target);
      } catch (error) {
        // Another extraction of the same package won the race: its directory is just as good.
        if (!(await exists(target))) throw error;
      }
      return target;
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }
}

/**
 * Writes every entry under `root`. Paths that would leave `root` are refused. Symlinks are created
 * last, so no file is ever written through one (their targets may point anywhere, e.g. into
 * `/opt`, as in Lambda: they resolve inside the sandbox).
 */
async function extractZip(zip: Buffer, root: string): Promise<void> {
  const dirModes: [string, number][] = [];
  const links: [path: string, target: string][] = [];
  const zipfile = await yauzl.fromBufferPromise(zip, zipOptions).catch(() => {
    throw unzipFailed();
  });
  try {
    for await (const entry of zipfile.eachEntry()) {
      const path = resolve(root, entry.fileName);
      if (path !== root && !path.startsWith(root + sep)) {
        throw new InvalidParameterValueException(
          `Could not unzip uploaded file: entry '${entry.fileName}' would be written outside the package.`,
        );
      }
      const mode = unixMode(entry);
      if (entry.fileName.endsWith('/')) {
        await mkdir(path, { recursive: true });
        // The owner keeps full access so that Stratus can delete the directory later.
        dirModes.push([path, ((mode ?? 0o755) & 0o777) | 0o700]);
        continue;
      }
      const stream = await zipfile.openReadStreamPromise(entry);
      if (mode !== undefined && (mode & fileTypeMask) === symlinkType) {
        links.push([path, (await readAll(stream)).toString('utf8')]);
        continue;
      }
      await mkdir(dirname(path), { recursive: true });
      await pipeline(stream, createWriteStream(path));
      // Set after writing: modes given to open() are filtered by the umask. No setuid/setgid bits.
      await chmod(path, (mode ?? 0o644) & 0o777);
    }
  } catch (error) {
    // File-system failures (a full disk) keep their cause; anything else is a broken archive.
    if (isServiceError(error) || (error as NodeJS.ErrnoException).syscall !== undefined) throw error;
    throw unzipFailed();
  } finally {
    zipfile.close();
  }
  for (const [path, target] of links) {
    await mkdir(dirname(path), { recursive: true });
    await symlink(target, path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
      throw new InvalidParameterValueException(
        `Could not unzip uploaded file: '${path.slice(root.length + 1)}' is both a symlink and a file or directory.`,
      );
    });
  }
  dirModes.sort(([a], [b]) => b.length - a.length);
  for (const [path, mode] of dirModes) await chmod(path, mode);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
