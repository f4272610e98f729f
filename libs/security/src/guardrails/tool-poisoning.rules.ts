/**
 * What tool poisoning looks like in a definition an agent's model will read: instructions aimed
 * at the model rather than documentation for it (Invariant Labs, "MCP Security Notification:
 * Tool Poisoning Attacks", 2025), characters a person reviewing the definition cannot see, and
 * instructions about how other servers' tools must behave ("shadowing"). The rules favour
 * imperative phrasing aimed at the model: a benign description documents what the tool does
 * ("Reads a file", "Sends a message"); a poisoned one orders the model ("read ~/.ssh/id_rsa").
 */
export interface InstructionRule {
  /** What the rule found, for the finding's detail. */
  readonly detail: string;
  readonly pattern: RegExp;
}

const sentence = String.raw`[^.!?\n]`;

/** Imperative verbs that move data: the model is told to fetch or hand something over. */
const exfiltrationVerb = String.raw`\b(?:read|cat|open|send|pass|include|upload|forward|attach|provide|copy|post|leak)\b`;

export const hiddenInstructionRules: readonly InstructionRule[] = [
  {
    detail: 'an instruction tag aimed at the model',
    pattern:
      /<\s{0,3}\/?\s{0,3}(?:important|system|instructions?|hidden|secret|admin|sys|assistant_instructions)\b[^<>]{0,40}>/i,
  },
  {
    detail: 'asks the model to ignore its previous instructions',
    pattern:
      /\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+)?(?:previous|prior|above|earlier|preceding|system|original)\s+(?:instructions?|prompts?|messages?|rules|directions|guidelines)\b/i,
  },
  {
    detail: 'asks the model to keep something from the user',
    pattern: new RegExp(
      String.raw`\b(?:do\s+not|don'?t|never|must\s+not|should\s+not)\s+(?:tell|mention|inform|reveal|disclose|notify|alert|show)\b${sentence}{0,120}?\b(?:the\s+user|users?|humans?|anyone)\b`,
      'i',
    ),
  },
  {
    detail: 'asks the model to keep something from the user',
    pattern: /\b(?:do\s+not|don'?t|never)\s+(?:mention|tell|reveal|disclose)\s+(?:that|this|it)\b/i,
  },
  {
    detail: 'asks the model to act without telling the user',
    pattern:
      /\b(?:without\s+(?:telling|informing|notifying|alerting|asking)\s+the\s+user|(?:hide|conceal)\s+(?:this|it|that)\s+from\s+the\s+user)\b/i,
  },
  {
    detail: 'asks the model to read or send data before using the tool',
    pattern: new RegExp(
      String.raw`\bbefore\s+(?:using|calling|invoking|running|executing)\s+this\s+tool\b[\s\S]{0,200}?${exfiltrationVerb}${sentence}{0,100}?(?:\bfiles?\b|\bcontents?\b|\bkeys?\b|\btokens?\b|\bsecrets?\b|\bcredentials?\b|\bpasswords?\b|\bconfig\w*|~\/|\/etc\/)`,
      'i',
    ),
  },
  {
    detail: 'refers to a credential or client configuration file',
    pattern:
      /(?:~\/\.ssh\b|\bid_(?:rsa|dsa|ecdsa|ed25519)\b|\bmcp\.json\b|\.aws\/credentials\b|\/etc\/(?:passwd|shadow)\b|\bclaude_desktop_config\.json\b|~\/\.cursor\b|\.config\/gcloud\b|~\/\.netrc\b|\.docker\/config\.json\b|\.kube\/config\b)/i,
  },
  {
    // ".env" alone is ordinary documentation ("loads variables from a .env file"); told to read it is not.
    detail: 'asks the model to read or send an .env file',
    pattern: new RegExp(String.raw`${exfiltrationVerb}${sentence}{0,80}?(?<![\w.])\.env\b`, 'i'),
  },
  {
    detail: 'asks the model to send data to a URL',
    pattern: new RegExp(
      String.raw`\b(?:send|post|upload|forward|transmit|exfiltrate|submit|leak)\b${sentence}{0,120}?\bto\s+<?https?:\/\/`,
      'i',
    ),
  },
];

/**
 * Characters that render as nothing or reorder what is shown: zero-width and joiners
 * (U+200B-U+200F), word joiner and invisible operators (U+2060-U+2064), the byte order mark,
 * bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069; "Trojan
 * Source", CVE-2021-42574) and the tag block (U+E0000-U+E007F), which can spell out a whole
 * hidden ASCII text.
 */
export const invisibleCharacters =
  /[\u200B-\u200F\u2060-\u2064\uFEFF\u202A-\u202E\u2066-\u2069\u{E0000}-\u{E007F}]/gu;

/** Instructions about other tools in general, whoever's they are. */
export const crossToolRules: readonly InstructionRule[] = [
  {
    detail: 'instructs how other tools must behave',
    pattern: new RegExp(
      String.raw`\b(?:all|every|any)\s+(?:of\s+the\s+)?(?:other\s+)?tools?\b${sentence}{0,80}?\b(?:must|should|shall|need\s+to|have\s+to|are\s+required\s+to)\b`,
      'i',
    ),
  },
  {
    detail: 'instructs how other tools must behave',
    pattern: /\bwhen\s+(?:using|calling|invoking)\s+(?:any|other|another|all)\s+(?:other\s+)?tools?\b/i,
  },
  {
    detail: 'claims to change the behaviour of other tools',
    pattern:
      /\b(?:overrides?|replaces?|supersedes?|modif(?:y|ies)|changes?)\s+the\s+behaviou?r\s+of\s+(?:the\s+|all\s+|any\s+|other\s+)*(?:[\w.-]+\s+)?tools?\b/i,
  },
];

/** Words that make a sentence naming another tool an instruction rather than a cross-reference. */
export const instructionWords =
  /\b(?:must|always|never|instead|do\s+not|don'?t|should|shall|whenever|overrides?|ignore|replace|redirect|send|forward|bcc|cc|only|required)\b/i;

/** Base64 long enough to hide a sentence; shorter runs are ids and hashes. */
export const base64Run = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{40,}={0,2}/g;
