/** Lambda's log lines and the framing of function output, byte for byte. */
import { describe, expect, it } from 'vitest';
import {
  LineSplitter,
  LogSink,
  logStreamName,
  platformLines,
  TelemetryDecoder,
  type LogEvent,
} from './invocation-logs.js';

describe('platform lines', () => {
  it('writes REPORT with tab-separated fields and a trailing tab, Init Duration only when given', () => {
    const fields = {
      requestId: 'id',
      durationMs: 12.345,
      billedDurationMs: 13,
      memorySizeMb: 128,
      maxMemoryUsedMb: 45,
    };
    expect(platformLines.report(fields)).toBe(
      'REPORT RequestId: id\tDuration: 12.35 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 45 MB\t\n',
    );
    expect(platformLines.report({ ...fields, initDurationMs: 110.123 })).toBe(
      'REPORT RequestId: id\tDuration: 12.35 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 45 MB\tInit Duration: 110.12 ms\t\n',
    );
    expect(
      platformLines.report({ ...fields, status: { status: 'error', errorType: 'Runtime.ExitError' } }),
    ).toMatch(/\tMax Memory Used: 45 MB\tStatus: error\tError Type: Runtime.ExitError\t\n$/);
  });

  it('writes START, END and the timeout line as Lambda does', () => {
    expect(platformLines.start('id', '$LATEST')).toBe('START RequestId: id Version: $LATEST\n');
    expect(platformLines.end('id')).toBe('END RequestId: id\n');
    expect(platformLines.timedOut('id', 3, new Date(Date.UTC(2024, 0, 1)))).toBe(
      '2024-01-01T00:00:00.000Z id Task timed out after 3.00 seconds\n',
    );
  });

  it('names log streams YYYY/MM/DD/[version]<32 hex>', () => {
    expect(logStreamName('7', new Date(Date.UTC(2024, 1, 3, 23, 59)))).toMatch(
      /^2024\/02\/03\/\[7\][0-9a-f]{32}$/,
    );
  });
});

describe('function output', () => {
  it('splits stdout into lines, keeping a partial line until its end arrives', () => {
    const events: LogEvent[] = [];
    const splitter = new LineSplitter((e) => events.push(e));
    splitter.push(Buffer.from('one\ntw'));
    splitter.push(Buffer.from('o\nthree'));
    expect(events.map((e) => e.message)).toEqual(['one\n', 'two\n']);
    splitter.flush();
    expect(events.map((e) => e.message)).toEqual(['one\n', 'two\n', 'three\n']);
  });

  it('decodes telemetry frames split anywhere, one event per record with its own timestamp', () => {
    const frame = (text: string, micros: bigint) => {
      const payload = Buffer.from(text);
      const header = Buffer.alloc(16);
      header.writeUInt32BE(0xa55a0003, 0);
      header.writeUInt32BE(payload.length, 4);
      header.writeBigUInt64BE(micros, 8);
      return Buffer.concat([header, payload]);
    };
    const bytes = Buffer.concat([
      frame('a\nb\n', 1_700_000_000_123_456n),
      frame('c', 1_700_000_000_200_000n),
    ]);
    const events: LogEvent[] = [];
    const decoder = new TelemetryDecoder((e) => events.push(e));
    for (let i = 0; i < bytes.length; i += 7) decoder.push(bytes.subarray(i, i + 7));
    expect(events).toEqual([
      { timestamp: 1_700_000_000_123, message: 'a\nb\n' },
      { timestamp: 1_700_000_000_200, message: 'c\n' },
    ]);
  });

  it('truncates an event over 256 KB and stops keeping output past its budget', () => {
    const sink = new LogSink();
    sink.add({ timestamp: 1, message: 'x'.repeat(300_000) });
    expect(sink.take()[0]!.message.length).toBe(262_118);
    for (let i = 0; i < 100; i++) sink.add({ timestamp: 1, message: 'y'.repeat(200_000) });
    const events = sink.take();
    expect(events.at(-1)!.message).toBe('Stratus: log output truncated\n');
    expect(events.length).toBeLessThan(100);
  });
});
