// A small offline syntax highlighter for fenced code blocks: comments, strings, numbers and common
// keywords of C-like languages, Python and shell. It runs after sanitising and only splits the
// code's text into spans with fixed class names, so it cannot add markup that the answer did not have.

type THastText = { type: "text"; value: string };
type THastElement = {
  type: "element";
  tagName: string;
  properties?: Record<string, unknown>;
  children: THastNode[];
};
type THastNode = THastText | THastElement | { type: string; children?: THastNode[] };

const KEYWORDS = new Set(
  (
    "abstract as async await break case catch class const continue def default del do elif else enum export " +
    "extends false final finally fn for from func function go if impl import in interface is lambda let loop " +
    "match mod mut new nil none null of package pass private protected pub public raise return self static " +
    "struct super switch this throw true try type typeof undefined use var void while with yield True False None " +
    "int float double char bool string long short unsigned echo fi then done esac local"
  ).split(" "),
);

const HASH_COMMENT_LANGUAGES = new Set([
  "py",
  "python",
  "sh",
  "bash",
  "shell",
  "zsh",
  "rb",
  "ruby",
  "yaml",
  "yml",
  "r",
  "toml",
]);

/** One pass over the code: the first alternative that matches at a position wins. */
function tokenPattern(hashComments: boolean): RegExp {
  const comment = hashComments
    ? String.raw`#[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\/`
    : String.raw`\/\/[^\n]*|\/\*[\s\S]*?\*\/`;
  const string = String.raw`"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\x60(?:[^\x60\\]|\\.)*\x60`;
  const number = String.raw`\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b|\b0x[0-9a-f]+\b`;
  const word = String.raw`\b[A-Za-z_][A-Za-z0-9_]*\b`;
  return new RegExp(`(${comment})|(${string})|(${number})|(${word})`, "gi");
}

export function highlightTokens(code: string, language: string): { text: string; kind: string | null }[] {
  const out: { text: string; kind: string | null }[] = [];
  const pattern = tokenPattern(HASH_COMMENT_LANGUAGES.has(language.toLowerCase()));
  let last = 0;
  for (const m of code.matchAll(pattern)) {
    const kind = m[1] ? "comment" : m[2] ? "string" : m[3] ? "number" : KEYWORDS.has(m[0]) ? "keyword" : null;
    if (!kind) continue;
    if (m.index > last) out.push({ text: code.slice(last, m.index), kind: null });
    out.push({ text: m[0], kind });
    last = m.index + m[0].length;
  }
  if (last < code.length) out.push({ text: code.slice(last), kind: null });
  return out;
}

function languageOf(node: THastElement): string | null {
  const classes = node.properties?.className;
  const list = Array.isArray(classes) ? classes : typeof classes === "string" ? classes.split(" ") : [];
  const tag = list.map(String).find((c) => c.startsWith("language-"));
  return tag ? tag.slice("language-".length) : null;
}

/** rehype plugin: highlights `<pre><code class="language-x">` blocks (unlabelled blocks stay plain). */
export function rehypeHighlightCode() {
  const walk = (node: THastNode, parent: THastNode | null) => {
    if (node.type === "element" && (node as THastElement).tagName === "code" && parent) {
      const el = node as THastElement;
      const isBlock = parent.type === "element" && (parent as THastElement).tagName === "pre";
      const language = languageOf(el);
      if (isBlock && language && el.children.every((c) => c.type === "text")) {
        const code = el.children.map((c) => (c as THastText).value).join("");
        el.children = highlightTokens(code, language).map(({ text, kind }) =>
          kind
            ? {
                type: "element",
                tagName: "span",
                properties: { className: [`hl-${kind}`] },
                children: [{ type: "text", value: text }],
              }
            : { type: "text", value: text },
        );
        return;
      }
    }
    if ("children" in node) node.children?.forEach((c: THastNode) => walk(c, node));
  };
  return (tree: THastNode) => walk(tree, null);
}
