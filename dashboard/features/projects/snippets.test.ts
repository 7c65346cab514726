import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  CLI_VERSION,
  circleCiSnippet,
  curlSnippet,
  githubActionSnippet,
  githubActionsSnippet,
  gitlabCiSnippet,
  gitlabTemplateSnippet,
  INTEGRATIONS_REPOSITORY,
  jenkinsSnippet,
  nodeEndpointExample,
} from "./snippets";

const values = { baseUrl: "https://seqpulse.example.com/", env: "staging" };

describe("integration snippets", () => {
  it("call trigger then finish on this SeqPulse, for the chosen environment", () => {
    for (const snippet of [curlSnippet(values), githubActionsSnippet(values), gitlabCiSnippet(values)]) {
      expect(snippet).toContain("/deployments/trigger");
      expect(snippet).toContain("/deployments/finish");
      expect(snippet).toMatch(/"env": "staging"|SEQPULSE_ENV: "staging"/);
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

  it("stop the job before it deploys when the trigger call fails or gives no id", () => {
    for (const snippet of [curlSnippet(values), githubActionsSnippet(values), gitlabCiSnippet(values)]) {
      expect(snippet).toContain("set -euo pipefail");
      expect(snippet).toContain("--fail-with-body");
      const refusal = snippet.indexOf('[ "$DEPLOYMENT_ID" = null ]');
      expect(refusal).toBeGreaterThan(snippet.indexOf("/deployments/trigger"));
      expect(refusal).toBeLessThan(snippet.indexOf("./deploy.sh"));
    }
  });

  it("keep GitHub expressions out of run: scripts", () => {
    const workflow = parse(githubActionsSnippet(values)) as {
      jobs: { deploy: { steps: Array<{ run?: string; env?: Record<string, string> }> } };
    };
    const steps = workflow.jobs.deploy.steps;
    expect(steps.filter((step) => step.run !== undefined).length).toBeGreaterThan(0);
    for (const step of steps) expect(step.run ?? "").not.toContain("${{");
  });

  it("keep an environment that YAML would read as a boolean or a number a string", () => {
    for (const env of ["on", "no", "123"]) {
      const github = parse(githubActionsSnippet({ ...values, env })) as {
        jobs: { deploy: { steps: Array<{ env?: Record<string, unknown> }> } };
      };
      expect(github.jobs.deploy.steps[1]?.env?.SEQPULSE_ENV).toBe(env);
      const gitlab = parse(gitlabCiSnippet({ ...values, env })) as {
        deploy: { variables: Record<string, unknown> };
      };
      expect(gitlab.deploy.variables.SEQPULSE_ENV).toBe(env);
    }
  });
});

// The CLI-based snippets are the files under integrations/ (validated and run by
// integrations/integrations.test.ts) with the project's values: these tests hold them together.
describe("integration snippets with the seqpulse CLI", () => {
  const integration = (path: string) =>
    readFileSync(join(import.meta.dirname, "../../../integrations", path), "utf8");
  const example = { baseUrl: "https://seqpulse.example.com", env: "prod" };

  it("are the integrations' own files, with the project's values", () => {
    expect(circleCiSnippet(example)).toBe(integration("circleci/config.yml"));
    expect(jenkinsSnippet(example)).toBe(integration("jenkins/Jenkinsfile"));
    const readmeExample = /```yaml\n([\s\S]*?)```/.exec(integration("github-action/README.md"))?.[1];
    expect(githubActionSnippet(example)).toBe(readmeExample);
  });

  it("fill in this SeqPulse and environment", () => {
    for (const snippet of [
      githubActionSnippet(values),
      gitlabTemplateSnippet(values),
      circleCiSnippet(values),
      jenkinsSnippet(values),
    ]) {
      expect(snippet).toMatch(/https:\/\/seqpulse\.example\.com['\n]/);
      expect(snippet).toMatch(/staging/);
      expect(snippet).not.toMatch(/sp_[A-Za-z0-9]/);
    }
  });

  it("give the action only the inputs it declares", () => {
    const action = parse(integration("github-action/action.yml")) as {
      inputs: Record<string, { default?: string }>;
    };
    const workflow = parse(githubActionSnippet(values)) as {
      jobs: { deploy: { steps: Array<{ uses?: string; with?: Record<string, string> }> } };
    };
    const step = workflow.jobs.deploy.steps.find((candidate) => candidate.uses?.includes("github-action"));
    expect(step?.uses).toBe(`${INTEGRATIONS_REPOSITORY}/integrations/github-action@v1`);
    for (const input of Object.keys(step?.with ?? {})) expect(Object.keys(action.inputs)).toContain(input);
    expect(action.inputs.version?.default).toBe(CLI_VERSION);
  });

  it("include the GitLab template and set the variables it reads", () => {
    const template = integration("gitlab/seqpulse.gitlab-ci.yml");
    const pipeline = parse(gitlabTemplateSnippet(values)) as {
      include: Array<{ remote: string }>;
      deploy: { extends: string; variables: Record<string, string> };
    };
    expect(pipeline.include[0]?.remote).toMatch(
      new RegExp(`/${INTEGRATIONS_REPOSITORY}/v1/integrations/gitlab/seqpulse\\.gitlab-ci\\.yml$`),
    );
    expect(Object.keys(parse(template) as object)).toContain(pipeline.deploy.extends);
    // The template reads its own variables; the CLI reads SEQPULSE_BASE_URL and the key itself.
    for (const variable of Object.keys(pipeline.deploy.variables)) {
      if (variable !== "SEQPULSE_BASE_URL") expect(template).toContain(`$${variable}`);
    }
    expect(pipeline.deploy.variables.SEQPULSE_ENV).toBe("staging");
    expect(
      (parse(template) as Record<string, { variables: Record<string, string> }>)[".seqpulse-deploy"]
        ?.variables.SEQPULSE_VERSION,
    ).toBe(CLI_VERSION);
  });
});
