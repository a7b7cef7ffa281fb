/**
 * Grapheme clusters (what the user sees as one character): one segmenter for every module that
 * splits text by them. It is made on first use, not when a module loads, because making an
 * `Intl.Segmenter` is costly and a one-shot run into a pipe never needs one.
 */
let segmenter: Intl.Segmenter | undefined;

/** The grapheme clusters of `text`, in order. */
export function* graphemes(text: string): Generator<string> {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  for (const { segment } of segmenter.segment(text)) yield segment;
}
