/** A QR code drawn with block characters, for a phone to scan off the terminal. */
export async function terminalQr(url: string): Promise<string> {
  // Loaded on demand: most starts and most CLI commands never draw one.
  const { default: QRCode } = await import('qrcode');
  return QRCode.toString(url, { type: 'terminal', small: true });
}
