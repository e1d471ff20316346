import { connect, type Socket } from 'node:net';

export interface IdleSockets {
  /** Sockets connected now. */
  readonly open: number;
  /** Sockets the server closed (each was opened again at once). */
  readonly dropped: number;
  /** Stops renewing and closes every socket. */
  stop(): void;
}

/**
 * What a stranger who can reach the port does: holds `count` TCP connections that send nothing
 * (so under HTTPS no handshake either), opening a new one as soon as the server drops one.
 * `fromAddress` picks the local address (any of 127.0.0.0/8 reaches a loopback server).
 */
export async function holdIdleSockets(url: string, count: number, options: { fromAddress?: string } = {}): Promise<IdleSockets> {
  const { hostname, port } = new URL(url);
  const sockets = new Set<Socket>();
  let connected = 0;
  let dropped = 0;
  let stopped = false;
  let initial = count;
  let initialDone!: () => void;
  const allConnected = new Promise<void>((resolve) => (initialDone = resolve));
  const open = () => {
    const socket = connect({ port: Number(port), host: hostname, ...(options.fromAddress ? { localAddress: options.fromAddress } : {}) });
    let wasConnected = false;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      wasConnected = true;
      connected++;
      if (--initial === 0) initialDone();
    });
    socket.once('close', () => {
      sockets.delete(socket);
      if (wasConnected) connected--;
      if (stopped) return;
      dropped++;
      // Not connected at all: the server is gone or refusing; try again a moment later, not in a tight loop.
      if (wasConnected) open();
      else setTimeout(open, 50).unref();
    });
  };
  for (let i = 0; i < count; i++) open();
  await allConnected;
  return {
    get open() {
      return connected;
    },
    get dropped() {
      return dropped;
    },
    stop() {
      stopped = true;
      for (const socket of sockets) socket.destroy();
    },
  };
}
