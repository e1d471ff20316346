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
}

export class MemoryDeviceStore implements DeviceStore {
  readonly #devices = new Map<string, DeviceRecord>();

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
    return this.#devices.delete(id);
  }

  deleteAllDevices(): number {
    const count = this.#devices.size;
    this.#devices.clear();
    return count;
  }

  deleteDevicesSeenBefore(at: number): number {
    let count = 0;
    for (const [id, device] of this.#devices) {
      if (device.lastSeenAt < at) {
        this.#devices.delete(id);
        count++;
      }
    }
    return count;
  }
}
