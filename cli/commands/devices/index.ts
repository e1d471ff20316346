import DevicesList from './list.ts';

/** `vibes devices` on its own lists, as `vibes devices list` does. */
export default class Devices extends DevicesList {
  static override summary = 'List the signed-in browsers (same as `vibes devices list`).';
  static override examples = ['<%= config.bin %> devices'];
}
