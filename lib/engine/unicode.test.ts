import { describe, expect, it } from "vitest";
import { decodeTagText, hiddenCharacters, showHidden } from "./unicode";

describe("hidden characters", () => {
  it("finds zero-width, bidi, tag and control characters and labels them", () => {
    const text = "a\u200bb\u202ec\u{E0041}d\u0007e\u{E0101}";
    expect(hiddenCharacters(text).map((h) => `${h.label} ${h.kind}`)).toEqual([
      "U+200B invisible",
      "U+202E bidi",
      "U+E0041 tag",
      "U+0007 control",
      "U+E0101 variation-selector",
    ]);
    expect(showHidden(text)).toBe("a⟦U+200B⟧b⟦U+202E⟧c⟦U+E0041⟧d⟦U+0007⟧e⟦U+E0101⟧");
    expect(decodeTagText("x\u{E0068}\u{E0069}")).toBe("hi");
  });

  it("leaves emoji sequences, tabs and newlines alone", () => {
    expect(hiddenCharacters("👩‍💻 ⚠️ ok\tfine\nyes")).toEqual([]);
    expect(showHidden("plain")).toBe("plain");
  });
});
