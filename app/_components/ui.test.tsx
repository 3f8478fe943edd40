// ErrorText reads what it shows from the error itself: the message, or tRPC's zod issues field by field.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ErrorText } from "./ui";

const render = (error: unknown) => renderToStaticMarkup(<ErrorText error={error} />);

describe("ErrorText", () => {
  it("shows nothing without an error", () => {
    expect(render(null)).toBe("");
  });

  it("shows an error's message, or a string as it is", () => {
    expect(render(new Error("No such project."))).toContain(">No such project.</div>");
    expect(render("Upload failed.")).toContain(">Upload failed.</div>");
    expect(render({ code: 7 })).toContain(">Unknown error</div>");
  });

  it("lists tRPC's zod issues field by field instead of the message", () => {
    const e = Object.assign(new Error("[zod json]"), {
      data: { zodIssues: [{ path: "settings.name", message: "Too short" }] },
    });
    const html = render(e);
    expect(html).toContain("<li>settings.name: Too short</li>");
    expect(html).not.toContain("[zod json]");
  });

  it("falls back to the message when the issues are absent (null) or malformed", () => {
    expect(render(Object.assign(new Error("Forbidden."), { data: { zodIssues: null } }))).toContain(
      ">Forbidden.</div>",
    );
    expect(render(Object.assign(new Error("Odd."), { data: { zodIssues: [{ path: 1 }] } }))).toContain(">Odd.</div>");
  });
});
