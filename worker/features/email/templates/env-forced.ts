import { projectPath } from "./shared";
import type { EmailTemplate } from "./template";

/** Free plan, a trigger for another environment recorded as `prod`. Context: project_id, project_name, original_env, forced_env. */
export const envForcedTemplate: EmailTemplate = {
  type: "env_forced",
  defaults: { original_env: "staging", forced_env: "prod" },
  derive: (values, locale) => ({
    project_name:
      values.project_name ??
      { en: "your project", fr: "votre projet", es: "su proyecto", de: "Ihr Projekt" }[locale],
  }),
  action: projectPath,
  copy: {
    en: {
      subject: "{project_name}: environment '{original_env}' recorded as '{forced_env}' (Free plan)",
      paragraphs: [
        "Hi {first_name},",
        "A deployment of {project_name} was triggered for the environment '{original_env}'. The Free plan verifies one environment, so SeqPulse recorded it as '{forced_env}'.",
        "The Pro plan verifies each environment separately.",
      ],
      action: "See the plan and usage",
    },
    fr: {
      subject: "{project_name} : environnement '{original_env}' enregistré comme '{forced_env}' (plan Free)",
      paragraphs: [
        "Bonjour {first_name},",
        "Un déploiement de {project_name} a été déclenché pour l'environnement '{original_env}'. Le plan Free vérifie un seul environnement : SeqPulse l'a enregistré comme '{forced_env}'.",
        "Le plan Pro vérifie chaque environnement séparément.",
      ],
      action: "Voir le plan et l'utilisation",
    },
    es: {
      subject: "{project_name}: entorno '{original_env}' registrado como '{forced_env}' (plan Free)",
      paragraphs: [
        "Hola {first_name}:",
        "Se disparó un despliegue de {project_name} para el entorno '{original_env}'. El plan Free verifica un solo entorno, así que SeqPulse lo registró como '{forced_env}'.",
        "El plan Pro verifica cada entorno por separado.",
      ],
      action: "Ver el plan y el uso",
    },
    de: {
      subject: "{project_name}: Umgebung '{original_env}' als '{forced_env}' erfasst (Free-Plan)",
      paragraphs: [
        "Hallo {first_name},",
        "Ein Deployment von {project_name} wurde für die Umgebung '{original_env}' ausgelöst. Der Free-Plan prüft eine Umgebung, daher hat SeqPulse es als '{forced_env}' erfasst.",
        "Der Pro-Plan prüft jede Umgebung einzeln.",
      ],
      action: "Plan und Nutzung ansehen",
    },
  },
};
