import { describe, expect, it } from 'vitest';
import { FrameMeter, parseHeader } from './frame-meter.js';

/** A masked client frame with `length` payload bytes. */
function frame(opcode: number, length: number, fin = true): Buffer {
  const lengthBytes =
    length < 126 ? [length] : length < 65536 ? [126, length >> 8, length & 0xff] : undefined;
  const header = lengthBytes
    ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | lengthBytes[0]!, ...lengthBytes.slice(1)])
    : Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 127]), bigLength(length)]);
  return Buffer.concat([header, Buffer.from([1, 2, 3, 4]), Buffer.alloc(length, 0x61)]);
}

function bigLength(length: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(length));
  return bytes;
}

function meter(chunks: Buffer[]): [number, number][] {
  const seen: [number, number][] = [];
  const frames = new FrameMeter((bytes, opcode) => seen.push([opcode, bytes]));
  for (const chunk of chunks) frames.write(chunk);
  return seen;
}

describe('FrameMeter', () => {
  const stream = Buffer.concat([
    frame(1, 5),
    frame(2, 300),
    frame(9, 0),
    frame(0, 70_000, false),
    frame(1, 125),
  ]);
  const expected = [
    [1, 5],
    [2, 300],
    [9, 0],
    [0, 70_000],
    [1, 125],
  ];

  it('reads every frame of one chunk', () => {
    expect(meter([stream])).toEqual(expected);
  });

  it.each([1, 2, 3, 7, 13, 1000])('reads every frame when the bytes come %i at a time', (size) => {
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < stream.length; offset += size)
      chunks.push(stream.subarray(offset, offset + size));
    expect(meter(chunks)).toEqual(expected);
  });
});

describe('parseHeader', () => {
  it.each([
    ['a 7-bit length', frame(1, 10), { headerBytes: 6, opcode: 1, payloadBytes: 10 }],
    ['a 16-bit length', frame(2, 40_000), { headerBytes: 8, opcode: 2, payloadBytes: 40_000 }],
    ['a 64-bit length', frame(2, 70_000), { headerBytes: 14, opcode: 2, payloadBytes: 70_000 }],
    ['too few bytes', frame(2, 40_000).subarray(0, 7), undefined],
  ])('%s', (_name, bytes, expected) => {
    expect(parseHeader(bytes)).toEqual(expected);
  });
});
