import { describe, expect, it } from 'vitest';
import { makeStyle } from '../../../cli/lib/style.ts';
import { terminalText } from '../../../cli/lib/terminal-text.ts';

const ESC = '\u001b';
const BEL = '\u0007';

describe('terminalText', () => {
  it('drops what would drive the terminal from a hostile title, model, label or transcript', () => {
    const hostile = {
      // OSC 52 writes the clipboard; ESC[2J ESC[H clears the screen and homes the cursor.
      title: `fix tests${ESC}]52;c;cm0gLXJmIH4K${BEL}${ESC}[2J${ESC}[H`,
      // OSC 0 retitles the window; the string terminator form too.
      model: `opus${ESC}]0;pwned${ESC}\\`,
      // A right-to-left override and an isolate reorder what is shown.
      label: 'Chrome on \u202eiPhone\u2066x\u2069',
      // Carriage return and backspaces overwrite the line; DCS, a C1 CSI and DEL.
      transcript: `rm -rf ~\r      ls\b\b${ESC}P1$qm${ESC}\\\u009b2J\u007fdone\r\nnext\tcol`,
    };
    expect(terminalText(hostile.title)).toBe('fix tests');
    expect(terminalText(hostile.model)).toBe('opus');
    expect(terminalText(hostile.label)).toBe('Chrome on iPhonex');
    expect(terminalText(hostile.transcript)).toBe('rm -rf ~      ls2Jdone\nnext\tcol');
    for (const text of Object.values(hostile)) {
      // eslint-disable-next-line no-control-regex
      expect(terminalText(text)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }
  });

  it('an unterminated or split sequence leaves no escape behind', () => {
    expect(terminalText(`a${ESC}]52;c;abc`)).toBe('a52;c;abc');
    expect(terminalText(`b${ESC}`)).toBe('b');
    expect(terminalText(`${ESC}[38;5;1mred${ESC}[8mhidden${ESC}[0m`)).toBe('redhidden');
  });

  it("keeps this CLI's own colours, newlines and tabs", () => {
    const style = makeStyle(true);
    const line = `${style.bold(style.green('✓ allowed'))}\t${style.dim(style.red('x'))}\n`;
    expect(terminalText(line)).toBe(line);
  });
});
