import { projectPath } from "./shared";
import type { EmailTemplate } from "./template";

/** Free plan, a trigger refused (402) for the month. Context: project_id, project_name, deployments_limit. */
export const quotaReachedTemplate: EmailTemplate = {
  type: "quota_reached",
  defaults: { deployments_limit: "50" },
  derive: (values, locale) => ({
    project_name:
      values.project_name ??
      { en: "your project", fr: "votre projet", es: "su proyecto", de: "Ihr Projekt" }[locale],
  }),
  action: projectPath,
  copy: {
    en: {
      subject: "{project_name}: Free plan limit reached ({deployments_limit}/{deployments_limit})",
      paragraphs: [
        "Hi {first_name},",
        "{project_name} has used all {deployments_limit} deployments of the Free plan this month (UTC). SeqPulse refuses new triggers until the 1st of next month.",
        "Your pipeline keeps deploying: only the verification stops. The Pro plan has no monthly limit.",
      ],
      action: "See the plan and usage",
    },
    fr: {
      subject: "{project_name} : limite du plan Free atteinte ({deployments_limit}/{deployments_limit})",
      paragraphs: [
        "Bonjour {first_name},",
        "{project_name} a utilisé les {deployments_limit} déploiements du plan Free ce mois-ci (UTC). SeqPulse refuse les nouveaux déclenchements jusqu'au 1er du mois prochain.",
        "Votre pipeline continue de déployer : seule la vérification s'arrête. Le plan Pro n'a pas de limite mensuelle.",
      ],
      action: "Voir le plan et l'utilisation",
    },
    es: {
      subject: "{project_name}: límite del plan Free alcanzado ({deployments_limit}/{deployments_limit})",
      paragraphs: [
        "Hola {first_name}:",
        "{project_name} ha usado los {deployments_limit} despliegues del plan Free este mes (UTC). SeqPulse rechaza nuevos disparos hasta el día 1 del mes próximo.",
        "Su pipeline sigue desplegando: solo se detiene la verificación. El plan Pro no tiene límite mensual.",
      ],
      action: "Ver el plan y el uso",
    },
    de: {
      subject: "{project_name}: Limit des Free-Plans erreicht ({deployments_limit}/{deployments_limit})",
      paragraphs: [
        "Hallo {first_name},",
        "{project_name} hat diesen Monat (UTC) alle {deployments_limit} Deployments des Free-Plans genutzt. SeqPulse lehnt neue Trigger bis zum 1. des nächsten Monats ab.",
        "Ihre Pipeline deployt weiter: nur die Prüfung pausiert. Der Pro-Plan hat kein Monatslimit.",
      ],
      action: "Plan und Nutzung ansehen",
    },
  },
};
