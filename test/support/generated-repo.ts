// A generated repository of a given size, for the ingest benchmark: source-like text that compresses the way real
// code does (about 4:1), not a block of repeated lines that gzip would shrink to nothing.
const WORDS = (
  "const let return export import from async await function interface type string number boolean null undefined " +
  "request response session token user note tool server client schema input output error result value items limit " +
  "offset cursor page fetch validate parse handle create update delete list get set map filter reduce config options"
).split(" ");

function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** `files` files of about `totalBytes` bytes in all, spread over 50 folders. */
export function generatedRepoFiles(files: number, totalBytes: number, seed = 42): Record<string, string> {
  const random = prng(seed);
  const perFile = Math.floor(totalBytes / files);
  const out: Record<string, string> = {};
  for (let i = 0; i < files; i++) {
    const lines: string[] = [`// module ${i}: generated for the ingest benchmark`];
    let size = lines[0]!.length + 1;
    while (size < perFile) {
      const words = Array.from({ length: 4 + Math.floor(random() * 8) }, () => WORDS[Math.floor(random() * WORDS.length)]!);
      const line = `  ${words.join(" ")}${Math.floor(random() * 100000)};`;
      lines.push(line);
      size += line.length + 1;
    }
    out[`packages/pkg${i % 50}/src/file${i}.ts`] = `${lines.join("\n")}\n`.slice(0, perFile);
  }
  return out;
}
