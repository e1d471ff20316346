import { readdirSync, readFileSync } from 'node:fs';

/**
 * `command` started so that it gets `signal` when the process that started it ends, however it
 * ends: a test worker killed on a timeout leaves no server or engine behind (`process.on('exit')`
 * does not run then). Linux's parent-death signal, set by util-linux's setpriv before the exec.
 */
export function endingWithParent(signal: 'TERM' | 'QUIT', command: string, args: readonly string[]): [string, string[]] {
  return ['setpriv', ['--pdeathsig', signal, '--', command, ...args]];
}

/** Pids of the live processes whose parent is `parentPid`, read from /proc. */
export function childPids(parentPid: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the parenthesised command: state, ppid, ...
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === parentPid && state !== 'Z') children.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The process's command line as one string ('' once it has ended). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}
