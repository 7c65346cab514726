import { deploymentOrProjectPath, verdictLabel } from "./shared";
import type { EmailTemplate } from "./template";

/** A project's first verdict. Context: project_id, project_name, deployment_id, env, verdict. */
export const firstVerdictTemplate: EmailTemplate = {
  type: "first_verdict",
  defaults: { env: "prod" },
  derive: (values, locale) => ({
    project_name:
      values.project_name ??
      { en: "your project", fr: "votre projet", es: "su proyecto", de: "Ihr Projekt" }[locale],
    verdict_label: verdictLabel(values.verdict, locale, "warning"),
  }),
  action: deploymentOrProjectPath,
  copy: {
    en: {
      subject: "First verdict for {project_name}: {verdict_label}",
      paragraphs: [
        "Hi {first_name},",
        "SeqPulse has judged the first deployment of {project_name} (environment {env}): {verdict_label}.",
        "The verdict page explains what was compared and why.",
      ],
      action: "See the full verdict",
    },
    fr: {
      subject: "Premier verdict pour {project_name} : {verdict_label}",
      paragraphs: [
        "Bonjour {first_name},",
        "SeqPulse a jugé le premier déploiement de {project_name} (environnement {env}) : {verdict_label}.",
        "La page du verdict explique ce qui a été comparé, et pourquoi.",
      ],
      action: "Voir le verdict complet",
    },
    es: {
      subject: "Primer veredicto para {project_name}: {verdict_label}",
      paragraphs: [
        "Hola {first_name}:",
        "SeqPulse ha evaluado el primer despliegue de {project_name} (entorno {env}): {verdict_label}.",
        "La página del veredicto explica qué se comparó y por qué.",
      ],
      action: "Ver el veredicto completo",
    },
    de: {
      subject: "Erstes Urteil für {project_name}: {verdict_label}",
      paragraphs: [
        "Hallo {first_name},",
        "SeqPulse hat das erste Deployment von {project_name} (Umgebung {env}) beurteilt: {verdict_label}.",
        "Die Seite des Urteils erklärt, was verglichen wurde und warum.",
      ],
      action: "Das ganze Urteil ansehen",
    },
  },
};
