import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/button";
import { inputClass, labelClass } from "../../components/ui/text-field";
import type { Locale } from "../../i18n/locales";
import type { Project } from "../deployments/api-types";
import { cardClass } from "../deployments/page-states";
import { CodeBlock } from "./code-block";
import { EndpointStateBadge } from "./endpoint-state";
import {
  API_KEY_SECRET,
  circleCiSnippet,
  curlSnippet,
  githubActionSnippet,
  githubActionsSnippet,
  gitlabCiSnippet,
  gitlabTemplateSnippet,
  hmacHeaders,
  jenkinsSnippet,
  metricsExample,
  nodeEndpointExample,
} from "./snippets";

const sectionTitle = "font-semibold text-slate-900 text-lg dark:text-white";
const prose = "mt-1 max-w-3xl text-slate-700 text-sm leading-relaxed dark:text-slate-300";
const groupTitle = "font-semibold text-base text-slate-900 dark:text-white";
const snippetTitle = "font-semibold text-slate-900 dark:text-white";

/** One ready-to-paste file: its heading, an optional line about it, and the code. */
function Snippet({
  title,
  lead,
  file,
  code,
  testId,
}: {
  title: string;
  lead?: string;
  file: string;
  code: string;
  testId: string;
}) {
  return (
    <div>
      <h4 className={snippetTitle}>{title}</h4>
      {lead && <p className={prose}>{lead}</p>}
      <div className="mt-2">
        <CodeBlock title={file} code={code} testId={testId} />
      </div>
    </div>
  );
}

export function IntegrationTab({
  project,
  onOpenSettings,
}: {
  locale: Locale;
  project: Project;
  onOpenSettings: () => void;
}) {
  const { t } = useTranslation();
  const envId = useId();
  const [env, setEnv] = useState(project.envs[0] ?? "prod");
  const [baseUrl, setBaseUrl] = useState("https://seqpulse.example.com");
  useEffect(() => setBaseUrl(window.location.origin), []);
  const values = { baseUrl, env };
  const endpoint = project.endpoint.active ?? project.endpoint.candidate;

  return (
    <div className="grid grid-cols-1 gap-10">
      <section aria-labelledby="step-endpoint" className={`${cardClass} p-5`}>
        <h2 id="step-endpoint" className={sectionTitle}>
          {t("projects.integration.endpointTitle")}
        </h2>
        <p className="mt-2 flex flex-wrap items-center gap-2 text-sm">
          <EndpointStateBadge state={project.endpoint.state} />
          <span className="break-all text-slate-700 dark:text-slate-300">
            {endpoint ?? t("projects.integration.noEndpoint")}
          </span>
        </p>
        <p className={prose}>
          {project.endpoint.state === "active"
            ? t("projects.integration.endpointActive")
            : t("projects.integration.endpointNotActive")}
        </p>
        {project.endpoint.state !== "active" && (
          <Button variant="secondary" className="mt-3" onClick={onOpenSettings}>
            {t("projects.integration.openSettings")}
          </Button>
        )}
      </section>

      <section aria-labelledby="step-ci">
        <h2 id="step-ci" className={sectionTitle}>
          {t("projects.integration.ciTitle")}
        </h2>
        <p className={prose}>{t("projects.integration.ciLead", { secret: API_KEY_SECRET })}</p>
        {project.envs.length > 1 && (
          <div className="mt-3 max-w-xs">
            <label htmlFor={envId} className={labelClass}>
              {t("projects.integration.env")}
            </label>
            <select
              id={envId}
              className={`mt-1.5 ${inputClass}`}
              value={env}
              onChange={(event) => setEnv(event.target.value)}
            >
              {project.envs.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
        )}
        <h3 className={`mt-6 ${groupTitle}`}>{t("projects.integration.cliTitle")}</h3>
        <p className={prose}>{t("projects.integration.cliLead")}</p>
        <div className="mt-4 grid grid-cols-1 gap-6">
          <Snippet
            title={t("projects.integration.githubAction")}
            file=".github/workflows/deploy.yml"
            code={githubActionSnippet(values)}
            testId="snippet-github-action"
          />
          <Snippet
            title={t("projects.integration.gitlabTemplate")}
            file=".gitlab-ci.yml"
            code={gitlabTemplateSnippet(values)}
            testId="snippet-gitlab-template"
          />
          <Snippet
            title="CircleCI"
            file=".circleci/config.yml"
            code={circleCiSnippet(values)}
            testId="snippet-circleci"
          />
          <Snippet
            title="Jenkins"
            file="Jenkinsfile"
            code={jenkinsSnippet(values)}
            testId="snippet-jenkins"
          />
        </div>

        <h3 className={`mt-8 ${groupTitle}`}>{t("projects.integration.rawTitle")}</h3>
        <p className={prose}>{t("projects.integration.rawLead")}</p>
        <div className="mt-4 grid grid-cols-1 gap-6">
          <Snippet
            title="GitHub Actions"
            file=".github/workflows/deploy.yml"
            code={githubActionsSnippet(values)}
            testId="snippet-github"
          />
          <Snippet
            title="GitLab CI"
            file=".gitlab-ci.yml"
            code={gitlabCiSnippet(values)}
            testId="snippet-gitlab"
          />
          <Snippet
            title="curl"
            lead={t("projects.integration.curlLead")}
            file="seqpulse.sh"
            code={curlSnippet(values)}
            testId="snippet-curl"
          />
        </div>
      </section>

      <section aria-labelledby="step-contract">
        <h2 id="step-contract" className={sectionTitle}>
          {t("projects.integration.contractTitle")}
        </h2>
        <p className={prose}>{t("projects.integration.contractLead")}</p>
        <ul className="mt-2 list-disc space-y-1 ps-5 text-slate-700 text-sm dark:text-slate-300">
          <li>{t("projects.integration.contract.latency")}</li>
          <li>{t("projects.integration.contract.errors")}</li>
          <li>{t("projects.integration.contract.usage")}</li>
          <li>{t("projects.integration.contract.traffic")}</li>
        </ul>
        <div className="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-2">
          <CodeBlock title="GET /seqpulse-metrics → 200 application/json" code={metricsExample} />
          <CodeBlock title="server.mjs" code={nodeEndpointExample} />
        </div>
      </section>

      <section aria-labelledby="step-hmac">
        <h2 id="step-hmac" className={sectionTitle}>
          {t("projects.integration.hmacTitle")}
        </h2>
        <p className={prose}>
          {project.hmac.enabled ? t("projects.integration.hmacOn") : t("projects.integration.hmacOff")}
        </p>
        <ol className="mt-2 list-decimal space-y-1 ps-5 text-slate-700 text-sm dark:text-slate-300">
          <li>{t("projects.integration.hmacSteps.enable")}</li>
          <li>{t("projects.integration.hmacSteps.store")}</li>
          <li>{t("projects.integration.hmacSteps.verify")}</li>
          <li>{t("projects.integration.hmacSteps.rotate")}</li>
        </ol>
        <table className="mt-4 w-full max-w-2xl text-left text-sm">
          <caption className="sr-only">{t("projects.integration.hmacHeaders")}</caption>
          <thead className="text-slate-600 text-xs uppercase dark:text-slate-400">
            <tr>
              <th scope="col" className="py-1.5 pe-4">
                {t("projects.integration.header")}
              </th>
              <th scope="col" className="py-1.5">
                {t("projects.integration.example")}
              </th>
            </tr>
          </thead>
          <tbody>
            {hmacHeaders.map(([name, example]) => (
              <tr key={name} className="border-slate-100 border-t dark:border-slate-800">
                <td className="py-1.5 pe-4 font-mono text-xs">{name}</td>
                <td className="break-all py-1.5 font-mono text-xs">{example}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className={`${prose} mt-3`}>
          {t("projects.integration.hmacSignature")}{" "}
          <code className="rounded bg-slate-100 px-1 py-0.5 text-xs dark:bg-slate-800">
            sha256=hex(HMAC-SHA256(secret, "&lt;timestamp&gt;|GET|&lt;path&gt;|&lt;nonce&gt;"))
          </code>
        </p>
      </section>
    </div>
  );
}
