/**
 * A file the kernel generates on each read (procfs, cgroupfs), sampled through a descriptor kept
 * open: a read at offset 0 regenerates it. Memory is sampled after every invocation, and the open
 * and close of a plain `readFileSync` cost three times the read itself.
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** Reads are synchronous, so one buffer serves every file; larger files grow it. */
let buffer = Buffer.alloc(8192);

export class KernelFile {
  private fd: number | undefined;

  constructor(readonly path: string) {}

  /** The file's current content; throws when it is gone (the process ended, the group removed). */
  read(): string {
    this.fd ??= openSync(this.path, 'r');
    for (;;) {
      const length = readSync(this.fd, buffer, 0, buffer.length, 0);
      if (length < buffer.length) return buffer.toString('latin1', 0, length);
      buffer = Buffer.alloc(buffer.length * 2);
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
