import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { addHashesToHeaders, collectInlineHashes } from "./csp-hashes";

const hashOf = (content: string) => `'sha256-${createHash("sha256").update(content).digest("base64")}'`;

const headers = [
  "/*",
  "  X-Frame-Options: DENY",
  "  Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'",
  "",
].join("\n");

describe("collectInlineHashes", () => {
  it("hashes inline scripts and styles exactly as written, and skips external scripts", () => {
    const html =
      '<style>a{color:red}</style><script>run()</script><script type="module" src="/_astro/x.js"></script>';
    expect(collectInlineHashes(html)).toEqual({
      scripts: [hashOf("run()")],
      styles: [hashOf("a{color:red}")],
    });
  });

  it("refuses inline event handlers and style attributes, which no hash allows", () => {
    expect(() => collectInlineHashes('<button onclick="go()">Go</button>')).toThrow(/onclick/);
    expect(() => collectInlineHashes('<p style="color:red">x</p>')).toThrow(/style/);
  });
});

describe("addHashesToHeaders", () => {
  it("adds each hash once to its directive and leaves the others alone", () => {
    const result = addHashesToHeaders(headers, {
      scripts: ["'sha256-b'", "'sha256-a'", "'sha256-b'"],
      styles: ["'sha256-c'"],
    });
    expect(result).toContain(
      "Content-Security-Policy: default-src 'self'; script-src 'self' 'sha256-a' 'sha256-b'; style-src 'self' 'sha256-c'; object-src 'none'",
    );
    expect(result).toContain("X-Frame-Options: DENY");
  });

  it("fails when there is no policy to complete", () => {
    expect(() => addHashesToHeaders("/*\n  X-Frame-Options: DENY\n", { scripts: [], styles: [] })).toThrow(
      /no Content-Security-Policy/,
    );
  });
});
