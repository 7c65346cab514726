import type { EmailTemplate } from "./template";

/** Two hours after sign-up, only if the user still has no project (send.ts suppresses it otherwise). */
export const noProjectAfterSignupTemplate: EmailTemplate = {
  type: "no_project_after_signup",
  action: () => ({ path: "/projects/" }),
  copy: {
    en: {
      subject: "One step left: your first SeqPulse project",
      paragraphs: [
        "Hi {first_name},",
        "Your SeqPulse account is ready, but it has no project yet. A project takes a minute: a name and the URL of your application's metrics.",
        "Your next deploy can then get its verdict.",
      ],
      action: "Create my first project",
    },
    fr: {
      subject: "Plus qu'une étape : votre premier projet SeqPulse",
      paragraphs: [
        "Bonjour {first_name},",
        "Votre compte SeqPulse est prêt, mais il n'a pas encore de projet. Un projet se crée en une minute : un nom et l'URL des métriques de votre application.",
        "Votre prochain déploiement aura alors son verdict.",
      ],
      action: "Créer mon premier projet",
    },
    es: {
      subject: "Solo falta un paso: su primer proyecto en SeqPulse",
      paragraphs: [
        "Hola {first_name}:",
        "Su cuenta de SeqPulse está lista, pero aún no tiene ningún proyecto. Crear uno lleva un minuto: un nombre y la URL de las métricas de su aplicación.",
        "Su próximo despliegue tendrá entonces su veredicto.",
      ],
      action: "Crear mi primer proyecto",
    },
    de: {
      subject: "Nur noch ein Schritt: Ihr erstes SeqPulse-Projekt",
      paragraphs: [
        "Hallo {first_name},",
        "Ihr SeqPulse-Konto ist bereit, hat aber noch kein Projekt. Ein Projekt ist in einer Minute angelegt: ein Name und die URL der Metriken Ihrer Anwendung.",
        "Ihr nächstes Deployment bekommt dann sein Urteil.",
      ],
      action: "Mein erstes Projekt anlegen",
    },
  },
};
