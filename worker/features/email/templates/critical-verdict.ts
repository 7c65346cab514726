import { deploymentOrProjectPath, verdictLabel } from "./shared";
import type { EmailTemplate } from "./template";

/**
 * A `warning` or `rollback_recommended` verdict. Context: project_id, project_name,
 * deployment_id, deployment_number, env, verdict.
 */
export const criticalVerdictTemplate: EmailTemplate = {
  type: "critical_verdict",
  defaults: { env: "prod", deployment_number: "?" },
  derive: (values, locale) => ({
    project_name:
      values.project_name ??
      { en: "your project", fr: "votre projet", es: "su proyecto", de: "Ihr Projekt" }[locale],
    verdict_label: verdictLabel(values.verdict, locale, "rollback_recommended"),
  }),
  action: deploymentOrProjectPath,
  copy: {
    en: {
      subject: "Alert: {project_name} ({env}) — {verdict_label}",
      paragraphs: [
        "Hi {first_name},",
        "Deployment #{deployment_number} of {project_name} in {env} got the verdict: {verdict_label}.",
        "Open it to see which metrics moved and what SeqPulse suggests.",
      ],
      action: "Open the deployment",
    },
    fr: {
      subject: "Alerte : {project_name} ({env}) — {verdict_label}",
      paragraphs: [
        "Bonjour {first_name},",
        "Le déploiement n°{deployment_number} de {project_name} en {env} a reçu le verdict : {verdict_label}.",
        "Ouvrez-le pour voir quelles métriques ont bougé et ce que SeqPulse suggère.",
      ],
      action: "Ouvrir le déploiement",
    },
    es: {
      subject: "Alerta: {project_name} ({env}) — {verdict_label}",
      paragraphs: [
        "Hola {first_name}:",
        "El despliegue n.º {deployment_number} de {project_name} en {env} recibió el veredicto: {verdict_label}.",
        "Ábralo para ver qué métricas cambiaron y qué sugiere SeqPulse.",
      ],
      action: "Abrir el despliegue",
    },
    de: {
      subject: "Warnung: {project_name} ({env}) — {verdict_label}",
      paragraphs: [
        "Hallo {first_name},",
        "Deployment Nr. {deployment_number} von {project_name} in {env} hat das Urteil: {verdict_label}.",
        "Öffnen Sie es, um zu sehen, welche Metriken sich bewegt haben und was SeqPulse vorschlägt.",
      ],
      action: "Deployment öffnen",
    },
  },
};
