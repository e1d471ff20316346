import type { NotificationKind } from '../protocol/index.ts';
import type { DeviceRecord, PushSubscriptionRecord } from './devices.ts';

/** Devices and push subscriptions as both stores keep them (SQLite and PostgreSQL use the same columns). */
export interface DeviceRow {
  id: string;
  secret_hash: string;
  label: string;
  created_at: number;
  last_seen_at: number;
  address: string;
}

export const deviceOf = (row: DeviceRow): DeviceRecord => ({
  id: row.id,
  secretHash: row.secret_hash,
  label: row.label,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  address: row.address,
});

export interface PushSubscriptionRow {
  device_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  kinds: string;
  created_at: number;
  last_used_at: number | null;
}

export const pushSubscriptionOf = (row: PushSubscriptionRow): PushSubscriptionRecord => ({
  deviceId: row.device_id,
  endpoint: row.endpoint,
  p256dh: row.p256dh,
  auth: row.auth,
  kinds: row.kinds === '' ? [] : (row.kinds.split(',') as NotificationKind[]),
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});
