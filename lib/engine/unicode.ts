// Invisible, bidirectional-control and Unicode tag characters: found in text, and shown visibly (U+200B) to reviewers.

const NAMES: Record<number, string> = {
  0x00ad: "SOFT HYPHEN",
  0x034f: "COMBINING GRAPHEME JOINER",
  0x061c: "ARABIC LETTER MARK",
  0x115f: "HANGUL CHOSEONG FILLER",
  0x1160: "HANGUL JUNGSEONG FILLER",
  0x180e: "MONGOLIAN VOWEL SEPARATOR",
  0x200b: "ZERO WIDTH SPACE",
  0x200c: "ZERO WIDTH NON-JOINER",
  0x200d: "ZERO WIDTH JOINER",
  0x200e: "LEFT-TO-RIGHT MARK",
  0x200f: "RIGHT-TO-LEFT MARK",
  0x202a: "LEFT-TO-RIGHT EMBEDDING",
  0x202b: "RIGHT-TO-LEFT EMBEDDING",
  0x202c: "POP DIRECTIONAL FORMATTING",
  0x202d: "LEFT-TO-RIGHT OVERRIDE",
  0x202e: "RIGHT-TO-LEFT OVERRIDE",
  0x2060: "WORD JOINER",
  0x2061: "FUNCTION APPLICATION",
  0x2062: "INVISIBLE TIMES",
  0x2063: "INVISIBLE SEPARATOR",
  0x2064: "INVISIBLE PLUS",
  0x2066: "LEFT-TO-RIGHT ISOLATE",
  0x2067: "RIGHT-TO-LEFT ISOLATE",
  0x2068: "FIRST STRONG ISOLATE",
  0x2069: "POP DIRECTIONAL ISOLATE",
  0x3164: "HANGUL FILLER",
  0xfeff: "ZERO WIDTH NO-BREAK SPACE",
  0xffa0: "HALFWIDTH HANGUL FILLER",
};

export type HiddenKind = "invisible" | "bidi" | "tag" | "control" | "variation-selector";

export interface HiddenCharacter {
  codePoint: number;
  /** "U+200B" */
  label: string;
  name: string;
  kind: HiddenKind;
  /** Index in the string (UTF-16). */
  index: number;
}

const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

function classify(cp: number): HiddenKind | null {
  if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp === 0x200e || cp === 0x200f || cp === 0x061c) return "bidi";
  if (cp >= 0xe0000 && cp <= 0xe007f) return "tag";
  if (cp >= 0xe0100 && cp <= 0xe01ef) return "variation-selector";
  if (NAMES[cp]) return "invisible";
  if ((cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) || (cp >= 0x7f && cp <= 0x9f)) return "control";
  return null;
}

export function codePointLabel(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
}

function nameOf(cp: number, kind: HiddenKind): string {
  if (NAMES[cp]) return NAMES[cp]!;
  if (kind === "tag") return cp >= 0xe0020 && cp <= 0xe007e ? `TAG ${JSON.stringify(String.fromCharCode(cp - 0xe0000))}` : "TAG CHARACTER";
  if (kind === "variation-selector") return `VARIATION SELECTOR-${cp - 0xe0100 + 17}`;
  return "CONTROL CHARACTER";
}

/** Hidden characters in `text`. A zero-width joiner between two emoji is part of the emoji, not hidden text. */
export function hiddenCharacters(text: string): HiddenCharacter[] {
  const out: HiddenCharacter[] = [];
  const chars = Array.from(text);
  let index = 0;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const cp = ch.codePointAt(0)!;
    const kind = classify(cp);
    const emojiJoiner = cp === 0x200d && PICTOGRAPHIC.test(chars[i - 1] ?? "") && PICTOGRAPHIC.test(chars[i + 1] ?? "");
    if (kind && !emojiJoiner) out.push({ codePoint: cp, label: codePointLabel(cp), name: nameOf(cp, kind), kind, index });
    index += ch.length;
  }
  return out;
}

/** The text with every hidden character replaced by a visible marker such as ⟦U+200B⟧. */
export function showHidden(text: string): string {
  const hidden = hiddenCharacters(text);
  if (hidden.length === 0) return text;
  let out = "";
  let last = 0;
  for (const h of hidden) {
    out += text.slice(last, h.index) + `⟦${h.label}⟧`;
    last = h.index + String.fromCodePoint(h.codePoint).length;
  }
  return out + text.slice(last);
}

/** The text hidden in Unicode tag characters (U+E0020–U+E007E mirror ASCII), if any: what the model may read. */
export function decodeTagText(text: string): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xe0020 && cp <= 0xe007e) out += String.fromCharCode(cp - 0xe0000);
  }
  return out;
}
