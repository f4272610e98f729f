import type { ToolFinding } from '@gateway/contracts';
import { childPath } from './json-path.format';
import {
  base64Run,
  crossToolRules,
  hiddenInstructionRules,
  instructionWords,
  type InstructionRule,
  invisibleCharacters,
} from './tool-poisoning.rules';

/** The parts of an MCP tool definition an agent's model reads; an SDK `Tool` fits as it is. */
export interface ToolDefinition {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema?: unknown;
  readonly outputSchema?: unknown;
  readonly annotations?: unknown;
}

/** A tool of another server, which a definition must not give the model orders about. */
export interface OtherTool {
  readonly server: string;
  readonly name: string;
}

/** One string of the definition and where it is; `key` when it is a property name. */
interface ScannedText {
  readonly path: string;
  readonly text: string;
  readonly key: boolean;
}

const excerptLength = 80;
const sentenceReach = 200;
const tagBlockStart = 0xe0000;

function collectTexts(value: unknown, path: string, into: ScannedText[]): void {
  if (typeof value === 'string') into.push({ path, text: value, key: false });
  else if (Array.isArray(value))
    value.forEach((item, index) => collectTexts(item, childPath(path, index), into));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      into.push({ path: childPath(path, key), text: key, key: true });
      collectTexts(item, childPath(path, key), into);
    }
  }
}

/** Every string a model may read: name, title, description, annotations, and all of both schemas. */
function textsOf(tool: ToolDefinition): ScannedText[] {
  const texts: ScannedText[] = [];
  for (const field of [
    'name',
    'title',
    'description',
    'annotations',
    'inputSchema',
    'outputSchema',
  ] as const) {
    collectTexts(tool[field], field, texts);
  }
  return texts;
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > excerptLength ? `${flat.slice(0, excerptLength - 1)}…` : flat);
}

function codePoint(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Tag characters U+E0020-U+E007E mirror ASCII: what a model reads and a reviewer does not see. */
function tagText(text: string): string {
  let hidden = '';
  for (const character of text) {
    const point = character.codePointAt(0)!;
    if (point >= tagBlockStart + 0x20 && point <= tagBlockStart + 0x7e) {
      hidden += String.fromCharCode(point - tagBlockStart);
    }
  }
  return hidden;
}

/** A zero-width joiner inside an emoji sequence (👩‍💻) is how the emoji is written, not a hiding place. */
const emojiJoiner =
  /(?<=\p{Extended_Pictographic}[\u{FE0F}\u{1F3FB}-\u{1F3FF}]?)\u200D(?=\p{Extended_Pictographic})/gu;

function invisibleFinding(scanned: ScannedText): ToolFinding | undefined {
  const found = scanned.text.replace(emojiJoiner, '').match(invisibleCharacters);
  if (!found) return undefined;
  const points = [...new Set(found.map(codePoint))];
  const hidden = tagText(scanned.text);
  const parts = [
    `invisible characters ${points.join(', ')} (${found.length} in all)`,
    ...(hidden ? [`hidden tag text ${excerpt(hidden)}`] : []),
  ];
  return { kind: 'invisible-unicode', path: scanned.path, detail: parts.join('; ') };
}

function matchingRules(
  text: string,
  rules: readonly InstructionRule[],
): Array<{ rule: InstructionRule; match: string }> {
  return rules.flatMap((rule) => {
    const match = rule.pattern.exec(text);
    return match ? [{ rule, match: match[0] }] : [];
  });
}

/** Readable text a long base64 run decodes to; undefined for binary data, hashes and ids. */
function decodedBase64(run: string): string | undefined {
  const decoded = Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  const printable = decoded.replace(/[^\x20-\x7E\t\r\n]/g, '').length;
  return decoded.includes(' ') && printable >= decoded.length * 0.95 ? decoded : undefined;
}

function hiddenInstructionFindings(scanned: ScannedText, readable: string): ToolFinding[] {
  const where = scanned.key ? ' (in a property name)' : '';
  const direct = matchingRules(readable, hiddenInstructionRules).map(({ rule, match }) => ({
    detail: `${rule.detail}: ${excerpt(match)}${where}`,
  }));
  const encoded = [...readable.matchAll(base64Run)].flatMap(([run]) => {
    const decoded = decodedBase64(run);
    if (decoded === undefined) return [];
    return matchingRules(decoded, hiddenInstructionRules).map(({ rule, match }) => ({
      detail: `base64-encoded text that ${rule.detail}: ${excerpt(match)}${where}`,
    }));
  });
  const unique = new Set([...direct, ...encoded].map((finding) => finding.detail));
  return [...unique].map((detail) => ({ kind: 'hidden-instructions', path: scanned.path, detail }));
}

/** A plain word ("search") names a tool only when written as one: quoted, or next to "tool". */
function isDistinctive(name: string): boolean {
  return /[_\-.\d]|[a-z][A-Z]/.test(name);
}

function writtenAsToolReference(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 6), start);
  const after = text.slice(end, end + 6);
  const quoted = /[`'"]$/.test(before) && /^[`'"]/.test(after);
  return quoted || /^[`'"]?\s+tools?\b/i.test(after) || /\btool\s+[`'"]?$/i.test(before);
}

/** The sentence of a mention, at most `sentenceReach` characters either side of it. */
function sentenceAround(text: string, start: number, end: number): string {
  const boundary = /[.!?\n]/;
  let from = start;
  while (from > Math.max(0, start - sentenceReach) && !boundary.test(text[from - 1]!)) from -= 1;
  let to = end;
  while (to < Math.min(text.length, end + sentenceReach) && !boundary.test(text[to]!)) to += 1;
  return text.slice(from, to);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

type MentionFinder = (text: string) => Array<{ tool: OtherTool; sentence: string }>;

/** One pass over a text finds the other tools it gives orders about. */
function mentionFinder(ownName: string, otherTools: readonly OtherTool[]): MentionFinder | undefined {
  const byName = new Map<string, OtherTool>();
  for (const other of otherTools) {
    if (other.name !== ownName && other.name.length > 1) byName.set(other.name.toLowerCase(), other);
  }
  if (byName.size === 0) return undefined;
  const names = [...byName.keys()].sort((left, right) => right.length - left.length).map(escapeRegExp);
  // Agents see "<server>_<tool>" where several servers are exposed, so a prefix may precede the name.
  const pattern = new RegExp(`(?<![A-Za-z0-9])(?:${names.join('|')})(?![\\w-])`, 'gi');
  return (text) => {
    // One finding per tool and text is enough: later mentions of a tool already found are skipped.
    const found = new Map<OtherTool, string>();
    for (const match of text.matchAll(pattern)) {
      const tool = byName.get(match[0].toLowerCase())!;
      if (found.has(tool)) continue;
      const start = match.index;
      const end = start + match[0].length;
      if (!isDistinctive(tool.name) && !writtenAsToolReference(text, start, end)) continue;
      const sentence = sentenceAround(text, start, end);
      if (instructionWords.test(sentence)) found.set(tool, sentence);
    }
    return [...found].map(([tool, sentence]) => ({ tool, sentence }));
  };
}

function shadowingFindings(
  scanned: ScannedText,
  readable: string,
  mentions: MentionFinder | undefined,
): ToolFinding[] {
  const details = matchingRules(readable, crossToolRules).map(
    ({ rule, match }) => `${rule.detail}: ${excerpt(match)}`,
  );
  for (const { tool, sentence } of mentions?.(readable) ?? []) {
    details.push(
      `gives instructions about tool "${tool.name}" of server "${tool.server}": ${excerpt(sentence)}`,
    );
  }
  return [...new Set(details)].map((detail) => ({ kind: 'shadowing', path: scanned.path, detail }));
}

/**
 * Scans a tool definition for poisoning: hidden instructions, invisible characters, and
 * shadowing of `otherTools` (the other servers' tools). Every string is scanned, the schemas'
 * property names, enums, defaults and examples included, since a model reads them all. The
 * instruction rules read the text without its invisible characters, and the ASCII a tag-block
 * run spells out, so zero-width characters inside a word do not hide it.
 */
export function scanToolDefinition(tool: ToolDefinition, otherTools: readonly OtherTool[]): ToolFinding[] {
  const mentions = mentionFinder(tool.name, otherTools);
  return textsOf(tool).flatMap((scanned) => {
    const visible = scanned.text.replace(invisibleCharacters, '');
    const hidden = tagText(scanned.text);
    const readable = hidden ? `${visible}\n${hidden}` : visible;
    const invisible = invisibleFinding(scanned);
    return [
      ...(invisible ? [invisible] : []),
      ...hiddenInstructionFindings(scanned, readable),
      ...shadowingFindings(scanned, readable, mentions),
    ];
  });
}
