import { describe, expect, it } from 'vitest'
import { parseAllowList, refusalReason } from './address-policy.ts'
import { parseIpAddress } from './ip-address.ts'

const reasonFor = (text: string, allowList = '') => {
  const address = parseIpAddress(text)
  if (address === undefined) throw new Error(`test address ${text} does not parse`)
  return refusalReason(address, parseAllowList(allowList).ranges)
}

describe('refusalReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['169.254.170.2', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback, mapped into IPv6'],
    ['::ffff:7f00:1', 'loopback, mapped into IPv6'],
    ['::ffff:10.1.2.3', 'private, mapped into IPv6'],
    ['64:ff9b::a9fe:a9fe', 'link-local, mapped into IPv6'],
    ['64:ff9b::192.168.0.1', 'private, mapped into IPv6'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(reasonFor(address)).toBe(reason)
  })

  it.each([
    '8.8.8.8',
    '52.94.76.1',
    '172.32.0.1',
    '100.128.0.1',
    '2607:f8b0:4004:800::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('allows the public address %s', (address) => {
    expect(reasonFor(address)).toBeUndefined()
  })

  it('allows an allow-listed private range, and only that range', () => {
    expect(reasonFor('127.0.0.1', '127.0.0.0/8')).toBeUndefined()
    expect(reasonFor('::ffff:127.0.0.1', '127.0.0.0/8')).toBeUndefined()
    expect(reasonFor('10.0.0.1', '127.0.0.0/8')).toBe('private')
    expect(reasonFor('::1', '::1, 10.0.0.0/8')).toBeUndefined()
    expect(reasonFor('fd00::5', 'fc00::/7')).toBeUndefined()
  })
})

describe('parseAllowList', () => {
  it('reads comma- and space-separated ranges and reports the invalid ones', () => {
    const parsed = parseAllowList('127.0.0.0/8, ::1 10.0.0.0/33,not-an-ip, 192.168.0.0/16')
    expect(parsed.ranges.map((range) => range.prefix)).toEqual([8, 128, 16])
    expect(parsed.invalid).toEqual(['10.0.0.0/33', 'not-an-ip'])
  })

  it('reads an empty value as an empty list', () => {
    expect(parseAllowList('')).toEqual({ ranges: [], invalid: [] })
  })
})
