import { describe, expect, it } from 'vitest';
import { nonPublicAddressKind, pushEndpointProblem } from '../../../lib/server/push-endpoint.ts';

describe('nonPublicAddressKind', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.254', 'CGNAT'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.255', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::FFFF:10.0.0.1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:c0a8:0101::1', 'private'],
    ['2001:db8::1', 'documentation'],
  ])('%s is not public (%s)', (address, kind) => {
    expect(nonPublicAddressKind(address)).toContain(kind);
  });

  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '2606:4700:4700::1111',
    '2a00:1450::1',
    '::ffff:8.8.8.8',
    '2002:0808:0808::1',
  ])('%s is public', (address) => {
    expect(nonPublicAddressKind(address)).toBeNull();
  });
});

describe('pushEndpointProblem', () => {
  it.each([
    ['http://fcm.googleapis.com/fcm/send/x', /https:\/\//],
    ['https://2130706433/', /loopback/],
    ['https://0x7f000001/', /loopback/],
    ['https://0x7f.1/', /loopback/],
    ['https://0177.0.0.01/', /loopback/],
    ['https://127.1/', /loopback/],
    ['https://127.0.0.1./', /loopback/],
    ['https://[::ffff:127.0.0.1]/', /loopback/],
    ['https://[::ffff:a9fe:a9fe]/', /link-local/],
    ['https://0/', /unspecified/],
    ['https://localhost/', /public host name/],
    ['https://LOCALHOST./', /public host name/],
    ['https://api.localhost/', /public host name/],
    ['https://printer.local/', /public host name/],
    ['https://router/', /public host name/],
    ['https://metadata.google.internal/', /public host name/],
    ['https://user:secret@push.example.com/', /no user name or password/],
    ['ftp://push.example.com/', /https:\/\//],
    ['not a url', /not a URL/],
  ])('%s is refused', (endpoint, problem) => {
    expect(pushEndpointProblem(endpoint, false)).toMatch(problem);
  });

  it.each([
    'https://fcm.googleapis.com/fcm/send/abc',
    'https://updates.push.services.mozilla.com/wpush/v2/abc',
    'https://web.push.apple.com/abc',
    'https://push.example.com./trailing-dot',
    'https://8.8.8.8/',
    'https://[2606:4700::1111]/',
  ])('%s is allowed', (endpoint) => {
    expect(pushEndpointProblem(endpoint, false)).toBeNull();
  });

  it("with the owner's opt-in, http:// and private addresses are allowed; other schemes and credentials still are not", () => {
    expect(pushEndpointProblem('http://127.0.0.1:9/push', true)).toBeNull();
    expect(pushEndpointProblem('https://10.0.0.5/push', true)).toBeNull();
    expect(pushEndpointProblem('ftp://127.0.0.1/', true)).toMatch(/https:\/\//);
    expect(pushEndpointProblem('http://a:b@127.0.0.1/', true)).toMatch(/no user name or password/);
  });
});
