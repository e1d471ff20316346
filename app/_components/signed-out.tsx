'use client';

export default function SignedOut() {
  return (
    <main className="mx-auto max-w-md p-6" data-testid="signed-out">
      <h1 className="text-xl font-semibold">Signed out</h1>
      <p className="mt-2 text-muted">
        This browser is no longer signed in (it signed out, was revoked, or the token was rotated). Run <code>vibes pair</code> on the
        machine vibes runs on and open its link to sign in again.
      </p>
    </main>
  );
}
