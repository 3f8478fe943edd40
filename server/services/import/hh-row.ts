// HH-RLHF rows (`{"chosen": transcript, "rejected": transcript}`) split into a prompt and two replies; not TRL rows.
import type { TMessage } from "../../domain";
import { HH_TAGS } from "../export/format-hh";
import type { TRowItem } from "./import-types";
import { conversation, externalId, fail, metadataObject, rejectUnknownKeys, text, type TRecord } from "./fields";

const KEYS = ["chosen", "rejected", "id", "external_id", "metadata"] as const;
// Splitting on the exact tags (colon + one space) keeps every other character in a turn's content, so joining
// tag + content back gives the original string; stray spaces after a tag simply stay in the content.
const TAG_SPLIT = /\n\n(Human|Assistant): /;
const ANY_TAG = /\n\n(?:Human|Assistant):/;

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function snippet(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

/** Parses the shared conversation; lossless, because split() consumes exactly the tags that rendering writes back. */
function turns(transcript: string): TMessage[] {
  const parts = transcript.split(TAG_SPLIT);
  if (parts[0] !== "")
    fail(`"chosen" must start with ${JSON.stringify(HH_TAGS.user)} (it starts with ${snippet(transcript)})`);
  const out: TMessage[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    out.push({ role: parts[i] === "Human" ? "user" : "assistant", content: parts[i + 1] ?? "" });
  }
  return out;
}

/**
 * The final Assistant tag is the last one inside the text both transcripts share: the replies may themselves
 * contain speaker-like text ("\n\nAssistant:  …" inside a reply), so it cannot be found by splitting a transcript
 * alone. Anything that would make the cut ambiguous is reported instead of guessed.
 */
export function splitHhPair(chosen: string, rejected: string): { messages: TMessage[]; replies: [string, string] } {
  const shared = commonPrefixLength(chosen, rejected);
  const tag = HH_TAGS.assistant;
  const bare = tag.trimEnd();
  const lastBare = shared >= bare.length ? chosen.lastIndexOf(bare, shared - bare.length) : -1;
  const after = lastBare + bare.length;
  if (lastBare >= 0 && (chosen[after] !== " " || rejected[after] !== " ")) {
    fail(
      `the last ${JSON.stringify(bare)} tag both transcripts share is not followed by a space in both, so the reply could not be written back exactly`,
    );
  }
  const cut = shared >= tag.length ? chosen.lastIndexOf(tag, shared - tag.length) : -1;
  if (cut < 0) fail(`"chosen" and "rejected" do not share a conversation followed by ${JSON.stringify(tag)}`);
  const replyStart = cut + tag.length;
  const sharedReply = chosen.slice(replyStart, shared);
  if (ANY_TAG.test(sharedReply)) {
    fail(
      `cannot tell where the final Assistant reply starts: both replies begin with ${snippet(sharedReply)}, which contains a speaker tag`,
    );
  }
  const messages = turns(chosen.slice(0, cut));
  if (messages.length === 0) fail(`"chosen" has no Human turn before the final Assistant reply`);
  const last = messages[messages.length - 1];
  if (last?.role !== "user")
    fail(`the final Assistant reply must follow a Human turn, but it follows an Assistant turn`);
  return { messages, replies: [chosen.slice(replyStart), rejected.slice(replyStart)] };
}

export function hhRow(obj: TRecord): TRowItem {
  rejectUnknownKeys(obj, KEYS);
  const loose = { allowEmpty: true };
  const { messages, replies } = splitHhPair(text(obj.chosen, "chosen", loose), text(obj.rejected, "rejected", loose));
  // Re-validate the turns for the size cap and the "user speaks last" rule shared with other formats.
  const item: TRowItem = {
    messages: conversation(messages, "chosen", loose),
    candidates: replies,
    // The source's own preference, so agreement with it can be measured after labelling.
    candidateMetadata: [{ hh: "chosen" }, { hh: "rejected" }],
  };
  const id = externalId(obj);
  if (id !== undefined) item.externalId = id;
  const metadata = metadataObject(obj.metadata);
  if (metadata !== undefined) item.metadata = metadata;
  return item;
}
