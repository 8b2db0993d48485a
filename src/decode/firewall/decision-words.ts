/**
 * The decision a device's own word for it states (`Accept`, `permit`, `DROP`, `blocked`, ...), in
 * Nightjar's four: allow, deny, drop, reject. Used where a format has no fixed vocabulary.
 */
const WORDS: Readonly<Record<string, string>> = {
  allow: 'allow', allowed: 'allow', accept: 'allow', accepted: 'allow', permit: 'allow', permitted: 'allow', pass: 'allow', passed: 'allow',
  deny: 'deny', denied: 'deny', block: 'deny', blocked: 'deny', prevent: 'deny', prevented: 'deny',
  drop: 'drop', dropped: 'drop', discard: 'drop', discarded: 'drop',
  reject: 'reject', rejected: 'reject', reset: 'reject', refuse: 'reject', refused: 'reject',
};

/** The decision of one word (case-insensitive), or null when it is not one. */
export function decisionOf(word: string): string | null {
  return WORDS[word.toLowerCase()] ?? null;
}

/** The first decision any word of a free text states (`DROP_INPUT`, `lan allow`), or null. */
export function decisionIn(text: string): string | null {
  for (const w of text.split(/[^A-Za-z]+/)) {
    const d = w === '' ? null : decisionOf(w);
    if (d !== null) return d;
  }
  return null;
}
