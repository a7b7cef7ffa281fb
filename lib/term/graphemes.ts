/**
 * Grapheme clusters (what the user sees as one character): one segmenter for every module that
 * splits text by them. It is made on first use, not when a module loads, because making an
 * `Intl.Segmenter` is costly and a one-shot run into a pipe never needs one.
 */
let segmenter: Intl.Segmenter | undefined;

/** The shared grapheme segmenter, for callers that walk its segments without a generator. */
export function graphemeSegmenter(): Intl.Segmenter {
  return segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
}

/** The grapheme clusters of `text`, in order. */
export function* graphemes(text: string): Generator<string> {
  for (const { segment } of graphemeSegmenter().segment(text)) yield segment;
}
