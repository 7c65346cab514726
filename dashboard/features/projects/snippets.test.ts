import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { curlSnippet, githubActionsSnippet, gitlabCiSnippet, nodeEndpointExample } from "./snippets";

const values = { baseUrl: "https://seqpulse.example.com/", env: "staging" };

describe("integration snippets", () => {
  it("call trigger then finish on this SeqPulse, for the chosen environment", () => {
    for (const snippet of [curlSnippet(values), githubActionsSnippet(values), gitlabCiSnippet(values)]) {
      expect(snippet).toContain("/deployments/trigger");
      expect(snippet).toContain("/deployments/finish");
      expect(snippet).toContain('"env": "staging"');
      expect(snippet).toContain("https://seqpulse.example.com");
      expect(snippet).not.toContain("example.com//");
      expect(snippet.indexOf("/deployments/trigger")).toBeLessThan(snippet.indexOf("/deployments/finish"));
    }
  });

  it("never contain a key, only the CI secret's name", () => {
    expect(curlSnippet(values)).toContain('-H "X-API-Key: $SEQPULSE_API_KEY"');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub Actions' own syntax
    expect(githubActionsSnippet(values)).toContain("${{ secrets.SEQPULSE_API_KEY }}");
    expect(gitlabCiSnippet(values)).toContain('"X-API-Key: $SEQPULSE_API_KEY"');
    for (const snippet of [curlSnippet(values), githubActionsSnippet(values), gitlabCiSnippet(values)]) {
      expect(snippet).not.toMatch(/sp_[A-Za-z0-9]/);
    }
  });

  it("give curl's trigger body as valid JSON once the shell substitution is made", () => {
    const body = /-d '(\{"env".*\})'/.exec(curlSnippet(values))?.[1];
    expect(body).toBeDefined();
    const json = body!.replace(/'"\$\(git rev-parse HEAD\)"'/, "abc123");
    expect(JSON.parse(json)).toEqual({ env: "staging", branch: "main", commit_sha: "abc123" });
  });

  it("sign-check the way SeqPulse signs: timestamp|GET|path|nonce", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the snippet's own template literal
    expect(nodeEndpointExample).toContain("`${timestamp}|GET|${canonicalPath(req.url)}|${nonce}`");
    expect(nodeEndpointExample).toContain("timingSafeEqual");
  });

  // The e2e suite (e2e/snippets.test.ts) runs them all against a real stack; these are the
  // quick checks that need nothing running.
  it("give a Node example that parses as a module", () => {
    const dir = mkdtempSync(join(tmpdir(), "seqpulse-example-"));
    try {
      writeFileSync(join(dir, "server.mjs"), nodeEndpointExample);
      const result = spawnSync(process.execPath, ["--check", join(dir, "server.mjs")], { encoding: "utf8" });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
