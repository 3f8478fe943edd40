// Hostile-input and rendering tests for the untrusted-markdown renderer.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown, safeHref } from "./markdown";

const render = (text: string) => renderToStaticMarkup(<Markdown text={text} />);

const HOSTILE = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "[x](javascript:alert(1))",
  "[x](JAVASCRIPT:alert(1))",
  "[x](&#106;avascript:alert(1))",
  "[x](java&#9;script:alert(1))",
  '<a href="javascript:alert(1)">x</a>',
  "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "[x](vbscript:msgbox(1))",
  "<javascript:alert(1)>",
  '<iframe src="https://evil.example"></iframe>',
  "<style>body{display:none}</style>",
  "![img](http://evil/x.png)",
  '![img](javascript:alert(1) "t")',
  '<div onclick="alert(1)">click</div>',
  '<p><b onmouseover="alert(1)">hover</b></p>',
  "[ref]\n\n[ref]: javascript:alert(1)",
];

/** Every href/src attribute value in the rendered HTML. */
function urlAttributes(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src)="([^"]*)"/gi)].map((m) => m[1] ?? "");
}

describe("Markdown with hostile input", () => {
  it.each(HOSTILE)("renders %j inertly", (input) => {
    const html = render(input);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<iframe/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<style/i);
    // An on*= inside a tag (not escaped text) would be a live handler.
    expect(html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
    for (const url of urlAttributes(html)) {
      expect(url).toMatch(/^(https?:|mailto:)/i);
      expect(url.toLowerCase()).not.toContain("javascript:");
    }
  });

  it("shows raw HTML as text rather than dropping the model's words silently", () => {
    const html = render("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;");
    expect(render("Use the <br> tag")).toContain("Use the &lt;br&gt; tag");
  });

  it("keeps the text of a neutralised link but not its address", () => {
    const html = render("[click me](javascript:alert(1))");
    expect(html).toContain("click me");
    expect(html).not.toContain("<a");
  });

  it("does not load images: shows alt text linking to the image instead", () => {
    const html = render("![a cat](https://example.com/cat.png)");
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain("Image: a cat");
    expect(html).toContain('href="https://example.com/cat.png"');
  });
});

describe("Markdown with benign input", () => {
  const doc = [
    "Some **bold** text and `inline`.",
    "",
    "- one",
    "- two",
    "",
    "```python",
    "print('hi')",
    "```",
    "",
    "| a | b |",
    "|---|---|",
    "| 1 | 2 |",
    "",
    "See [docs](https://example.com/docs) or <mailto:a@example.com>.",
  ].join("\n");
  const html = render(doc);

  it("renders emphasis, lists, code blocks and tables", () => {
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    expect(html).toContain(
      '<pre><code class="language-python">print(<span class="hl-string">&#x27;hi&#x27;</span>)\n</code></pre>',
    );
    expect(html).toContain("<code>inline</code>");
    expect(html).toMatch(/<table>[\s\S]*<th>a<\/th>[\s\S]*<td>2<\/td>[\s\S]*<\/table>/);
  });

  it("renders https links opening in a new tab without referrer or opener", () => {
    expect(html).toContain('<a href="https://example.com/docs" target="_blank" rel="noopener noreferrer nofollow"');
    expect(html).toContain('href="mailto:a@example.com"');
  });
});

describe("safeHref", () => {
  it("accepts only absolute http, https and mailto URLs", () => {
    expect(safeHref("https://example.com/a?b=1")).toBe("https://example.com/a?b=1");
    expect(safeHref("HTTP://Example.com")).toBe("http://example.com/");
    expect(safeHref("mailto:x@example.com")).toBe("mailto:x@example.com");
    for (const bad of [
      "javascript:alert(1)",
      " JavaScript:alert(1)",
      "java\tscript:alert(1)",
      "data:text/html,x",
      "vbscript:x",
      "/relative",
      "#frag",
      "",
      null,
      undefined,
    ]) {
      expect(safeHref(bad)).toBeNull();
    }
  });
});

describe("line breaks and code", () => {
  it("keeps single line breaks of plain-text answers (a poem, an address, a list without markers)", () => {
    expect(render("Roses are red,\nviolets are blue")).toBe(
      '<div class="' + render("x").split('"')[1] + '"><p>Roses are red,<br/>\nviolets are blue</p></div>',
    );
    expect(render("Jane Doe\n12 High Street\nLondon")).toContain("Jane Doe<br/>\n12 High Street<br/>\nLondon");
    expect(render("eggs\nmilk\nbread")).toContain("eggs<br/>\nmilk<br/>\nbread");
  });

  it("highlights fenced code by language with fixed classes, and markup inside code stays text", () => {
    const html = render('```js\nconst a = "<script>alert(1)</script>"; // note\n```');
    expect(html).toContain('<span class="hl-keyword">const</span>');
    expect(html).toContain('<span class="hl-string">&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;</span>');
    expect(html).toContain('<span class="hl-comment">// note</span>');
    expect(html).not.toContain("<script");
    // Without a language the block stays plain.
    expect(render("```\nconst a = 1;\n```")).not.toContain('class="hl-');
  });
});
