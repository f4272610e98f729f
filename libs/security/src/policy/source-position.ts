/** A 1-based position in a text, columns counted in characters (code points), as editors show them. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

function positionAfter(prefix: string): SourcePosition {
  const lines = prefix.split('\n');
  return { line: lines.length, column: [...(lines.at(-1) ?? '')].length + 1 };
}

/** Cedar reports source locations as UTF-8 byte offsets into the text it was given. */
export function positionOfByteOffset(text: string, byteOffset: number): SourcePosition {
  return positionAfter(Buffer.from(text, 'utf8').subarray(0, byteOffset).toString('utf8'));
}

/** The position of a JavaScript string index (UTF-16 code units). */
export function positionOfIndex(text: string, index: number): SourcePosition {
  return positionAfter(text.slice(0, Math.max(0, index)));
}
