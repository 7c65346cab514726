// The account's own mail (auth): links and security notices, all essential. Verification and
// reset links are minted by `prepare` when the mail is rendered: the token is in the mail and
// nowhere else (the job and the delivery row hold no secret; the database keeps its hash).
import type { UserLocale } from "../../../../db/schema";
import { mintAccountToken } from "../../auth/account-tokens";
import type { EmailTemplate } from "./template";

const securityPage = () => ({ path: "/settings/security/" });
const forgotPage = () => ({ path: "/forgot-password/" });

/** `2026-12-05 14:03 UTC` from an ISO timestamp in the context. */
function timeText(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : "";
}

const unknownWord: Record<UserLocale, string> = {
  en: "unknown",
  fr: "inconnu",
  es: "desconocido",
  de: "unbekannt",
};

export const verifyEmailTemplate: EmailTemplate = {
  type: "verify_email",
  prepare: async ({ db, userId, now }) => ({
    token: await mintAccountToken(db, { userId, purpose: "verify_email", now }),
  }),
  action: (values) => ({ path: `/verify-email/?token=${encodeURIComponent(values.token ?? "")}` }),
  copy: {
    en: {
      subject: "Verify your email address for SeqPulse",
      paragraphs: [
        "Hi {first_name},",
        "Confirm that {email} is your address: open the link below and press the button. It works for 24 hours.",
        "If you did not create a SeqPulse account, ignore this mail.",
      ],
      action: "Verify my email",
    },
    fr: {
      subject: "Vérifiez votre adresse e-mail pour SeqPulse",
      paragraphs: [
        "Bonjour {first_name},",
        "Confirmez que {email} est bien votre adresse : ouvrez le lien ci-dessous et appuyez sur le bouton. Il fonctionne pendant 24 heures.",
        "Si vous n'avez pas créé de compte SeqPulse, ignorez ce message.",
      ],
      action: "Vérifier mon e-mail",
    },
    es: {
      subject: "Verifique su dirección de correo para SeqPulse",
      paragraphs: [
        "Hola {first_name}:",
        "Confirme que {email} es su dirección: abra el enlace de abajo y pulse el botón. Funciona durante 24 horas.",
        "Si no creó una cuenta de SeqPulse, ignore este correo.",
      ],
      action: "Verificar mi correo",
    },
    de: {
      subject: "Bestätigen Sie Ihre E-Mail-Adresse für SeqPulse",
      paragraphs: [
        "Hallo {first_name},",
        "bestätigen Sie, dass {email} Ihre Adresse ist: Öffnen Sie den Link unten und drücken Sie die Schaltfläche. Er funktioniert 24 Stunden lang.",
        "Wenn Sie kein SeqPulse-Konto angelegt haben, ignorieren Sie diese E-Mail.",
      ],
      action: "Meine E-Mail bestätigen",
    },
  },
};

export const passwordResetTemplate: EmailTemplate = {
  type: "password_reset",
  prepare: async ({ db, userId, now }) => ({
    token: await mintAccountToken(db, { userId, purpose: "password_reset", now }),
  }),
  action: (values) => ({ path: `/reset-password/?token=${encodeURIComponent(values.token ?? "")}` }),
  copy: {
    en: {
      subject: "Reset your SeqPulse password",
      paragraphs: [
        "Hi {first_name},",
        "Someone asked to reset the password of the SeqPulse account for {email}. The link below works once, for 30 minutes; using it signs out every device.",
        "If it was not you, ignore this mail: your password stays as it is.",
      ],
      action: "Choose a new password",
    },
    fr: {
      subject: "Réinitialisez votre mot de passe SeqPulse",
      paragraphs: [
        "Bonjour {first_name},",
        "Quelqu'un a demandé à réinitialiser le mot de passe du compte SeqPulse de {email}. Le lien ci-dessous fonctionne une fois, pendant 30 minutes ; l'utiliser déconnecte tous les appareils.",
        "Si ce n'était pas vous, ignorez ce message : votre mot de passe ne change pas.",
      ],
      action: "Choisir un nouveau mot de passe",
    },
    es: {
      subject: "Restablezca su contraseña de SeqPulse",
      paragraphs: [
        "Hola {first_name}:",
        "Alguien pidió restablecer la contraseña de la cuenta de SeqPulse de {email}. El enlace de abajo funciona una vez, durante 30 minutos; usarlo cierra la sesión en todos los dispositivos.",
        "Si no fue usted, ignore este correo: su contraseña no cambia.",
      ],
      action: "Elegir una contraseña nueva",
    },
    de: {
      subject: "Setzen Sie Ihr SeqPulse-Passwort zurück",
      paragraphs: [
        "Hallo {first_name},",
        "jemand hat angefordert, das Passwort des SeqPulse-Kontos für {email} zurückzusetzen. Der Link unten funktioniert einmal, 30 Minuten lang; wer ihn verwendet, meldet alle Geräte ab.",
        "Wenn Sie das nicht waren, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.",
      ],
      action: "Neues Passwort wählen",
    },
  },
};

type PasswordChange = "change" | "first" | "reset";

const passwordChangedHow: Record<UserLocale, Record<PasswordChange, string>> = {
  en: {
    change: "It was changed from a signed-in session; every other session was signed out.",
    first: "A password was set for an account that signed in through a provider until now.",
    reset: "It was reset with a link mailed to you; every session was signed out.",
  },
  fr: {
    change: "Il a été changé depuis une session connectée ; toutes les autres sessions ont été fermées.",
    first: "Un mot de passe a été défini pour un compte qui se connectait jusqu'ici par un fournisseur.",
    reset: "Il a été réinitialisé avec un lien reçu par e-mail ; toutes les sessions ont été fermées.",
  },
  es: {
    change: "Se cambió desde una sesión iniciada; se cerraron todas las demás sesiones.",
    first: "Se definió una contraseña para una cuenta que hasta ahora iniciaba sesión con un proveedor.",
    reset: "Se restableció con un enlace enviado a su correo; se cerraron todas las sesiones.",
  },
  de: {
    change: "Es wurde in einer angemeldeten Sitzung geändert; alle anderen Sitzungen wurden beendet.",
    first: "Für ein Konto, das sich bisher über einen Anbieter anmeldete, wurde ein Passwort festgelegt.",
    reset: "Es wurde mit einem Ihnen zugesandten Link zurückgesetzt; alle Sitzungen wurden beendet.",
  },
};

const isPasswordChange = (value: string | undefined): value is PasswordChange =>
  value === "change" || value === "first" || value === "reset";

export const passwordChangedTemplate: EmailTemplate = {
  type: "password_changed",
  defaults: { how: "change" },
  derive: (values, locale) => ({
    how_text: passwordChangedHow[locale][isPasswordChange(values.how) ? values.how : "change"],
  }),
  action: forgotPage,
  copy: {
    en: {
      subject: "Your SeqPulse password was changed",
      paragraphs: [
        "Hi {first_name},",
        "The password of your SeqPulse account ({email}) was changed. {how_text}",
        "If it was you, there is nothing to do. If not, reset your password now.",
      ],
      action: "Reset my password",
    },
    fr: {
      subject: "Votre mot de passe SeqPulse a été changé",
      paragraphs: [
        "Bonjour {first_name},",
        "Le mot de passe de votre compte SeqPulse ({email}) a été changé. {how_text}",
        "Si c'était vous, il n'y a rien à faire. Sinon, réinitialisez votre mot de passe maintenant.",
      ],
      action: "Réinitialiser mon mot de passe",
    },
    es: {
      subject: "Se cambió su contraseña de SeqPulse",
      paragraphs: [
        "Hola {first_name}:",
        "Se cambió la contraseña de su cuenta de SeqPulse ({email}). {how_text}",
        "Si fue usted, no tiene que hacer nada. Si no, restablezca su contraseña ahora.",
      ],
      action: "Restablecer mi contraseña",
    },
    de: {
      subject: "Ihr SeqPulse-Passwort wurde geändert",
      paragraphs: [
        "Hallo {first_name},",
        "das Passwort Ihres SeqPulse-Kontos ({email}) wurde geändert. {how_text}",
        "Wenn Sie das waren, ist nichts zu tun. Wenn nicht, setzen Sie Ihr Passwort jetzt zurück.",
      ],
      action: "Mein Passwort zurücksetzen",
    },
  },
};

export const twoFactorEnabledTemplate: EmailTemplate = {
  type: "two_factor_enabled",
  action: securityPage,
  copy: {
    en: {
      subject: "Two-factor authentication is on for your SeqPulse account",
      paragraphs: [
        "Hi {first_name},",
        "Two-factor authentication was turned on for your SeqPulse account ({email}): signing in now also asks for a code from your authenticator app. Keep your recovery codes somewhere safe.",
        "If it was not you, reset your password now and review your security settings.",
      ],
      action: "Review my security settings",
    },
    fr: {
      subject: "L'authentification à deux facteurs est activée sur votre compte SeqPulse",
      paragraphs: [
        "Bonjour {first_name},",
        "L'authentification à deux facteurs a été activée sur votre compte SeqPulse ({email}) : la connexion demande désormais aussi un code de votre application d'authentification. Gardez vos codes de récupération en lieu sûr.",
        "Si ce n'était pas vous, réinitialisez votre mot de passe maintenant et vérifiez vos paramètres de sécurité.",
      ],
      action: "Vérifier mes paramètres de sécurité",
    },
    es: {
      subject: "La autenticación en dos pasos está activada en su cuenta de SeqPulse",
      paragraphs: [
        "Hola {first_name}:",
        "Se activó la autenticación en dos pasos en su cuenta de SeqPulse ({email}): ahora, al iniciar sesión, también se pide un código de su aplicación de autenticación. Guarde sus códigos de recuperación en un lugar seguro.",
        "Si no fue usted, restablezca su contraseña ahora y revise su configuración de seguridad.",
      ],
      action: "Revisar mi configuración de seguridad",
    },
    de: {
      subject: "Die Zwei-Faktor-Authentifizierung ist für Ihr SeqPulse-Konto aktiviert",
      paragraphs: [
        "Hallo {first_name},",
        "für Ihr SeqPulse-Konto ({email}) wurde die Zwei-Faktor-Authentifizierung aktiviert: Bei der Anmeldung wird jetzt zusätzlich ein Code aus Ihrer Authenticator-App abgefragt. Bewahren Sie Ihre Wiederherstellungscodes sicher auf.",
        "Wenn Sie das nicht waren, setzen Sie Ihr Passwort jetzt zurück und prüfen Sie Ihre Sicherheitseinstellungen.",
      ],
      action: "Sicherheitseinstellungen prüfen",
    },
  },
};

export const twoFactorDisabledTemplate: EmailTemplate = {
  type: "two_factor_disabled",
  action: securityPage,
  copy: {
    en: {
      subject: "Two-factor authentication is off for your SeqPulse account",
      paragraphs: [
        "Hi {first_name},",
        "Two-factor authentication was turned off for your SeqPulse account ({email}): signing in now asks for the password only, and your recovery codes no longer work.",
        "If it was not you, reset your password now and turn two-factor authentication back on.",
      ],
      action: "Review my security settings",
    },
    fr: {
      subject: "L'authentification à deux facteurs est désactivée sur votre compte SeqPulse",
      paragraphs: [
        "Bonjour {first_name},",
        "L'authentification à deux facteurs a été désactivée sur votre compte SeqPulse ({email}) : la connexion ne demande plus que le mot de passe, et vos codes de récupération ne fonctionnent plus.",
        "Si ce n'était pas vous, réinitialisez votre mot de passe maintenant et réactivez l'authentification à deux facteurs.",
      ],
      action: "Vérifier mes paramètres de sécurité",
    },
    es: {
      subject: "La autenticación en dos pasos está desactivada en su cuenta de SeqPulse",
      paragraphs: [
        "Hola {first_name}:",
        "Se desactivó la autenticación en dos pasos en su cuenta de SeqPulse ({email}): ahora, al iniciar sesión, solo se pide la contraseña, y sus códigos de recuperación ya no funcionan.",
        "Si no fue usted, restablezca su contraseña ahora y vuelva a activar la autenticación en dos pasos.",
      ],
      action: "Revisar mi configuración de seguridad",
    },
    de: {
      subject: "Die Zwei-Faktor-Authentifizierung ist für Ihr SeqPulse-Konto deaktiviert",
      paragraphs: [
        "Hallo {first_name},",
        "für Ihr SeqPulse-Konto ({email}) wurde die Zwei-Faktor-Authentifizierung deaktiviert: Bei der Anmeldung wird jetzt nur noch das Passwort abgefragt, und Ihre Wiederherstellungscodes funktionieren nicht mehr.",
        "Wenn Sie das nicht waren, setzen Sie Ihr Passwort jetzt zurück und aktivieren Sie die Zwei-Faktor-Authentifizierung wieder.",
      ],
      action: "Sicherheitseinstellungen prüfen",
    },
  },
};

export const newSignInTemplate: EmailTemplate = {
  type: "new_sign_in",
  derive: (values, locale) => ({
    at_text: timeText(values.at) || unknownWord[locale],
    user_agent: values.user_agent ?? unknownWord[locale],
    ip_address: values.ip_address ?? unknownWord[locale],
  }),
  action: securityPage,
  copy: {
    en: {
      subject: "New sign-in to your SeqPulse account",
      paragraphs: [
        "Hi {first_name},",
        "Your SeqPulse account ({email}) was signed in to from a browser it had not used before, on {at_text}, from the address {ip_address}. Browser: {user_agent}.",
        "If it was you, there is nothing to do. If not, reset your password now and end that session from your security settings.",
      ],
      action: "Review my sessions",
    },
    fr: {
      subject: "Nouvelle connexion à votre compte SeqPulse",
      paragraphs: [
        "Bonjour {first_name},",
        "Votre compte SeqPulse ({email}) a été utilisé pour se connecter depuis un navigateur inconnu jusqu'ici, le {at_text}, depuis l'adresse {ip_address}. Navigateur : {user_agent}.",
        "Si c'était vous, il n'y a rien à faire. Sinon, réinitialisez votre mot de passe maintenant et fermez cette session depuis vos paramètres de sécurité.",
      ],
      action: "Vérifier mes sessions",
    },
    es: {
      subject: "Nuevo inicio de sesión en su cuenta de SeqPulse",
      paragraphs: [
        "Hola {first_name}:",
        "Se inició sesión en su cuenta de SeqPulse ({email}) desde un navegador que no había usado antes, el {at_text}, desde la dirección {ip_address}. Navegador: {user_agent}.",
        "Si fue usted, no tiene que hacer nada. Si no, restablezca su contraseña ahora y cierre esa sesión desde su configuración de seguridad.",
      ],
      action: "Revisar mis sesiones",
    },
    de: {
      subject: "Neue Anmeldung bei Ihrem SeqPulse-Konto",
      paragraphs: [
        "Hallo {first_name},",
        "bei Ihrem SeqPulse-Konto ({email}) hat sich am {at_text} ein bisher unbekannter Browser angemeldet, von der Adresse {ip_address}. Browser: {user_agent}.",
        "Wenn Sie das waren, ist nichts zu tun. Wenn nicht, setzen Sie Ihr Passwort jetzt zurück und beenden Sie diese Sitzung in Ihren Sicherheitseinstellungen.",
      ],
      action: "Meine Sitzungen prüfen",
    },
  },
};

export const signupExistingAccountTemplate: EmailTemplate = {
  type: "signup_existing_account",
  action: forgotPage,
  copy: {
    en: {
      subject: "Someone tried to create a SeqPulse account with your address",
      paragraphs: [
        "Hi {first_name},",
        "Someone tried to create a SeqPulse account with {email}. Your address already has one, so nothing was created and nobody was signed in.",
        "If it was you, sign in as usual; if you forgot your password, choose a new one from the link below. If it was not you, ignore this mail.",
      ],
      action: "Reset my password",
    },
    fr: {
      subject: "Quelqu'un a tenté de créer un compte SeqPulse avec votre adresse",
      paragraphs: [
        "Bonjour {first_name},",
        "Quelqu'un a tenté de créer un compte SeqPulse avec {email}. Votre adresse en a déjà un : rien n'a été créé et personne n'a été connecté.",
        "Si c'était vous, connectez-vous comme d'habitude ; si vous avez oublié votre mot de passe, choisissez-en un nouveau avec le lien ci-dessous. Si ce n'était pas vous, ignorez ce message.",
      ],
      action: "Réinitialiser mon mot de passe",
    },
    es: {
      subject: "Alguien intentó crear una cuenta de SeqPulse con su dirección",
      paragraphs: [
        "Hola {first_name}:",
        "Alguien intentó crear una cuenta de SeqPulse con {email}. Su dirección ya tiene una, así que no se creó nada y nadie inició sesión.",
        "Si fue usted, inicie sesión como siempre; si olvidó su contraseña, elija una nueva con el enlace de abajo. Si no fue usted, ignore este correo.",
      ],
      action: "Restablecer mi contraseña",
    },
    de: {
      subject: "Jemand wollte mit Ihrer Adresse ein SeqPulse-Konto anlegen",
      paragraphs: [
        "Hallo {first_name},",
        "jemand wollte mit {email} ein SeqPulse-Konto anlegen. Ihre Adresse hat bereits eines, daher wurde nichts angelegt und niemand angemeldet.",
        "Wenn Sie das waren, melden Sie sich wie gewohnt an; wenn Sie Ihr Passwort vergessen haben, wählen Sie über den Link unten ein neues. Wenn nicht, ignorieren Sie diese E-Mail.",
      ],
      action: "Mein Passwort zurücksetzen",
    },
  },
};

const providerNames: Record<string, string> = { github: "GitHub", google: "Google" };

export const accountClaimedTemplate: EmailTemplate = {
  type: "account_claimed",
  derive: (values) => ({ provider_name: providerNames[values.provider ?? ""] ?? values.provider ?? "OAuth" }),
  action: securityPage,
  copy: {
    en: {
      subject: "Your SeqPulse account now signs in with {provider_name}",
      paragraphs: [
        "Hi {first_name},",
        "You signed in with {provider_name}, which confirmed that {email} is yours. Nobody had verified this account's address before, so to make sure it is yours alone we removed its password, turned off two-factor authentication, disconnected other sign-in providers and ended every other session.",
        "You can set a password again from your security settings.",
      ],
      action: "Open my security settings",
    },
    fr: {
      subject: "Votre compte SeqPulse se connecte désormais avec {provider_name}",
      paragraphs: [
        "Bonjour {first_name},",
        "Vous vous êtes connecté avec {provider_name}, qui a confirmé que {email} est à vous. L'adresse de ce compte n'avait jamais été vérifiée : pour qu'il soit à vous seul, nous avons supprimé son mot de passe, désactivé l'authentification à deux facteurs, déconnecté les autres fournisseurs et fermé toutes les autres sessions.",
        "Vous pouvez définir un nouveau mot de passe depuis vos paramètres de sécurité.",
      ],
      action: "Ouvrir mes paramètres de sécurité",
    },
    es: {
      subject: "Su cuenta de SeqPulse ahora inicia sesión con {provider_name}",
      paragraphs: [
        "Hola {first_name}:",
        "Inició sesión con {provider_name}, que confirmó que {email} es suya. Nadie había verificado antes la dirección de esta cuenta, así que, para que sea solo suya, eliminamos su contraseña, desactivamos la autenticación en dos pasos, desconectamos los demás proveedores y cerramos todas las demás sesiones.",
        "Puede volver a definir una contraseña desde su configuración de seguridad.",
      ],
      action: "Abrir mi configuración de seguridad",
    },
    de: {
      subject: "Ihr SeqPulse-Konto meldet sich jetzt mit {provider_name} an",
      paragraphs: [
        "Hallo {first_name},",
        "Sie haben sich mit {provider_name} angemeldet, und {provider_name} hat bestätigt, dass {email} Ihnen gehört. Die Adresse dieses Kontos war nie bestätigt worden; damit es nur Ihnen gehört, haben wir sein Passwort entfernt, die Zwei-Faktor-Authentifizierung deaktiviert, andere Anmeldeanbieter getrennt und alle anderen Sitzungen beendet.",
        "In Ihren Sicherheitseinstellungen können Sie wieder ein Passwort festlegen.",
      ],
      action: "Sicherheitseinstellungen öffnen",
    },
  },
};

export const accountTemplates = [
  verifyEmailTemplate,
  passwordResetTemplate,
  passwordChangedTemplate,
  twoFactorEnabledTemplate,
  twoFactorDisabledTemplate,
  newSignInTemplate,
  signupExistingAccountTemplate,
  accountClaimedTemplate,
] as const;
