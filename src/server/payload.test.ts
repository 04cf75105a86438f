import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { payloadModeOf, readPayload, RequestPayload } from './payload.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function payload(body: string | Readable, headers: Record<string, string>) {
  let opened = 0;
  const mode = payloadModeOf(headers);
  const declared = headers['x-amz-decoded-content-length'];
  const stream = new RequestPayload(
    () => {
      opened++;
      return typeof body === 'string' ? Readable.from([Buffer.from(body)]) : body;
    },
    mode,
    declared === undefined ? undefined : Number(declared),
  );
  return { stream, opened: () => opened };
}

describe('streamed request payloads', () => {
  it('reads x-amz-content-sha256 as a hash, UNSIGNED-PAYLOAD or a STREAMING- mode', () => {
    expect(payloadModeOf({})).toEqual({ kind: 'unsigned' });
    expect(payloadModeOf({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' })).toEqual({ kind: 'unsigned' });
    expect(payloadModeOf({ 'x-amz-content-sha256': sha256('x').toUpperCase() })).toEqual({
      kind: 'sha256',
      sha256: sha256('x'),
    });
    expect(payloadModeOf({ 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' })).toEqual({
      kind: 'chunked',
      signed: false,
    });
    expect(payloadModeOf({ 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' })).toEqual({
      kind: 'chunked',
      signed: true,
    });
    expect(() => payloadModeOf({ 'x-amz-content-sha256': 'nonsense' })).toThrow(
      expect.objectContaining({ code: 'InvalidArgument' }),
    );
  });

  it('does not touch the connection until the body is first read', async () => {
    const { stream, opened } = payload('hello', {});
    expect(opened()).toBe(0);
    expect((await readPayload(stream, 100)).toString()).toBe('hello');
    expect(opened()).toBe(1);
  });

  it('passes a body whose SHA-256 matches the declared one', async () => {
    const { stream } = payload('hello', { 'x-amz-content-sha256': sha256('hello') });
    expect((await readPayload(stream, 100)).toString()).toBe('hello');
  });

  it('fails with XAmzContentSHA256Mismatch when the body is not what was declared', async () => {
    const { stream } = payload('hellO', { 'x-amz-content-sha256': sha256('hello') });
    await expect(readPayload(stream, 100)).rejects.toMatchObject({
      code: 'XAmzContentSHA256Mismatch',
      status: 400,
      fields: { ClientComputedContentSHA256: sha256('hello'), S3ComputedContentSHA256: sha256('hellO') },
    });
  });

  it('decodes aws-chunked bodies and keeps their trailing headers', async () => {
    const { stream } = payload('5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n', {
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-decoded-content-length': '5',
    });
    expect((await readPayload(stream, 100)).toString()).toBe('hello');
    expect(stream.trailers).toEqual({ 'x-amz-checksum-crc32': 'NhCmhg==' });
  });

  it('fails with IncompleteBody when the decoded length is not the declared one', async () => {
    const { stream } = payload('5\r\nhello\r\n0\r\n\r\n', {
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-decoded-content-length': '6',
    });
    await expect(readPayload(stream, 100)).rejects.toMatchObject({ code: 'IncompleteBody' });
  });

  it('fails when the connection breaks mid-body', async () => {
    const connection = new PassThrough();
    const { stream } = payload(connection, {});
    const read = readPayload(stream, 100);
    connection.write('hel');
    connection.destroy(new Error('aborted'));
    await expect(read).rejects.toThrow('aborted');
  });

  it('refuses a body read whole past the limit with MaxMessageLengthExceeded', async () => {
    const { stream } = payload('x'.repeat(101), {});
    await expect(readPayload(stream, 100)).rejects.toMatchObject({ code: 'MaxMessageLengthExceeded' });
  });
});
