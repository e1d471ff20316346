// What `npm run build` bundles into dist/cli/vibes.js, the one file the installed `vibes` loads:
// every command (oclif's "explicit" discovery), the help class and the hook, and oclif itself.
// A new command file must be listed here too (scripts/bundle-cli.mjs refuses a build that misses one).
import Claude from './commands/claude.ts';
import Devices from './commands/devices/index.ts';
import DevicesList from './commands/devices/list.ts';
import DevicesRevoke from './commands/devices/revoke.ts';
import Nodes from './commands/nodes.ts';
import NotifyTest from './commands/notify/test.ts';
import Pair from './commands/pair.ts';
import Serve from './commands/serve/index.ts';
import ServeStatus from './commands/serve/status.ts';
import ServeStop from './commands/serve/stop.ts';
import Sessions from './commands/sessions/index.ts';
import SessionsAttach from './commands/sessions/attach.ts';
import SessionsDiff from './commands/sessions/diff.ts';
import SessionsKill from './commands/sessions/kill.ts';
import SessionsList from './commands/sessions/list.ts';
import SessionsMode from './commands/sessions/mode.ts';
import SessionsModel from './commands/sessions/model.ts';
import SessionsPin from './commands/sessions/pin.ts';
import SessionsRename from './commands/sessions/rename.ts';
import SessionsResume from './commands/sessions/resume.ts';
import SessionsRewind from './commands/sessions/rewind.ts';
import TokenRotate from './commands/token/rotate.ts';

export { execute } from '@oclif/core/execute';
export { default as VibesHelp } from './lib/help.ts';
export { default as commandNotFound } from './hooks/command-not-found.ts';

/** Command ids as oclif spells them: the file's path under cli/commands, `index` naming its folder. */
export const COMMANDS = {
  claude: Claude,
  devices: Devices,
  'devices:list': DevicesList,
  'devices:revoke': DevicesRevoke,
  nodes: Nodes,
  'notify:test': NotifyTest,
  pair: Pair,
  serve: Serve,
  'serve:status': ServeStatus,
  'serve:stop': ServeStop,
  sessions: Sessions,
  'sessions:attach': SessionsAttach,
  'sessions:diff': SessionsDiff,
  'sessions:kill': SessionsKill,
  'sessions:list': SessionsList,
  'sessions:mode': SessionsMode,
  'sessions:model': SessionsModel,
  'sessions:pin': SessionsPin,
  'sessions:rename': SessionsRename,
  'sessions:resume': SessionsResume,
  'sessions:rewind': SessionsRewind,
  'token:rotate': TokenRotate,
};
