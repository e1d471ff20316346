import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Admission } from '../../../lib/server/admission.ts';

/** What Admission uses of a socket: its address, close, destroy. */
class FakeSocket extends EventEmitter {
  destroyed = false;
  constructor(
    readonly name: string,
    readonly remoteAddress = '10.0.0.9',
  ) {
    super();
  }
  destroy(): this {
    if (!this.destroyed) {
      this.destroyed = true;
      this.emit('close');
    }
    return this;
  }
}

const asSocket = (socket: FakeSocket) => socket as unknown as Socket;

let clock = 0;

function pool(max: number, options: { graceMs?: number; overflow?: number; ceiling?: number } = {}) {
  const admission = new Admission({
    max,
    graceMs: options.graceMs ?? 0,
    overflow: options.overflow ?? 1000,
    ceiling: options.ceiling ?? 10_000,
    now: () => clock,
  });
  const connect = (name: string, address?: string) => {
    const socket = new FakeSocket(name, address);
    admission.connected(asSocket(socket));
    return socket;
  };
  return { admission, connect };
}

const closed = (sockets: FakeSocket[]) => sockets.filter((socket) => socket.destroyed).map((socket) => socket.name);
/** The pool is trimmed after a turn's reads, and a newcomer may go only from the next round: two turns. */
const turns = async (count = 2) => {
  for (let i = 0; i < count; i++) {
    clock++;
    await new Promise((resolve) => setImmediate(resolve));
  }
};

describe('admission of connections', () => {
  it('admits every newcomer, and gives it a turn to be read: a burst past the limit is trimmed, oldest first, a turn later', async () => {
    const { connect } = pool(3);
    const sockets = ['a', 'b', 'c', 'd', 'e'].map((name) => connect(name));
    expect(closed(sockets)).toEqual([]);
    await turns(1);
    expect(closed(sockets)).toEqual([]);
    await turns(1);
    expect(closed(sockets)).toEqual(['a', 'b']);
  });

  it('a socket that signs in within its first turn is never closed, however many came with it', async () => {
    const { admission, connect } = pool(2);
    const old = ['a', 'b'].map((name) => connect(name));
    await turns();
    const burst = ['c', 'd', 'e'].map((name) => connect(name));
    await turns(1);
    admission.signedIn(asSocket(burst[0]!));
    await turns();
    expect(closed([...old, ...burst])).toEqual(['a', 'b']);
  });

  it('a socket whose request is being answered is passed over until the answer is done', async () => {
    const { admission, connect } = pool(2);
    const a = connect('a');
    const b = connect('b');
    await turns();
    const answer = new EventEmitter();
    admission.requestStarted(asSocket(a), answer);
    const c = connect('c');
    await turns();
    expect(closed([a, b, c])).toEqual(['b']);
    answer.emit('close');
    const d = connect('d');
    await turns();
    expect(closed([a, b, c, d])).toEqual(['a', 'b']);
  });

  it('when every anonymous socket is being answered, the oldest goes', async () => {
    const { admission, connect } = pool(2);
    const a = connect('a');
    const b = connect('b');
    await turns();
    const c = connect('c');
    for (const socket of [a, b, c]) admission.requestStarted(asSocket(socket), new EventEmitter());
    await turns();
    expect(closed([a, b, c])).toEqual(['a']);
  });

  it('a signed-in socket leaves the pool for good: not counted, never closed to make room', async () => {
    const { admission, connect } = pool(2);
    const signedIn = connect('signed in');
    admission.signedIn(asSocket(signedIn));
    const others = ['a', 'b', 'c', 'd'].map((name) => connect(name));
    await turns();
    expect(closed([signedIn, ...others])).toEqual(['a', 'b']);
  });

  it('the address holding the most pays: a stranger renewing sockets only ever replaces its own', async () => {
    const { connect } = pool(4);
    const stranger = ['s1', 's2', 's3'].map((name) => connect(name, '10.6.6.6'));
    const phone = connect('phone', '10.0.0.2');
    await turns();
    const renewed: FakeSocket[] = [];
    for (const name of ['s4', 's5', 's6', 's7']) {
      renewed.push(connect(name, '10.6.6.6'));
      await turns();
    }
    const cli = connect('cli', '127.0.0.1');
    await turns();
    expect(closed([...stranger, phone, ...renewed, cli])).toEqual(['s1', 's2', 's3', 's4', 's5']);
  });

  it('under HTTPS, requests on the TLS socket count for the TCP socket it wraps', async () => {
    const { admission, connect } = pool(2);
    const tcp = connect('tcp');
    const tlsSocket = Object.assign(new FakeSocket('tls'), { _parent: tcp });
    admission.signedIn(asSocket(tlsSocket));
    const others = ['a', 'b', 'c'].map((name) => connect(name));
    await turns();
    expect(closed([tcp, ...others])).toEqual(['a']);
  });

  it('a newcomer on the address of a stranger has the grace to send its request before it may be closed', async () => {
    const { admission, connect } = pool(2, { graceMs: 1000 });
    const stranger = ['s1', 's2'].map((name) => connect(name));
    await turns();
    clock += 5000;
    const cli = connect('cli');
    const renewed = ['s3', 's4'].map((name) => connect(name));
    await turns(3);
    expect(closed([...stranger, cli, ...renewed])).toEqual(['s1', 's2']);
    admission.signedIn(asSocket(cli));
    clock += 5000;
    await turns();
    expect(closed([...stranger, cli, ...renewed])).toEqual(['s1', 's2']);
  });

  it('past the overflow, young sockets lose their grace (the oldest first), down to the overflow', async () => {
    const { connect } = pool(2, { graceMs: 1000, overflow: 1 });
    const sockets = ['a', 'b', 'c', 'd', 'e'].map((name) => connect(name));
    await turns();
    expect(closed(sockets)).toEqual(['a', 'b']);
  });

  it('past the ceiling on all sockets (which only signed-in ones can reach), a newcomer is closed at once', async () => {
    const { admission, connect } = pool(2, { ceiling: 3 });
    const signedIn = ['a', 'b', 'c'].map((name) => connect(name));
    for (const socket of signedIn) admission.signedIn(asSocket(socket));
    const refused = connect('d');
    expect(refused.destroyed).toBe(true);
    signedIn[0]!.destroy();
    const admitted = connect('e');
    await turns();
    expect(admitted.destroyed).toBe(false);
  });

  it('forgets a socket that closes by itself', async () => {
    const { connect } = pool(2);
    const a = connect('a');
    const b = connect('b');
    a.destroy();
    const c = connect('c');
    await turns();
    expect(closed([b, c])).toEqual([]);
  });
});
