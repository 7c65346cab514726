// The API's field limits, defined once. Pure: the dashboard's forms import them to check the same
// numbers before sending (worker/features/*/schemas.ts enforce them).

export const EMAIL_MAX_LENGTH = 254;
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
/** A person's display name. */
export const USER_NAME_MAX_LENGTH = 100;
/** A personal API token's name. */
export const TOKEN_NAME_MAX_LENGTH = 100;
export const PROJECT_NAME_MAX_LENGTH = 100;
export const PROJECT_DESCRIPTION_MAX_LENGTH = 500;
/** "Was this verdict right?": the note, counted after trimming. */
export const MAX_FEEDBACK_NOTE_LENGTH = 1000;
/** The observation window after a deployment's finish, in minutes. */
export const OBSERVATION_WINDOW_MAX_MINUTES = 60;
/** Most deployments one backtest replays (bounded work per request), and how many by default. */
export const MAX_BACKTEST_DEPLOYMENTS = 100;
export const DEFAULT_BACKTEST_DEPLOYMENTS = 20;
