import { resolve } from 'node:path';
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import type { Attachment, PermissionMode } from '../../lib/protocol/index.ts';
import { PERMISSION_MODE_LABELS } from '../../lib/protocol/labels.ts';
import { uploadFiles, type FileToAttach } from '../lib/attachments.ts';
import { confirmBypass } from '../lib/confirm.ts';
import { eventsJsonFlag, VibesCommand } from '../lib/vibes-command.ts';

export default class Claude extends VibesCommand {
  static override summary = 'Start a Claude Code session on the vibes server and drive it from this terminal.';
  static override description = `The session is owned by this terminal and shows up on the dashboard and in
\`vibes sessions list\` at once. Claude's text streams as it arrives; tool calls and results are
one line each. A decision Claude asks for is shown in full (an edit as a coloured diff, a command
with its description and folder, a plan, a question's options) and answered here or from any
other client: "a" allows, "d [reason]" denies, a number picks a "don't ask again" rule, a
question's option or a plan's choice. Without PROMPT you type the first message. \`--image\` and
\`--file\` send files with the first message; \`:attach PATH\` adds one to the next message typed.

Ctrl-C interrupts the running turn, a second Ctrl-C leaves. When input ends (Ctrl-D or the end
of a pipe), the command exits once the running turns are over. Leaving hands the session over at
once: to the longest-standing other watcher, or, with nobody watching, it ends (after the running
turn). With input piped, a decision Claude waits for is announced on stderr with how to answer it.
The exit code is 0 when the last turn succeeded.`;
  static override args = {
    prompt: Args.string({ description: 'The first message to Claude', ignoreStdin: true }),
  };
  static override flags = {
    name: Flags.string({ summary: 'A name for the session, shown in lists.' }),
    cwd: Flags.string({ summary: 'Folder Claude works in (default: the current folder).' }),
    model: Flags.string({ summary: 'Claude model to use (e.g. sonnet, haiku).' }),
    'permission-mode': Flags.string({
      summary: 'How much Claude may do without asking: default, acceptEdits, plan or bypassPermissions.',
      options: Object.keys(PERMISSION_MODE_LABELS),
    }),
    demo: Flags.boolean({
      summary: 'The fake Claude answers (no Claude account needed); --no-demo asks for Claude on a server that defaults to demo.',
      allowNo: true,
    }),
    yes: Flags.boolean({ char: 'y', summary: 'Confirm --permission-mode bypassPermissions without being asked.' }),
    json: eventsJsonFlag(),
    on: Flags.string({ summary: 'In a cluster: the machine (node) to run Claude on; `vibes nodes` lists them.' }),
    image: Flags.string({ summary: 'An image (PNG, JPEG, GIF, WebP) to send with the first message; repeat for more.', multiple: true }),
    file: Flags.string({ summary: 'A PDF or text file to send with the first message; repeat for more.', multiple: true }),
  };
  static override examples = [
    '<%= config.bin %> claude "explain this repository"',
    '<%= config.bin %> claude --name refactor --cwd ~/src/app',
    '<%= config.bin %> claude --demo "show me a plan"',
    '<%= config.bin %> claude --on build-box "run the slow tests"',
    '<%= config.bin %> claude --image screenshot.png "why does the header overlap?"',
    'echo "run the tests" | <%= config.bin %> claude --json',
  ];

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Claude);
    const permissionMode = flags['permission-mode'] as PermissionMode | undefined;
    if (permissionMode === 'bypassPermissions') await confirmBypass(flags.yes);
    const files: FileToAttach[] = [
      ...(flags.image ?? []).map((path) => ({ path: resolve(path), image: true })),
      ...(flags.file ?? []).map((path) => ({ path: resolve(path), image: false })),
    ];
    // Without a prompt, what is attached goes with the first line typed.
    const attachments: Attachment[] = [];
    const promptNow = files.length === 0 ? args.prompt : undefined;
    await this.driveSession(
      flags,
      async (api) => {
        const session = await api.createSession({
          ...(promptNow ? { prompt: promptNow } : {}),
          ...(flags.name ? { name: flags.name } : {}),
          cwd: resolve(flags.cwd ?? '.'),
          ...(flags.model ? { model: flags.model } : {}),
          ...(permissionMode ? { permission_mode: permissionMode } : {}),
          ...(flags.demo === undefined ? {} : { demo: flags.demo }),
          ...(flags.on ? { node: flags.on } : {}),
          source: 'cli',
        });
        if (files.length === 0) return session;
        attachments.push(...(await uploadFiles(api, session.id, files)));
        if (!args.prompt) return session;
        return api.sendInput(
          session.id,
          args.prompt,
          'cli',
          attachments.splice(0).map((attachment) => attachment.id),
        );
      },
      { mode: 'claude', promptSent: Boolean(args.prompt), history: false, attachments },
    );
  }
}
