// Which passwords are refused: fewer than 12 characters, or guessable. "Guessable" is zxcvbn-ts's estimate with its
// offline dictionaries (@zxcvbn-ts/language-common ships a list of common and breached passwords; the English package
// adds common words and names): a password it rates below 3 (about 10^8 guesses) is refused, with its advice.
// `password1234`, `123456789012` and `qwertyuiop12` are in that list or a keyboard or number sequence.
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";

/** zxcvbn's score below which a password is refused (0 to 4; 3 is "safely unguessable: moderate protection"). */
export const MIN_PASSWORD_SCORE = 3;

let factory: ZxcvbnFactory | undefined;

function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return factory;
}

/** Why `password` is too easy to guess, or null when it is acceptable. `related` are the user's email and name. */
export function weakPasswordReason(password: string, related: readonly string[] = []): string | null {
  // zxcvbn's cost grows with length; past 100 characters a password is not guessable anyway.
  const result = zxcvbn().check(
    password.slice(0, 100),
    related.filter(Boolean).map((s) => s.toLowerCase()),
  );
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  const fromList = result.sequence.some((m) => m.pattern === "dictionary" && String(m.dictionaryName).startsWith("passwords"));
  const why = fromList
    ? "It is on the list of common and breached passwords (or built from one)."
    : (result.feedback.warning ?? "It follows a pattern that is easy to guess.");
  return `This password is too easy to guess. ${why.replace(/\.?$/, ".")} Use a longer phrase of unrelated words.`;
}
