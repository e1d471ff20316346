import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import webPush from 'web-push';
import { describe, expect, it, vi } from 'vitest';
import { EventBus, type CoreEvent } from '../../../lib/core/index.ts';
import { MemoryDeviceStore } from '../../../lib/core/devices.ts';
import { Notifier } from '../../../lib/server/notify/notifier.ts';
import { BrowserPushKeys } from '../../support/push-service.ts';

// A real push to a loopback endpoint that never answers: only the notifier's shutdown can end it.
describe('Notifier shutdown', () => {
  it('shutdown aborts a push to an endpoint that never answers, long before its own timeout', async () => {
    const sockets = new Set<Socket>();
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    let closed!: () => void;
    const socketClosed = new Promise<void>((resolve) => (closed = resolve));
    // Reads the request and never answers.
    const silent = createServer((req: IncomingMessage) => {
      req.resume();
      req.socket.once('close', closed);
      arrived();
    });
    silent.on('connection', (socket: Socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const devices = new MemoryDeviceStore();
      await devices.insertDevice({
        id: 'phone',
        secretHash: 'x',
        label: 'phone',
        createdAt: 1,
        lastSeenAt: 1,
        address: '127.0.0.1',
        pairedBy: null,
      });
      const keys = new BrowserPushKeys().subscription(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/push`);
      await devices.savePushSubscription({
        deviceId: 'phone',
        endpoint: keys.endpoint,
        ...keys.keys,
        kinds: ['failed'],
        createdAt: 1,
        lastUsedAt: null,
      });
      const notifier = new Notifier({
        bus: new EventBus<CoreEvent>({ ringSize: 64 }),
        devices,
        vapid: webPush.generateVAPIDKeys(),
        vapidSubject: 'mailto:test@example.com',
        turnThresholdMs: 30_000,
        isWatched: () => false,
        allowPrivatePush: true,
        // Far longer than the test may run: only the shutdown can end this push.
        sendTimeoutMs: 3_600_000,
      });
      notifier.start();
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        const test = notifier.sendTest();
        await requestArrived;
        notifier.stop();
        await notifier.settled();
        expect(await test).toEqual({ devices: 0, webhook: false });
        await socketClosed;
        // Ended by the shutdown, not by a timeout (which would say so): nothing to report.
        expect(errors).not.toHaveBeenCalled();
      } finally {
        errors.mockRestore();
      }
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
