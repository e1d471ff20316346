'use client';

import { useEffect, useState } from 'react';
import type { DeviceInfo } from '../../lib/protocol/index.ts';
import { useLive } from '../_components/live-provider.tsx';

/** Sent on `window` when this browser's device record changed here (the devices dialog): no refetch needed. */
export const THIS_DEVICE_CHANGED = 'vibes:this-device-changed';

export function announceThisDevice(device: DeviceInfo): void {
  window.dispatchEvent(new CustomEvent<DeviceInfo>(THIS_DEVICE_CHANGED, { detail: device }));
}

/** This browser's device record; null while loading, and for a page signed in with the token. */
export function useThisDevice(): DeviceInfo | null {
  const { api } = useLive();
  const [device, setDevice] = useState<DeviceInfo | null>(null);
  useEffect(() => {
    let current = true;
    // Not knowing is the same as off: the indicator stays away, nothing else depends on it.
    api.listDevices().then(
      (devices) => current && setDevice(devices.find((listed) => listed.current) ?? null),
      () => {},
    );
    const onChanged = (event: Event) => setDevice((event as CustomEvent<DeviceInfo>).detail);
    window.addEventListener(THIS_DEVICE_CHANGED, onChanged);
    return () => {
      current = false;
      window.removeEventListener(THIS_DEVICE_CHANGED, onChanged);
    };
  }, [api]);
  return device;
}
