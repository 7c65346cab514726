import type { EmailTemplate } from "./template";

/** At account creation: what to do first. */
export const welcomeTemplate: EmailTemplate = {
  type: "welcome",
  action: () => ({ path: "/projects/" }),
  copy: {
    en: {
      subject: "Welcome to SeqPulse: create your first project",
      paragraphs: [
        "Hi {first_name},",
        "Welcome to SeqPulse. Minutes after each deploy, SeqPulse tells you whether to keep it or roll it back, and why.",
        "Start with a project: give it your application's metrics endpoint, test it, and call SeqPulse from your pipeline.",
      ],
      action: "Create my first project",
    },
    fr: {
      subject: "Bienvenue sur SeqPulse : créez votre premier projet",
      paragraphs: [
        "Bonjour {first_name},",
        "Bienvenue sur SeqPulse. Quelques minutes après chaque déploiement, SeqPulse vous dit s'il faut le garder ou revenir en arrière, et pourquoi.",
        "Commencez par un projet : indiquez l'endpoint de métriques de votre application, testez-le, puis appelez SeqPulse depuis votre pipeline.",
      ],
      action: "Créer mon premier projet",
    },
    es: {
      subject: "Bienvenido a SeqPulse: cree su primer proyecto",
      paragraphs: [
        "Hola {first_name}:",
        "Bienvenido a SeqPulse. Minutos después de cada despliegue, SeqPulse le dice si conservarlo o revertirlo, y por qué.",
        "Empiece con un proyecto: indique el endpoint de métricas de su aplicación, pruébelo y llame a SeqPulse desde su pipeline.",
      ],
      action: "Crear mi primer proyecto",
    },
    de: {
      subject: "Willkommen bei SeqPulse: Legen Sie Ihr erstes Projekt an",
      paragraphs: [
        "Hallo {first_name},",
        "willkommen bei SeqPulse. Wenige Minuten nach jedem Deployment sagt Ihnen SeqPulse, ob Sie es behalten oder zurückrollen sollten, und warum.",
        "Beginnen Sie mit einem Projekt: Geben Sie den Metrik-Endpunkt Ihrer Anwendung an, testen Sie ihn und rufen Sie SeqPulse aus Ihrer Pipeline auf.",
      ],
      action: "Mein erstes Projekt anlegen",
    },
  },
};
