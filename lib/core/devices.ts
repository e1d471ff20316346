import { randomBytes } from 'node:crypto';
import type { NotificationKind } from '../protocol/index.ts';

/** 48 random bits, hex: a cookie name may hold it as it is. */
export function newDeviceCookieId(): string {
  return randomBytes(6).toString('hex');
}

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
  /** The device whose pairing code this one signed in with; null when the token holder made it. */
  pairedBy: string | null;
  /** Input from it tells Claude the user is on a phone (issue 29); a new device starts without. */
  tellClaudeOnPhone?: boolean;
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
  /**
   * A random name for this installation's device cookie, made at first use and kept: each
   * database (one per home, or one per cluster) has its own, so servers that share no devices
   * share no cookie.
   */
  deviceCookieId(): Promise<string>;
  /** False (and nothing stored) when the device that paired it is no longer signed in. */
  insertDevice(device: DeviceRecord): Promise<boolean>;
  findDeviceBySecretHash(secretHash: string): Promise<DeviceRecord | undefined>;
  touchDevice(id: string, lastSeenAt: number, address: string): Promise<void>;
  /** False when no such device is signed in. */
  setTellClaudeOnPhone(id: string, on: boolean): Promise<boolean>;
  /** The most recently seen first. */
  listDevices(): Promise<DeviceRecord[]>;
  /** Removes the device and, transitively, the devices it paired; returns their ids (none when unknown). */
  deleteDevice(id: string): Promise<string[]>;
  deleteAllDevices(): Promise<number>;
  /** Devices not seen since `at` (Unix seconds) are forgotten. Returns how many. */
  deleteDevicesSeenBefore(at: number): Promise<number>;
  /** Replaces the device's subscription (a browser has one per origin). */
  savePushSubscription(subscription: PushSubscriptionRecord): Promise<void>;
  pushSubscription(deviceId: string): Promise<PushSubscriptionRecord | undefined>;
  listPushSubscriptions(): Promise<PushSubscriptionRecord[]>;
  deletePushSubscription(deviceId: string): Promise<boolean>;
  /** The push service said the endpoint is gone (404/410). */
  deletePushSubscriptionByEndpoint(endpoint: string): Promise<boolean>;
  touchPushSubscription(deviceId: string, at: number): Promise<void>;
}

export class MemoryDeviceStore implements DeviceStore {
  readonly #devices = new Map<string, DeviceRecord>();
  readonly #subscriptions = new Map<string, PushSubscriptionRecord>();
  readonly #cookieId = newDeviceCookieId();

  async deviceCookieId(): Promise<string> {
    return this.#cookieId;
  }

  async insertDevice(device: DeviceRecord): Promise<boolean> {
    if (device.pairedBy !== null && !this.#devices.has(device.pairedBy)) return false;
    this.#devices.set(device.id, { ...device, tellClaudeOnPhone: false });
    return true;
  }

  async findDeviceBySecretHash(secretHash: string): Promise<DeviceRecord | undefined> {
    for (const device of this.#devices.values()) if (device.secretHash === secretHash) return { ...device };
    return undefined;
  }

  async touchDevice(id: string, lastSeenAt: number, address: string): Promise<void> {
    const device = this.#devices.get(id);
    if (device) Object.assign(device, { lastSeenAt, address });
  }

  async setTellClaudeOnPhone(id: string, on: boolean): Promise<boolean> {
    const device = this.#devices.get(id);
    if (device) device.tellClaudeOnPhone = on;
    return device !== undefined;
  }

  async listDevices(): Promise<DeviceRecord[]> {
    return [...this.#devices.values()]
      .map((device) => ({ ...device }))
      .sort((a, b) => b.lastSeenAt - a.lastSeenAt || a.id.localeCompare(b.id));
  }

  async deleteDevice(id: string): Promise<string[]> {
    if (!this.#devices.has(id)) return [];
    const removed = [id];
    for (let i = 0; i < removed.length; i++) {
      for (const device of this.#devices.values()) if (device.pairedBy === removed[i]) removed.push(device.id);
      this.#devices.delete(removed[i]!);
      this.#subscriptions.delete(removed[i]!);
    }
    return removed;
  }

  async deleteAllDevices(): Promise<number> {
    const count = this.#devices.size;
    this.#devices.clear();
    this.#subscriptions.clear();
    return count;
  }

  async deleteDevicesSeenBefore(at: number): Promise<number> {
    let count = 0;
    for (const [id, device] of this.#devices) {
      if (device.lastSeenAt < at) {
        this.#devices.delete(id);
        this.#subscriptions.delete(id);
        count++;
      }
    }
    return count;
  }

  async savePushSubscription(subscription: PushSubscriptionRecord): Promise<void> {
    for (const [deviceId, other] of this.#subscriptions) if (other.endpoint === subscription.endpoint) this.#subscriptions.delete(deviceId);
    this.#subscriptions.set(subscription.deviceId, { ...subscription, kinds: [...subscription.kinds] });
  }

  async pushSubscription(deviceId: string): Promise<PushSubscriptionRecord | undefined> {
    const found = this.#subscriptions.get(deviceId);
    return found && { ...found, kinds: [...found.kinds] };
  }

  async listPushSubscriptions(): Promise<PushSubscriptionRecord[]> {
    return [...this.#subscriptions.values()].map((found) => ({ ...found, kinds: [...found.kinds] }));
  }

  async deletePushSubscription(deviceId: string): Promise<boolean> {
    return this.#subscriptions.delete(deviceId);
  }

  async deletePushSubscriptionByEndpoint(endpoint: string): Promise<boolean> {
    for (const [deviceId, found] of this.#subscriptions) if (found.endpoint === endpoint) return this.#subscriptions.delete(deviceId);
    return false;
  }

  async touchPushSubscription(deviceId: string, at: number): Promise<void> {
    const found = this.#subscriptions.get(deviceId);
    if (found) found.lastUsedAt = at;
  }
}
