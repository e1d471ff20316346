/**
 * What a browser that is not signed in gets for any page: a form for a pairing code. Opening a
 * pairing link fills the code in; signing in is still a click (a POST), so a link preview or
 * a prefetch cannot spend the code.
 */
export function signedOutPage(options: { code?: string | null; key?: string | null; error?: string } = {}): string {
  const code = /^[0-9A-Za-z-]{1,16}$/.test(options.code ?? '') ? (options.code as string) : '';
  // The link's key rides along unseen: with it the sign-in is not throttled (lib/server/devices.ts, PairingCodes).
  const key =
    code && /^[A-Za-z0-9_-]{22}$/.test(options.key ?? '') ? `\n<input type="hidden" name="key" value="${options.key as string}">` : '';
  const error = options.error ? `<p role="alert" class="error">${escapeHtml(options.error)}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>vibes: sign in</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; padding: 1.5rem; max-width: 28rem; color-scheme: light dark; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input { font: inherit; width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; }
  button { font: inherit; margin-top: 1rem; padding: .5rem 1rem; }
  .error { color: #b91c1c; }
  .hint { opacity: .8; font-size: .9rem; }
</style></head>
<body><main data-testid="sign-in"><h1>vibes</h1>
<p>This browser is not signed in. Run <code>vibes pair</code> on the machine vibes runs on: open its link (or scan its QR code) and press Sign in, or type its code here.</p>
${error}
<form method="post" action="/api/sign-in">
<label for="code">Pairing code</label>
<input id="code" name="code" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" required maxlength="16" placeholder="ABCD-1234" value="${code}">${key}
<label for="label">Name this device <span class="hint">(optional)</span></label>
<input id="label" name="label" maxlength="100" placeholder="My phone">
<button type="submit">Sign in</button>
</form>
<p class="hint">A code works once, for a few minutes. A signed-in browser stays signed in until it signs out, is revoked, or is left unused for a long time.</p>
</main></body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
