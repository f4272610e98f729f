/**
 * The wire format both adapters share: JSON text, null for a tombstone. The in-process bus
 * goes through it too, so a value that would not survive Kafka fails the same way in the
 * embedded topology, and every handler gets its own copy of the value.
 */
export function serializeValue(topic: string, value: unknown): string | null {
  if (value === null) return null;
  const text: unknown = JSON.stringify(value);
  // JSON.stringify returns undefined for undefined, functions and symbols.
  if (typeof text !== 'string') {
    throw new TypeError(
      `Message value for topic ${topic} is not JSON-serialisable; use null for a tombstone`,
    );
  }
  return text;
}

export function parseValue(text: string | null): unknown {
  return text === null ? null : (JSON.parse(text) as unknown);
}
