import { crc32, deflateSync } from 'node:zlib';

/** A real PNG of one colour, `width` × `height` (RGB, 8 bits), small once compressed. */
export function png(width: number, height: number, rgb: [number, number, number] = [200, 40, 90]): Buffer {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return pngOf(width, height, deflateSync(raw, { level: 9 }));
}

/**
 * A decompression bomb: a few hundred bytes whose header says 50000 × 50000 px (7.5 GB once
 * decoded). Its data is a valid zlib stream of zeros that stops short: only the header matters.
 */
export function decompressionBomb(): Buffer {
  return pngOf(50_000, 50_000, deflateSync(Buffer.alloc(64 * 1024)));
}

function pngOf(width: number, height: number, idat: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** The first bytes of an ELF executable, as a renamed binary would start. */
export function elfExecutable(): Buffer {
  const bytes = Buffer.alloc(4096);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  return bytes;
}
