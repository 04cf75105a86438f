import { describe, expect, it } from 'vitest';
import { cidrRange, inRange, ipBytes, IpError, looksLikeIp, parseCidr } from './ip.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('IP addresses and CIDR blocks', () => {
  it.each([
    ['10.0.0.1', '0a000001'],
    ['255.255.255.255', 'ffffffff'],
    ['::1', '00000000000000000000000000000001'],
    ['2001:db8::', '20010db8000000000000000000000000'],
    ['2001:DB8:0:0:8:800:200C:417A', '20010db80000000000080800200c417a'],
  ])('%s is %s', (text, bytes) => {
    expect(hex(ipBytes(text))).toBe(bytes);
  });

  it.each([
    ['example.com', 'Nonstandard IP address: example.com'],
    ['::ffff:1.2.3.4', 'Nonstandard IP address: ::ffff:1.2.3.4'],
    ['1.2.3.256', 'Invalid IP address: 1.2.3.256'],
    [':::', 'Invalid IP address: :::'],
  ])('refuses %s', (text, reason) => {
    expect(() => ipBytes(text)).toThrow(new IpError(reason));
  });

  it('tells address-shaped strings from others', () => {
    expect([looksLikeIp('1.2.3.4'), looksLikeIp('a:b'), looksLikeIp('1.2.3'), looksLikeIp('g::1')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it.each([
    ['10.1.2.3/8', '0a000000', '0affffff'],
    ['10.1.2.3/0', '00000000', 'ffffffff'],
    ['192.168.1.77/31', 'c0a8014c', 'c0a8014d'],
    ['2001:db8:1234:1a00::/56', '20010db812341a000000000000000000', '20010db812341affffffffffffffffff'],
  ])('%s spans %s..%s', (cidr, low, high) => {
    const range = parseCidr(cidr);
    expect([hex(range.low), hex(range.high)]).toEqual([low, high]);
  });

  it.each([
    ['10.0.0.0', "Malformed CIDR, one '/' required"],
    ['10.0.0.0/', "Malformed CIDR, one '/' required"],
    ['10.0.0.0/a', 'Malformed CIDR, mask bits must be an integer'],
    ['10.0.0.0/-1', 'Malformed CIDR, mask bits must not be negative'],
    ['/24', 'Nonstandard IP address: '],
    ['10.0.0.0/32', 'IPv4 mask bits must be < 32'],
    ['::/128', 'IPv6 mask bits must be < 128'],
  ])('refuses the block %s', (cidr, reason) => {
    expect(() => parseCidr(cidr)).toThrow(new IpError(reason));
  });

  it('keeps IPv4 and IPv6 apart', () => {
    const v4 = cidrRange(ipBytes('0.0.0.0'), 0);
    expect(inRange(v4, ipBytes('1.2.3.4'))).toBe(true);
    expect(inRange(v4, ipBytes('::1'))).toBe(false);
  });
});
