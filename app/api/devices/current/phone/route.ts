import { route } from '../../../../../lib/server/route.ts';

/** Input from this browser tells Claude it is a phone, or stops telling (issue 29). */
export const POST = route('tellClaudeOnPhone', ({ runtime, deviceId, body }) => ({
  device: runtime.auth.devices.setTellClaudeOnPhone(deviceId, body.on),
}));
