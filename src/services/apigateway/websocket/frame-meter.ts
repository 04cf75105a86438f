/**
 * Measures the frames a client sends, for API Gateway's frame size limit (32 KB) apart from its
 * message limit (128 KB): the `ws` library bounds whole messages, not frames. It reads only frame
 * headers (RFC 6455 section 5.2) as the bytes go by and skips payloads; the library still parses
 * everything itself.
 */

const MAX_HEADER_BYTES = 14;

/** Feeds raw client bytes; `onFrame` gets each frame's opcode and payload length once its header is in. */
export class FrameMeter {
  private header = Buffer.alloc(0);
  /** Payload bytes of the current frame still to skip. */
  private skipping = 0;

  constructor(private readonly onFrame: (payloadBytes: number, opcode: number) => void) {}

  write(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.skipping > 0) {
        const skipped = Math.min(this.skipping, chunk.length - offset);
        this.skipping -= skipped;
        offset += skipped;
        continue;
      }
      // A header is at most 14 bytes; what is gathered so far plus what this chunk adds.
      const added = chunk.subarray(offset, offset + MAX_HEADER_BYTES - this.header.length);
      const gathered = Buffer.concat([this.header, added]);
      const parsed = parseHeader(gathered);
      if (!parsed) {
        this.header = gathered;
        offset += added.length;
        continue;
      }
      offset += parsed.headerBytes - this.header.length;
      this.header = Buffer.alloc(0);
      this.skipping = parsed.payloadBytes;
      this.onFrame(parsed.payloadBytes, parsed.opcode);
    }
  }
}

/** A frame header's length, opcode and payload length, once all of it is in `bytes`. */
export function parseHeader(
  bytes: Buffer,
): { headerBytes: number; opcode: number; payloadBytes: number } | undefined {
  if (bytes.length < 2) return undefined;
  const opcode = bytes[0]! & 0x0f;
  const masked = (bytes[1]! & 0x80) !== 0;
  const short = bytes[1]! & 0x7f;
  const lengthBytes = short === 126 ? 2 : short === 127 ? 8 : 0;
  const headerBytes = 2 + lengthBytes + (masked ? 4 : 0);
  if (bytes.length < headerBytes) return undefined;
  const payloadBytes =
    short === 126 ? bytes.readUInt16BE(2) : short === 127 ? Number(bytes.readBigUInt64BE(2)) : short;
  return { headerBytes, opcode, payloadBytes };
}
