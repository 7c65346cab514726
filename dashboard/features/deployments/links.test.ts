import { describe, expect, it } from "vitest";
import { externalHref } from "./links";

describe("externalHref", () => {
  it("links http(s) URLs only", () => {
    expect(externalHref("https://ci.example.com/runs/1")).toBe("https://ci.example.com/runs/1");
    expect(externalHref("http://git.internal:8080/c/1")).toBe("http://git.internal:8080/c/1");
    for (const unsafe of [
      "javascript:alert(1)",
      "data:text/html,x",
      "ftp://h/x",
      "ci.example.com/runs/1",
      "",
    ]) {
      expect(externalHref(unsafe), unsafe).toBeNull();
    }
    expect(externalHref(null)).toBeNull();
  });
});
