import SessionsList from './list.ts';

/** `vibes sessions` on its own lists, as `vibes sessions list` does. */
export default class Sessions extends SessionsList {
  static override summary = 'List the active sessions (same as `vibes sessions list`).';
  static override examples = ['<%= config.bin %> sessions'];
}
