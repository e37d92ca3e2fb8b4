// Owns file names that are not UTF-8. Git stores a name as bytes, and a name written by another
// system (Latin-1, Shift-JIS) is not text. Such a name keeps its bytes, so the file can still be
// read and reported, and gets a readable form for rules and people: each byte that is not part of
// valid UTF-8 written the way git writes it, a backslash and three octal digits (`caf\351.txt`).

const strict = new TextDecoder('utf-8', { fatal: true });

export interface DecodedPath {
  /** The name as text: itself when it is UTF-8, else with each invalid byte as `\ooo`. */
  path: string;
  /** The name's bytes, only when it is not UTF-8 (the text form does not give them back by itself). */
  pathBytes?: Buffer;
}

export function decodePath(bytes: Buffer): DecodedPath {
  const text = bytes.toString('utf8');
  // Fast path: valid UTF-8 survives the round trip (and has no U+FFFD it did not have).
  if (!text.includes('\uFFFD') || isUtf8(bytes)) return { path: text };
  let path = '';
  for (let i = 0; i < bytes.length; ) {
    const n = sequenceLength(bytes[i]);
    const decoded = n > 0 && i + n <= bytes.length ? tryDecode(bytes.subarray(i, i + n)) : undefined;
    if (decoded !== undefined) {
      path += decoded;
      i += n;
    } else {
      path += `\\${bytes[i].toString(8).padStart(3, '0')}`;
      i += 1;
    }
  }
  return { path, pathBytes: Buffer.from(bytes) };
}

function isUtf8(bytes: Buffer): boolean {
  return tryDecode(bytes) !== undefined;
}

function tryDecode(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

/** How many bytes a UTF-8 sequence starting with this byte has; 0 when it cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}
