import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitBranch } from '../../../lib/core/git-branch.ts';
import { previewFromReply, projectOf, sessionTitle, titleFromPrompt } from '../../../lib/core/summary.ts';
import { coreHarness } from '../../support/core-harness.ts';

describe('titleFromPrompt', () => {
  it('takes the first non-empty line, whitespace collapsed', () => {
    expect(titleFromPrompt('\n\n  Fix   the login bug\nthen add a test')).toBe('Fix the login bug');
  });
  it('cuts a long line at a word, with an ellipsis, within 80 characters', () => {
    const prompt = `Refactor ${'the middleware '.repeat(10)}`;
    const title = titleFromPrompt(prompt) ?? '';
    expect(title.length).toBeLessThanOrEqual(80);
    expect(title.endsWith('…')).toBe(true);
    // What precedes the ellipsis is whole words of the prompt.
    expect(prompt.startsWith(`${title.slice(0, -1)} `)).toBe(true);
  });
  it('is null for a blank prompt', () => {
    expect(titleFromPrompt('  \n ')).toBeNull();
  });
  it('a name wins over the prompt; without both the id names it', () => {
    expect(sessionTitle('build', 'Fix it', 'abcdef1234')).toBe('build');
    expect(sessionTitle(null, 'Fix it', 'abcdef1234')).toBe('Fix it');
    expect(sessionTitle(null, null, 'abcdef1234')).toBe('Session abcdef12');
  });
});

describe('previewFromReply', () => {
  it('is the last line of prose, Markdown marks removed', () => {
    expect(previewFromReply('## Done\n\nI changed **two** files:\n\n- `a.ts`\n- `b.ts`\n\nShall I run the tests?')).toBe(
      'Shall I run the tests?',
    );
    expect(previewFromReply('Here it is:\n\n- first\n- **second** item')).toBe('second item');
  });
  it('skips code blocks and table separators', () => {
    expect(previewFromReply('Run this:\n```sh\nnpm test\n```')).toBe('Run this:');
    expect(previewFromReply('| a | b |\n|---|:-:|')).toBe('| a | b |');
  });
  it('is one line of at most 140 characters, null for nothing', () => {
    expect(previewFromReply(`${'word '.repeat(60)}`)?.length).toBeLessThanOrEqual(140);
    expect(previewFromReply('  \n')).toBeNull();
  });
});

describe('projectOf and gitBranch', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'vibes-git-'));
    dirs.push(dir);
    return dir;
  };

  it('the project is the last folder of the working directory', () => {
    expect(projectOf('/home/me/src/vibes')).toBe('vibes');
    expect(projectOf('/')).toBe('/');
  });

  it('reads the branch from .git/HEAD, also from a subfolder, a worktree pointer and a detached HEAD', () => {
    const repo = tempDir();
    mkdirSync(join(repo, '.git'));
    mkdirSync(join(repo, 'src', 'deep'), { recursive: true });
    writeFileSync(join(repo, '.git', 'HEAD'), 'ref: refs/heads/feature/cards\n');
    expect(gitBranch(join(repo, 'src', 'deep'), 0)).toBe('feature/cards');

    const worktree = tempDir();
    const gitDir = join(repo, '.git', 'worktrees', 'w1');
    mkdirSync(gitDir, { recursive: true });
    writeFileSync(join(gitDir, 'HEAD'), '0123456789abcdef0123456789abcdef01234567\n');
    writeFileSync(join(worktree, '.git'), `gitdir: ${gitDir}\n`);
    expect(gitBranch(worktree, 0)).toBe('0123456');
  });

  it('is null outside a repository, and a read is cached for a few seconds', () => {
    const plain = tempDir();
    expect(gitBranch(plain, 1000)).toBeNull();
    mkdirSync(join(plain, '.git'));
    writeFileSync(join(plain, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    expect(gitBranch(plain, 2000)).toBeNull();
    expect(gitBranch(plain, 7000)).toBe('main');
  });
});

describe('a session summary', () => {
  it('is titled by the first prompt, previews the latest reply, and says how it ended when it failed', async () => {
    const harness = coreHarness();
    const session = await harness.create('owner');
    const agent = harness.agents.last();
    expect(session.snapshot().title).toBe(`Session ${session.id.slice(0, 8)}`);
    session.sendInput('Fix the flaky login test\nit fails on CI', { clientId: 'owner', source: 'web' });
    session.sendInput('and then the docs', { clientId: 'owner', source: 'web' });
    agent.emit({ type: 'text', message_id: 'm1', text: 'Found it.\n\nThe **timeout** was too short.' });
    const published = harness.published.filter((event) => event.type === 'session_updated').at(-1);
    expect(published).toMatchObject({ session: { title: 'Fix the flaky login test', preview: 'The timeout was too short.' } });
    agent.emitAgentEvent({ type: 'exited', failure: 'Not logged in' });
    await session.stop();
    expect(session.snapshot()).toMatchObject({ state: 'failed', failure: 'Not logged in' });
  });
});

describe('previewFromReply on a long reply', () => {
  it('reads only the tail, so megabytes cost no more than a page', () => {
    expect(previewFromReply(`${'x'.repeat(4_000_000)}\nIn short: done.`)).toBe('In short: done.');
  });
});
