import { describe, expect, it } from "vitest";
import { matchesNearAnchors } from "./text";

// The shape of the secrets check's assignment pattern: a bounded name run before a keyword, then a quoted value.
const PATTERN =
  /["']?([A-Za-z0-9_.-]{0,40}(?:secret|token|client_?secret)[A-Za-z0-9_]{0,20})["']?\s{0,5}(?::|=)\s{0,5}["'`]([^"'`\s]{4,200})["'`]/gi;
const ANCHOR = /secret|token|client_?secret/i;
const REACH = 41;

const expected = (text: string) => [...text.matchAll(PATTERN)].map((m) => [m.index, ...m]);
const actual = (text: string) => [...matchesNearAnchors(text, PATTERN, ANCHOR, REACH)].map((m) => [m.index, ...m]);

describe("matchesNearAnchors", () => {
  it("finds what matchAll finds: names at the 40-character limit, overlapping keywords, adjacent and repeated matches", () => {
    const texts = [
      "",
      "nothing to see here",
      `const token = "abcdefgh";`,
      `${"a".repeat(40)}token = "abcdefgh"`,
      `${"a".repeat(41)}token = "abcdefgh"`,
      `x${"b".repeat(39)}_client_secret: 'abcdefgh' client_secret='ijklmnop'"secret"="qrstuvwx"`,
      `TOKEN="abcd1234"TOKEN="efgh5678" token token token = "zzzzzzzz"`,
      `{"apiToken": "abcdefghij", "secretToken": \`klmnopqrst\`, "tokens":"no"}`,
      `secret = "short" secret = "long-enough-value"`,
    ];
    for (const text of texts) expect(actual(text), text).toEqual(expected(text));
  });

  it("agrees with matchAll on random text built from the pattern's own pieces", () => {
    const pieces = [
      "token",
      "secret",
      "client_",
      "Secret",
      "a",
      "b9",
      "_",
      ".",
      "-",
      '"',
      "'",
      "`",
      " ",
      "=",
      ":",
      "abcdefgh",
      '="abcdefgh"',
      "\n",
      "x".repeat(30),
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let withMatches = 0;
    for (let i = 0; i < 1000; i++) {
      const text = Array.from({ length: 5 + Math.floor(random() * 60) }, () => pieces[Math.floor(random() * pieces.length)]).join("");
      expect(actual(text), text).toEqual(expected(text));
      if (expected(text).length > 0) withMatches++;
    }
    // Enough of them match for the comparison to mean something.
    expect(withMatches).toBeGreaterThan(100);
  });
});
