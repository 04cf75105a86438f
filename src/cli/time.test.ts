import { describe, expect, it } from 'vitest';
import { UsageError } from './command.js';
import { timeRequest } from './time.js';

describe('stratus time command lines', () => {
  it.each([
    [{}, undefined],
    [{ action: 'advance', amount: '90m' }, 'advance=90m'],
    [{ at: '2027-01-01T09:00:00Z' }, 'at=2027-01-01T09%3A00%3A00Z'],
    [{ action: 'freeze', at: '2027-01-01T09:00:00Z' }, 'at=2027-01-01T09%3A00%3A00Z&freeze='],
    [{ action: 'resume' }, 'resume='],
    [{ action: 'real' }, 'real='],
  ])('%j asks for %s', (values, query) => {
    expect(timeRequest(values)?.toString()).toBe(query);
  });

  it.each([
    [{ action: 'advance' }, 'advance needs a duration'],
    [{ action: 'advance', amount: 'soon' }, "'soon' is not a duration"],
    [{ action: 'advance', amount: '1h', at: '2027-01-01T00:00:00Z' }, 'not both'],
    [{ at: 'tomorrow' }, '--at takes an ISO 8601 date'],
    [{ action: 'real', at: '2027-01-01T00:00:00Z' }, "'real' takes no --at"],
    [{ action: 'rewind' }, "Unknown time action 'rewind'"],
    [{ action: 'freeze', amount: 'now' }, "Unexpected argument 'now'"],
  ])('%j is a usage error: %s', (values, message) => {
    expect(() => timeRequest(values)).toThrow(UsageError);
    expect(() => timeRequest(values)).toThrow(message);
  });
});
