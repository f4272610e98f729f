import {
  appendFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../observability/logger';

/** One message as the publisher holds it: the value is already JSON text (null: tombstone). */
export interface SpooledMessage {
  readonly topic: string;
  readonly key: string;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

export interface DiskSpoolOptions {
  /** The directory this process owns (see claimSpoolDirectory). */
  readonly directory: string;
  /** Beyond it the oldest segment is dropped, as the memory buffer drops its oldest message. */
  readonly maxBytes: number;
  readonly segmentBytes?: number;
  readonly logger: Logger;
  /** Called with the number of messages lost (oldest segment dropped, unreadable line). */
  readonly onDrop: (count: number, reason: string) => void;
}

interface Segment {
  readonly id: number;
  readonly path: string;
  bytes: number;
  messages: number;
}

interface HeadSegment {
  readonly id: number;
  readonly messages: SpooledMessage[];
}

interface SpoolCursor {
  readonly segment: number;
  readonly line: number;
}

const segmentPattern = /^segment-(\d{12})\.ndjson$/;
const cursorFile = 'cursor.json';
const defaultSegmentBytes = 8 * 1024 * 1024;

function segmentName(id: number): string {
  return `segment-${String(id).padStart(12, '0')}.ndjson`;
}

function encode(message: SpooledMessage): string {
  return `${JSON.stringify({ t: message.topic, k: message.key, v: message.value, h: message.headers })}\n`;
}

function decode(line: string): SpooledMessage {
  const raw = JSON.parse(line) as { t: unknown; k: unknown; v: unknown; h: unknown };
  if (typeof raw.t !== 'string' || typeof raw.k !== 'string') throw new Error('missing topic or key');
  if (raw.v !== null && typeof raw.v !== 'string') throw new Error('value is neither text nor null');
  return { topic: raw.t, key: raw.k, value: raw.v, headers: (raw.h ?? {}) as Record<string, string> };
}

/**
 * The second tier of the publish buffer: messages that did not fit in memory while the broker
 * was away, appended to segment files in order and read back from the oldest. The read position
 * is saved only when the broker acknowledged a batch, so a crash resends at most one batch
 * (consumers drop redeliveries by event id) and loses nothing that reached the disk.
 *
 * Writes are synchronous: the spool is only written while the broker is unreachable or slower
 * than the publishers, and a synchronous append keeps the order of the file equal to the order
 * of publish() without a write queue of its own.
 */
export class DiskSpool {
  private readonly segments: Segment[] = [];
  private head: HeadSegment | undefined;
  /** Messages of the head segment already acknowledged. */
  private headPosition = 0;
  /** Messages handed out by take() and not yet acknowledged. */
  private reserved = 0;
  /** Sums over the segment files on disk. */
  private fileMessages = 0;
  private fileBytes = 0;
  private lastSegmentId = 0;
  private readonly segmentBytes: number;

  constructor(private readonly options: DiskSpoolOptions) {
    // Several segments fit in the limit, so dropping the oldest one frees room without emptying it.
    this.segmentBytes =
      options.segmentBytes ?? Math.min(defaultSegmentBytes, Math.ceil(options.maxBytes / 4));
    mkdirSync(options.directory, { recursive: true });
    this.recover();
  }

  /** Messages on disk not yet acknowledged (including those taken and in flight). */
  get size(): number {
    return this.fileMessages - this.headPosition;
  }

  /** Disk space the segment files take. */
  get bytes(): number {
    return this.fileBytes;
  }

  /** Messages available to take(): on disk and not in flight. */
  get available(): number {
    return this.size - this.reserved;
  }

  append(messages: readonly SpooledMessage[]): void {
    if (messages.length === 0) return;
    let tail = this.segments.at(-1);
    if (tail === undefined || tail.bytes >= this.segmentBytes) tail = this.openSegment();
    const text = messages.map(encode).join('');
    const bytes = Buffer.byteLength(text);
    appendFileSync(tail.path, text);
    tail.bytes += bytes;
    tail.messages += messages.length;
    this.fileBytes += bytes;
    this.fileMessages += messages.length;
    if (this.head?.id === tail.id) this.head.messages.push(...messages);
    this.enforceLimit();
  }

  /**
   * The oldest messages not in flight, while `fits` accepts them; they stay on disk until
   * acknowledge(). Only one batch may be in flight.
   */
  take(fits: (message: SpooledMessage, taken: number) => boolean): SpooledMessage[] {
    if (this.reserved > 0) throw new Error('the spooled batch in flight must be acknowledged first');
    const head = this.loadHead();
    if (head === undefined) return [];
    const taken: SpooledMessage[] = [];
    for (let index = this.headPosition; index < head.messages.length; index += 1) {
      const message = head.messages[index] as SpooledMessage;
      if (!fits(message, taken.length)) break;
      taken.push(message);
    }
    this.reserved = taken.length;
    return taken;
  }

  /** The broker acknowledged what take() returned: move past it for good. */
  acknowledge(): void {
    const segment = this.segments[0];
    if (this.reserved === 0 || segment === undefined) return;
    this.headPosition += this.reserved;
    this.reserved = 0;
    if (this.headPosition >= segment.messages) {
      this.discardHeadSegment();
    } else {
      this.saveCursor({ segment: segment.id, line: this.headPosition });
    }
  }

  private loadHead(): HeadSegment | undefined {
    for (;;) {
      const segment = this.segments[0];
      if (segment === undefined) return undefined;
      if (this.head?.id !== segment.id) this.head = this.readSegment(segment);
      if (this.headPosition < this.head.messages.length) return this.head;
      this.discardHeadSegment();
    }
  }

  private readSegment(segment: Segment): HeadSegment {
    const messages: SpooledMessage[] = [];
    for (const line of readFileSync(segment.path, 'utf8').split('\n')) {
      if (line === '') continue;
      try {
        messages.push(decode(line));
      } catch {
        // A torn line from a crash mid-write; the rest of the segment is intact.
      }
    }
    const unreadable = segment.messages - messages.length;
    if (unreadable > 0) {
      this.options.onDrop(unreadable, 'unreadable spool line');
      this.fileMessages -= unreadable;
      segment.messages = messages.length;
    }
    return { id: segment.id, messages };
  }

  private openSegment(): Segment {
    this.lastSegmentId += 1;
    const id = this.lastSegmentId;
    const segment: Segment = {
      id,
      path: join(this.options.directory, segmentName(id)),
      bytes: 0,
      messages: 0,
    };
    writeFileSync(segment.path, '', { flag: 'a' });
    this.segments.push(segment);
    return segment;
  }

  private discardHeadSegment(): void {
    const segment = this.segments.shift();
    if (segment === undefined) return;
    if (this.head?.id === segment.id) this.head = undefined;
    this.fileMessages -= segment.messages;
    this.fileBytes -= segment.bytes;
    this.headPosition = 0;
    // The cursor moves first: a crash between the two steps leaves a segment recover() deletes.
    this.saveCursor({ segment: this.segments[0]?.id ?? this.lastSegmentId + 1, line: 0 });
    rmSync(segment.path, { force: true });
  }

  /** Drops the oldest segments not in flight until the spool fits its limit again. */
  private enforceLimit(): void {
    while (this.fileBytes > this.options.maxBytes && this.segments.length > 1) {
      if (this.reserved === 0) {
        const lost = (this.segments[0] as Segment).messages - this.headPosition;
        this.discardHeadSegment();
        this.options.onDrop(lost, 'spool full');
        continue;
      }
      // The head segment is in flight; the oldest after it goes instead, unless it is the tail.
      if (this.segments.length < 3) return;
      const [victim] = this.segments.splice(1, 1) as [Segment];
      rmSync(victim.path, { force: true });
      this.fileBytes -= victim.bytes;
      this.fileMessages -= victim.messages;
      this.options.onDrop(victim.messages, 'spool full');
    }
  }

  private saveCursor(cursor: SpoolCursor): void {
    const path = join(this.options.directory, cursorFile);
    writeFileSync(`${path}.tmp`, JSON.stringify(cursor));
    renameSync(`${path}.tmp`, path);
  }

  /** Rebuilds the segment list and read position from what a previous process left. */
  private recover(): void {
    const ids = readdirSync(this.options.directory)
      .map((name) => segmentPattern.exec(name)?.[1])
      .filter((id): id is string => id !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    const cursor = this.readCursor();
    this.lastSegmentId = Math.max(0, (cursor?.segment ?? 1) - 1, ids.at(-1) ?? 0);
    for (const id of ids) {
      const path = join(this.options.directory, segmentName(id));
      if (cursor && id < cursor.segment) {
        rmSync(path, { force: true });
        continue;
      }
      const content = readFileSync(path);
      this.segments.push({ id, path, bytes: content.length, messages: countLines(content) });
      this.fileBytes += content.length;
      this.fileMessages += countLines(content);
    }
    const first = this.segments[0];
    if (first && cursor?.segment === first.id) this.headPosition = Math.min(cursor.line, first.messages);
    if (this.size > 0) {
      this.options.logger.info(
        { directory: this.options.directory, messages: this.size, bytes: this.fileBytes },
        'spooled events found; they are sent before new ones',
      );
    }
  }

  private readCursor(): SpoolCursor | undefined {
    try {
      const raw = JSON.parse(readFileSync(join(this.options.directory, cursorFile), 'utf8')) as SpoolCursor;
      return Number.isInteger(raw.segment) && Number.isInteger(raw.line) ? raw : undefined;
    } catch {
      return undefined;
    }
  }
}

function countLines(content: Buffer): number {
  let lines = 0;
  for (let index = content.indexOf(10); index !== -1; index = content.indexOf(10, index + 1)) lines += 1;
  return lines;
}
