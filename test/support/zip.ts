/** Builds deployment packages in memory for Lambda tests. */
import yazl from 'yazl';

export type ZipEntry = string | Buffer | { content: string | Buffer; mode?: number };

export function zipOf(files: Record<string, ZipEntry>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, entry] of Object.entries(files)) {
    const spec = typeof entry === 'string' || Buffer.isBuffer(entry) ? { content: entry } : entry;
    zip.addBuffer(Buffer.from(spec.content), name, { mode: spec.mode ?? 0o100644 });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}
