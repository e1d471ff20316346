import type { NotificationKind } from '../protocol/index.ts';

/**
 * Signed-in browsers. A device is known by the SHA-256 of its session secret; the secret itself
 * lives only in the browser's cookie, so a copy of the database signs nobody in.
 */
export interface DeviceRecord {
  /** Public, short and random: what lists show and what revoke names. */
  id: string;
  secretHash: string;
  label: string;
  /** Unix seconds. */
  createdAt: number;
  lastSeenAt: number;
  address: string;
}

/** Where the push service takes notifications for one device (Web Push); at most one per device. */
export interface PushSubscriptionRecord {
  deviceId: string;
  endpoint: string;
  /** The browser's P-256 public key and auth secret, base64url: what payloads are encrypted to. */
  p256dh: string;
  auth: string;
  kinds: NotificationKind[];
  /** Unix seconds. */
  createdAt: number;
  lastUsedAt: number | null;
}

/** A device's subscription goes with it: revoking, signing out or forgetting a device removes it. */
export interface DeviceStore {
  insertDevice(device: DeviceRecord): void;
  findDeviceBySecretHash(secretHash: string): DeviceRecord | undefined;
  touchDevice(id: string, lastSeenAt: number, address: string): void;
  /** The most recently seen first. */
  listDevices(): DeviceRecord[];
  /** True when there was such a device. */
  deleteDevice(id: string): boolean;
  deleteAllDevices(): number;
  /** Devices not seen since `at` (Unix seconds) are forgotten. Returns how many. */
  deleteDevicesSeenBefore(at: number): number;
  /** Replaces the device's subscription (a browser has one per origin). */
  savePushSubscription(subscription: PushSubscriptionRecord): void;
  pushSubscription(deviceId: string): PushSubscriptionRecord | undefined;
  listPushSubscriptions(): PushSubscriptionRecord[];
  deletePushSubscription(deviceId: string): boolean;
  /** The push service said the endpoint is gone (404/410). */
  deletePushSubscriptionByEndpoint(endpoint: string): boolean;
  touchPushSubscription(deviceId: string, at: number): void;
}

export class MemoryDeviceStore implements DeviceStore {
  readonly #devices = new Map<string, DeviceRecord>();
  readonly #subscriptions = new Map<string, PushSubscriptionRecord>();

  insertDevice(device: DeviceRecord): void {
    this.#devices.set(device.id, { ...device });
  }

  findDeviceBySecretHash(secretHash: string): DeviceRecord | undefined {
    for (const device of this.#devices.values()) if (device.secretHash === secretHash) return { ...device };
    return undefined;
  }

  touchDevice(id: string, lastSeenAt: number, address: string): void {
    const device = this.#devices.get(id);
    if (device) Object.assign(device, { lastSeenAt, address });
  }

  listDevices(): DeviceRecord[] {
    return [...this.#devices.values()]
      .map((device) => ({ ...device }))
      .sort((a, b) => b.lastSeenAt - a.lastSeenAt || a.id.localeCompare(b.id));
  }

  deleteDevice(id: string): boolean {
    this.#subscriptions.delete(id);
    return this.#devices.delete(id);
  }

  deleteAllDevices(): number {
    const count = this.#devices.size;
    this.#devices.clear();
    this.#subscriptions.clear();
    return count;
  }

  deleteDevicesSeenBefore(at: number): number {
    let count = 0;
    for (const [id, device] of this.#devices) {
      if (device.lastSeenAt < at) {
        this.deleteDevice(id);
        count++;
      }
    }
    return count;
  }

  savePushSubscription(subscription: PushSubscriptionRecord): void {
    for (const [deviceId, other] of this.#subscriptions) if (other.endpoint === subscription.endpoint) this.#subscriptions.delete(deviceId);
    this.#subscriptions.set(subscription.deviceId, { ...subscription, kinds: [...subscription.kinds] });
  }

  pushSubscription(deviceId: string): PushSubscriptionRecord | undefined {
    const found = this.#subscriptions.get(deviceId);
    return found && { ...found, kinds: [...found.kinds] };
  }

  listPushSubscriptions(): PushSubscriptionRecord[] {
    return [...this.#subscriptions.values()].map((found) => ({ ...found, kinds: [...found.kinds] }));
  }

  deletePushSubscription(deviceId: string): boolean {
    return this.#subscriptions.delete(deviceId);
  }

  deletePushSubscriptionByEndpoint(endpoint: string): boolean {
    for (const [deviceId, found] of this.#subscriptions) if (found.endpoint === endpoint) return this.#subscriptions.delete(deviceId);
    return false;
  }

  touchPushSubscription(deviceId: string, at: number): void {
    const found = this.#subscriptions.get(deviceId);
    if (found) found.lastUsedAt = at;
  }
}
