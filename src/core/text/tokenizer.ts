import { Tokenizer } from '@huggingface/tokenizers';

/** What the text encoder needs to know about the tokenizer (the manifest's `tokenizer` block). */
export interface PaddingSpec {
  max_length: number;
  pad_id: number;
}

export interface TokenizedPrompt {
  /** Exactly max_length ids, right-padded with pad_id. */
  ids: number[];
  /** Tokens before padding, for display. */
  tokens: string[];
  /** True when the prompt had more than max_length tokens and was cut. */
  truncated: boolean;
  /** Tokens the vocabulary does not know (they become [UNK]). */
  unknown: string[];
}

/**
 * Adapter over @huggingface/tokenizers for a HuggingFace tokenizer.json. The library
 * normalises, pre-tokenises and maps to ids but does not pad or truncate; the text
 * encoder wants a fixed length, so that happens here, on the right as in training.
 */
export class PromptTokenizer {
  private readonly tokenizer: Tokenizer;
  private readonly unkId: number | undefined;

  constructor(
    tokenizerJson: object,
    private readonly padding: PaddingSpec,
  ) {
    // The library only maps out-of-vocabulary words to the unknown token when the
    // config names it (otherwise their id is `undefined`), so pass the model's own.
    const unkToken = (tokenizerJson as { model?: { unk_token?: string } }).model?.unk_token;
    this.tokenizer = new Tokenizer(tokenizerJson, unkToken ? { unk_token: unkToken } : {});
    this.unkId = unkToken === undefined ? undefined : this.tokenizer.token_to_id(unkToken);
  }

  get maxLength(): number {
    return this.padding.max_length;
  }

  encode(prompt: string): TokenizedPrompt {
    const { ids, tokens } = this.tokenizer.encode(prompt, { add_special_tokens: true });
    const { max_length: maxLength, pad_id: padId } = this.padding;
    const missing = tokens.find((_, i) => ids[i] === undefined);
    if (missing !== undefined) {
      throw new RangeError(`token "${missing}" is not in the vocabulary and the tokenizer has no unknown token`);
    }
    const kept = ids.slice(0, maxLength);
    const unknown = this.unkId === undefined ? [] : tokens.filter((_, i) => ids[i] === this.unkId);
    return {
      ids: [...kept, ...Array<number>(maxLength - kept.length).fill(padId)],
      tokens: tokens.slice(0, maxLength),
      truncated: ids.length > maxLength,
      unknown,
    };
  }

  /** The unconditional prompt for classifier-free guidance: all padding. */
  emptyIds(): number[] {
    return Array<number>(this.padding.max_length).fill(this.padding.pad_id);
  }
}
