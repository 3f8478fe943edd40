// Renders untrusted (model-written) GFM markdown safely: no raw HTML, no scripts, no remote loads.
import { useId, useMemo } from "react";
import type { ComponentPropsWithoutRef } from "react";
import ReactMarkdown from "react-markdown";
import type { Components, Options } from "react-markdown";
import rehypeSanitize, { defaultSchema } from "rehype-sanitize";
import remarkBreaks from "remark-breaks";
import remarkGfm from "remark-gfm";
import { rehypeHighlightCode } from "./highlight-code";

const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/**
 * The URL if it is an absolute http(s)/mailto address, else null. Parsing with URL (not a regex)
 * matters: browsers strip tabs/newlines and ignore case, which defeats naive prefix checks.
 */
export function safeHref(raw: string | null | undefined): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw.trim());
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    // Relative and fragment URLs would resolve inside this app, which means nothing for model output.
    return null;
  }
}

const linkClass = "text-indigo-700 underline decoration-indigo-300 underline-offset-2 hover:decoration-indigo-700";

function SafeLink({ href, children, title }: ComponentPropsWithoutRef<"a">) {
  const safe = safeHref(href);
  // In-page links (footnotes) would collide between answers on one page: keep just their text.
  if (!safe && href?.startsWith("#")) return <span>{children}</span>;
  if (!safe) {
    return (
      <span className="underline decoration-dotted" title="Link removed: unsupported address">
        {children}
      </span>
    );
  }
  return (
    <a href={safe} title={title} target="_blank" rel="noopener noreferrer nofollow" className={linkClass}>
      {children}
    </a>
  );
}

/** Images are never loaded: a remote image in model output would be a tracking beacon. */
function ImagePlaceholder({ src, alt }: ComponentPropsWithoutRef<"img">) {
  const safe = typeof src === "string" ? safeHref(src) : null;
  const label = `Image: ${alt?.trim() || "(no description)"}`;
  if (!safe) return <span className="italic text-slate-500">[{label}]</span>;
  return (
    <a href={safe} target="_blank" rel="noopener noreferrer nofollow" className={`${linkClass} italic`}>
      [{label}]
    </a>
  );
}

type TTreeNode = { type: string; value?: unknown; children?: TTreeNode[] };

/**
 * Turns raw HTML nodes into plain text before sanitizing: dropping them would silently change the
 * answer being judged (e.g. "use the <br> tag" would lose its tag).
 */
function rehypeRawAsText() {
  const walk = (node: TTreeNode) => {
    if (node.type === "raw") node.type = "text";
    node.children?.forEach(walk);
  };
  return walk;
}

const components: Components = { a: SafeLink, img: ImagePlaceholder };
// Model output is often plain text (poems, addresses, lists without markers): a single line break
// is kept as a break, not folded into one run-on line as markdown's soft breaks would be.
const remarkPlugins: Options["remarkPlugins"] = [remarkGfm, remarkBreaks];

// Descendant selectors keep the renderer to two overrides while still giving readable prose.
const proseClass = [
  "min-w-0 break-words text-sm leading-6",
  "[&>*:first-child]:mt-0 [&>*:last-child]:mb-0 [&_p]:my-2",
  "[&_h1]:mt-4 [&_h1]:mb-2 [&_h1]:text-xl [&_h1]:font-semibold",
  "[&_h2]:mt-4 [&_h2]:mb-2 [&_h2]:text-lg [&_h2]:font-semibold",
  "[&_h3]:mt-3 [&_h3]:mb-1 [&_h3]:font-semibold [&_h4]:mt-3 [&_h4]:font-semibold [&_h5]:font-semibold [&_h6]:font-semibold",
  "[&_ul]:my-2 [&_ul]:list-disc [&_ul]:pl-6 [&_ol]:my-2 [&_ol]:list-decimal [&_ol]:pl-6 [&_li]:my-0.5",
  "[&_blockquote]:my-2 [&_blockquote]:border-l-4 [&_blockquote]:border-slate-300 [&_blockquote]:pl-3 [&_blockquote]:text-slate-600",
  "[&_hr]:my-4 [&_hr]:border-slate-300",
  "[&_pre]:my-2 [&_pre]:overflow-x-auto [&_pre]:rounded-md [&_pre]:bg-slate-900 [&_pre]:p-3 [&_pre]:text-xs [&_pre]:leading-5 [&_pre]:text-slate-100",
  "[&_pre_code]:whitespace-pre [&_pre_code]:break-normal [&_pre]:max-w-full",
  "[&_.hl-keyword]:text-sky-300 [&_.hl-string]:text-amber-200 [&_.hl-number]:text-fuchsia-300 [&_.hl-comment]:text-slate-400 [&_.hl-comment]:italic",
  "[&_:not(pre)>code]:rounded [&_:not(pre)>code]:bg-slate-100 [&_:not(pre)>code]:px-1 [&_:not(pre)>code]:py-0.5 [&_:not(pre)>code]:text-[0.85em]",
  "[&_code]:font-mono",
  "[&_table]:my-2 [&_table]:block [&_table]:max-w-full [&_table]:overflow-x-auto [&_table]:border-collapse",
  "[&_th]:border [&_th]:border-slate-300 [&_th]:bg-slate-50 [&_th]:px-2 [&_th]:py-1 [&_th]:text-left [&_th]:font-semibold",
  "[&_td]:border [&_td]:border-slate-300 [&_td]:px-2 [&_td]:py-1 [&_td]:align-top",
].join(" ");

export function Markdown({ text }: { text: string }) {
  // Several answers render on one page: a per-instance prefix keeps their ids (footnotes) distinct.
  const prefix = `md${useId().replace(/[^a-zA-Z0-9_-]/g, "")}-`;
  const rehypePlugins = useMemo<Options["rehypePlugins"]>(
    // Highlighting runs after sanitising: it only wraps the code's own text in fixed-class spans.
    () => [rehypeRawAsText, [rehypeSanitize, { ...defaultSchema, clobberPrefix: prefix }], rehypeHighlightCode],
    [prefix],
  );
  return (
    <div className={proseClass}>
      <ReactMarkdown
        remarkPlugins={remarkPlugins}
        rehypePlugins={rehypePlugins}
        urlTransform={(url) => (url.startsWith("#") ? url : (safeHref(url) ?? ""))}
        components={components}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}
