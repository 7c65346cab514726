import { projectPath } from "./shared";
import type { EmailTemplate } from "./template";

/** Free plan, 80 % of the month's deployments used. Context: project_id, project_name, deployments_used, deployments_limit. */
export const quota80Template: EmailTemplate = {
  type: "quota_80",
  defaults: { deployments_used: "40", deployments_limit: "50" },
  derive: (values, locale) => ({
    project_name:
      values.project_name ??
      { en: "your project", fr: "votre projet", es: "su proyecto", de: "Ihr Projekt" }[locale],
  }),
  action: projectPath,
  copy: {
    en: {
      subject: "{project_name}: {deployments_used} of {deployments_limit} free deployments used this month",
      paragraphs: [
        "Hi {first_name},",
        "{project_name} has used {deployments_used} of the {deployments_limit} deployments the Free plan verifies each month (UTC).",
        "Once the limit is reached, triggers are refused until next month. The Pro plan has no monthly limit.",
      ],
      action: "See the plan and usage",
    },
    fr: {
      subject:
        "{project_name} : {deployments_used} déploiements gratuits sur {deployments_limit} utilisés ce mois-ci",
      paragraphs: [
        "Bonjour {first_name},",
        "{project_name} a utilisé {deployments_used} des {deployments_limit} déploiements que le plan Free vérifie chaque mois (UTC).",
        "Une fois la limite atteinte, les déclenchements sont refusés jusqu'au mois suivant. Le plan Pro n'a pas de limite mensuelle.",
      ],
      action: "Voir le plan et l'utilisation",
    },
    es: {
      subject:
        "{project_name}: {deployments_used} de {deployments_limit} despliegues gratuitos usados este mes",
      paragraphs: [
        "Hola {first_name}:",
        "{project_name} ha usado {deployments_used} de los {deployments_limit} despliegues que el plan Free verifica cada mes (UTC).",
        "Al alcanzar el límite, los disparos se rechazan hasta el mes siguiente. El plan Pro no tiene límite mensual.",
      ],
      action: "Ver el plan y el uso",
    },
    de: {
      subject:
        "{project_name}: {deployments_used} von {deployments_limit} kostenlosen Deployments diesen Monat genutzt",
      paragraphs: [
        "Hallo {first_name},",
        "{project_name} hat {deployments_used} der {deployments_limit} Deployments genutzt, die der Free-Plan pro Monat (UTC) prüft.",
        "Ist das Limit erreicht, werden Trigger bis zum nächsten Monat abgelehnt. Der Pro-Plan hat kein Monatslimit.",
      ],
      action: "Plan und Nutzung ansehen",
    },
  },
};
