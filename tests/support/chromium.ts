/** Debian's Chromium as the e2e suite and the browser benches launch it: no downloads, no background traffic. */
export const CHROMIUM_LAUNCH = {
  executablePath: '/usr/lib/chromium/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};
